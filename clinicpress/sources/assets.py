"""Theme and site ``static/`` folders in, output files with fingerprinted CSS/JS out.

A site's own ``static/`` overrides the default theme file by file. CSS and JS
get a content hash in their names (``style.3f2a9c1e.css``) so hosting can
cache them forever; templates ask for them by their plain name via ``asset()``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import OutputFile
from clinicpress.sources.files import inside, relative_name
from clinicpress.sources.image_size import image_size

THEME_DIR = Path(__file__).parent.parent / "theme"
FINGERPRINTED = {".css", ".js"}
IMAGES = {".png", ".gif", ".jpg", ".jpeg", ".webp", ".svg"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Assets:
    files: tuple[OutputFile, ...]
    names: Mapping[str, str]  # plain name -> output path, e.g. style.css -> static/style.1a2b.css
    sizes: Mapping[str, tuple[int, int]]  # output path of each image -> (width, height)

    def path(self, name: str) -> str:
        return self.names[name]


ACTIVE = {".html", ".htm", ".xhtml", ".js", ".mjs", ".wasm"}
_SVG_SCRIPT = re.compile(rb"<script|\bon[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)


def check_active_files(assets: Assets, allowed: tuple[str, ...], diags: Diagnostics) -> None:
    """Files in the site's ``static/`` that a browser would run as script on the site's
    own origin (HTML, JavaScript, SVG with script) are errors unless config.yaml lists
    them under ``allow_scripts_in_static``: a pull request could otherwise publish a page
    that reads whatever patients type on the site."""
    for file in assets.files:
        if not file.source.startswith("static/") or file.source in allowed:
            continue
        suffix = PurePosixPath(file.source).suffix.lower()
        if suffix in ACTIVE or (suffix == ".svg" and _SVG_SCRIPT.search(file.content)):
            what = "an SVG with script" if suffix == ".svg" else f"a {suffix} file"
            diags.error(file.source, None, f"is {what}, which would run as script on the "
                        "site; remove it, or list it under allow_scripts_in_static in "
                        "config.yaml if you wrote it and mean it")


def fingerprint(name: str, content: bytes) -> str:
    pure = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:10]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def collect_assets(site_dir: Path, diags: Diagnostics) -> Assets:
    found: dict[str, tuple[Path, str]] = {}
    for root in (THEME_DIR / "static", site_dir / "static"):
        if not root.is_dir() or root.is_symlink():  # a linked static/ is reported, not read
            continue
        for file in sorted(root.rglob("*")):
            rel = file.relative_to(root).as_posix()
            if file.is_symlink() and not inside(root, file):
                diags.error(relative_name(site_dir, file), None,
                            "is a link to a file outside static/; refusing to copy it")
                continue
            if file.is_file() and file.name != "README.md" and not any(
                    part.startswith(".") for part in PurePosixPath(rel).parts):
                found[rel] = (file, relative_name(site_dir, file))
    files = []
    names = {}
    sizes = {}
    for rel in sorted(found):
        file, source = found[rel]
        content = file.read_bytes()
        out = fingerprint(rel, content) if PurePosixPath(rel).suffix in FINGERPRINTED else rel
        names[rel] = f"static/{out}"
        size = image_size(content) if PurePosixPath(rel).suffix.lower() in IMAGES else None
        if size:
            sizes[f"static/{out}"] = size
        files.append(OutputFile(path=f"static/{out}", content=content, source=source))
    return Assets(files=tuple(files), names=names, sizes=sizes)
