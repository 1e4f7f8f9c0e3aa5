"""Theme and site ``static/`` folders in, output files with fingerprinted CSS/JS out.

A site's own ``static/`` overrides the default theme file by file. CSS and JS
get a content hash in their names (``style.3f2a9c1e.css``) so hosting can
cache them forever; templates ask for them by their plain name via ``asset()``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostics
from .image_size import image_size
from .model import OutputFile
from .sources import inside, relative_name

THEME_DIR = Path(__file__).parent / "theme"
FINGERPRINTED = {".css", ".js"}
IMAGES = {".png", ".gif", ".jpg", ".jpeg", ".webp", ".svg"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Assets:
    files: tuple[OutputFile, ...]
    names: Mapping[str, str]  # plain name -> output path, e.g. style.css -> static/style.1a2b.css
    sizes: Mapping[str, tuple[int, int]]  # output path of each image -> (width, height)

    def path(self, name: str) -> str:
        return self.names[name]

    def size_of(self, url: str, base_path: str) -> tuple[int, int] | None:
        """The size of an image named by its site URL (``/static/x.png``), if it is ours."""
        if not url.startswith(base_path):
            return None
        return self.sizes.get(url[len(base_path):])


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
