"""The ``Site`` in, files for static hosts out: ``_headers`` (Netlify, Cloudflare Pages)
with a Content-Security-Policy the built site satisfies, and ``.nojekyll`` for GitHub Pages.

The policy allows only the site's own origin; ``'wasm-unsafe-eval'`` is for
Pagefind's search engine, which runs as WebAssembly.
"""

from __future__ import annotations

from clinicpress.content.site import Site
from clinicpress.model import OutputFile
from clinicpress.sources.assets import Assets
from clinicpress.sources.config import SiteConfig


def content_security_policy(config: SiteConfig, meta: bool = False) -> str:
    """The policy every page satisfies: only the site itself (and, for pictures, the
    origins config.yaml allows). ``meta``: the form for a ``<meta>`` tag, which travels
    with the page to hosts that ignore ``_headers`` (browsers ignore frame-ancestors there)."""
    images = " ".join(("'self'", "data:", *config.allowed_origins))
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        f"img-src {images}",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        *(() if meta else ("frame-ancestors 'none'",)),
    ))


# Files in static/ are never pages: opened directly, none of them may run script.
STATIC_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'self'; sandbox"
SECURITY_HEADERS = (
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Permissions-Policy", "interest-cohort=(), browsing-topics=(), geolocation=(), camera=(), "
                           "microphone=()"),
)


def hosting_files(site: Site, assets: Assets) -> list[OutputFile]:
    base = site.config.base_path
    lines = [f"{base}*", f"  Content-Security-Policy: {content_security_policy(site.config)}"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    lines += [f"{base}static/*", f"  Content-Security-Policy: {STATIC_POLICY}"]
    for plain, path in sorted(assets.names.items()):
        if path != f"static/{plain}":  # fingerprinted: the name changes when the content does
            lines += [f"{base}{path}", "  Cache-Control: public, max-age=31536000, immutable"]
    return [
        OutputFile(path="_headers", content=("\n".join(lines) + "\n").encode("utf-8")),
        OutputFile(path=".nojekyll", content=b""),
    ]
