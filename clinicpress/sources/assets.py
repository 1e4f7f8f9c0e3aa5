"""Theme and site ``static/`` folders in, output files with fingerprinted CSS/JS out,
and the plan of every picture's copies.

A site's own ``static/`` overrides the default theme file by file. CSS and JS
get a content hash in their names (``style.3f2a9c1e.css``) so hosting can
cache them forever; templates ask for them by their plain name via ``asset()``.
Raster photos are not copied as they are: ``output.picture_files`` publishes
copies without their metadata, as ``sources.pictures`` plans them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import OutputFile, Picture
from clinicpress.sources.config import SiteConfig
from clinicpress.sources.files import inside, relative_name
from clinicpress.sources.pictures import PictureError, plan_picture

THEME_DIR = Path(__file__).parent.parent / "theme"
FINGERPRINTED = {".css", ".js"}
IMAGES = {".png", ".gif", ".jpg", ".jpeg", ".webp", ".svg"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Assets:
    files: tuple[OutputFile, ...]
    names: Mapping[str, str]  # plain name -> output path, e.g. style.css -> static/style.1a2b.css
    pictures: Mapping[str, Picture]  # output path of each picture -> its size and copies
    sources: Mapping[str, bytes]  # output path of each picture with copies -> its bytes

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


def check_assets(assets: Assets, config: SiteConfig, diags: Diagnostics) -> None:
    check_active_files(assets, config.allow_scripts_in_static, diags)
    check_picture_budget(assets, config.picture_max_kb, config.picture_max_width, diags)


def check_picture_budget(assets: Assets, max_kb: int, max_width: int,
                         diags: Diagnostics) -> None:
    """A picture over the budget is a warning at its file: the build makes small copies for
    phones, but the full-size one is still published (and kept in the repository)."""
    sizes = {f.path: len(f.content) for f in assets.files} | \
        {path: len(content) for path, content in assets.sources.items()}
    for path, picture in sorted(assets.pictures.items()):
        kb = sizes.get(path, 0) / 1024
        if kb > max_kb or picture.width > max_width:
            diags.warning(picture.source, None, f"this picture is {kb:,.0f} KB and "
                          f"{picture.width}x{picture.height} pixels, over the budget of "
                          f"{max_kb:,} KB and {max_width:,} pixels wide (picture_max_kb, "
                          "picture_max_width): save a smaller copy, 2,400 pixels wide is "
                          "plenty for any screen")


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
    pictures: dict[str, Picture] = {}
    sources: dict[str, bytes] = {}
    for rel in sorted(found):
        file, source = found[rel]
        content = file.read_bytes()
        out = fingerprint(rel, content) if PurePosixPath(rel).suffix in FINGERPRINTED else rel
        names[rel] = f"static/{out}"
        picture = _picture(f"static/{out}", source, content, diags) \
            if PurePosixPath(rel).suffix.lower() in IMAGES else None
        if picture is not None:
            pictures[picture.path] = picture
        if picture is not None and picture.copies:
            sources[picture.path] = content  # published as copies, never as it is
        else:
            files.append(OutputFile(path=f"static/{out}", content=content, source=source))
    return Assets(files=tuple(files), names=names, pictures=pictures, sources=sources)


def _picture(path: str, source: str, content: bytes, diags: Diagnostics) -> Picture | None:
    try:
        return plan_picture(path, source, content)
    except PictureError as exc:
        diags.error(source, None, str(exc))
        return None
