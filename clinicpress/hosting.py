"""The ``Site`` in, files for static hosts out: ``_headers`` (Netlify, Cloudflare Pages)
with a Content-Security-Policy the built site satisfies, and ``.nojekyll`` for GitHub Pages.

The policy allows only the site's own origin; ``'wasm-unsafe-eval'`` is for
Pagefind's search engine, which runs as WebAssembly.
"""

from __future__ import annotations

from .assets import Assets
from .model import OutputFile
from .site import Site

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Permissions-Policy", "interest-cohort=(), browsing-topics=(), geolocation=(), camera=(), "
                           "microphone=()"),
)


def hosting_files(site: Site, assets: Assets) -> list[OutputFile]:
    base = site.config.base_path
    lines = [f"{base}*"] + [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    for plain, path in sorted(assets.names.items()):
        if path != f"static/{plain}":  # fingerprinted: the name changes when the content does
            lines += [f"{base}{path}", "  Cache-Control: public, max-age=31536000, immutable"]
    return [
        OutputFile(path="_headers", content=("\n".join(lines) + "\n").encode("utf-8")),
        OutputFile(path=".nojekyll", content=b""),
    ]
