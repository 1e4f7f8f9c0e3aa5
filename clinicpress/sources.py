"""The site folder in, decoded source files out (the only stage that reads content).

Each file is read as bytes and checked before anyone parses it: UTF-8 (a bad
byte is reported at its line), no NUL or control characters, a size limit, no
symlink leading outside the site. A byte-order mark and CRLF/CR line endings
are normalised away so they change nothing in the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    path: str  # relative to the site folder, with forward slashes
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sources:
    posts: tuple[SourceFile, ...]
    pages: tuple[SourceFile, ...]
    authors: tuple[SourceFile, ...]
    bibliographies: tuple[SourceFile, ...]


def find_sources(site_dir: Path, diags: Diagnostics, max_kb: int) -> Sources:
    """Read every Markdown source and the site-wide bibliography under ``content/``."""
    content = site_dir / "content"
    if not content.is_dir():
        diags.error("content", None, "no content/ folder: posts go in content/posts/")
    return Sources(
        posts=_read_folder(site_dir, content / "posts", diags, max_kb),
        pages=_read_folder(site_dir, content / "pages", diags, max_kb),
        authors=_read_folder(site_dir, content / "authors", diags, max_kb),
        bibliographies=tuple(
            source
            for name in ("references.yaml", "references.yml", "references.json")
            if (content / name).is_file()
            and (source := read_source(site_dir, content / name, diags, max_kb)) is not None
        ),
    )


def _read_folder(site_dir: Path, folder: Path, diags: Diagnostics,
                 max_kb: int) -> tuple[SourceFile, ...]:
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".md", ".markdown"})
    folders_inside: dict[Path, bool] = {}  # resolving each file's whole path is slow
    sources = []
    for path in files:
        if path.parent not in folders_inside:
            folders_inside[path.parent] = inside(site_dir, path.parent)
        known_inside = folders_inside[path.parent] and not path.is_symlink()
        source = read_source(site_dir, path, diags, max_kb, known_inside)
        if source is not None:
            sources.append(source)
    return tuple(sources)


def relative_name(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` resolves (following links) to a place inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def read_source(site_dir: Path, path: Path, diags: Diagnostics, max_kb: int,
                known_inside: bool = False) -> SourceFile | None:
    """One file, decoded and checked (``known_inside``: its folder was checked to be inside
    the site and the file itself is not a link)."""
    rel = relative_name(site_dir, path)
    if not known_inside and not inside(site_dir, path):
        diags.error(rel, None, "is a link to a file outside the site folder; refusing to read it")
        return None
    if not path.is_file():
        return None
    data = path.read_bytes()
    if len(data) > max_kb * 1024:
        diags.error(rel, None, f"is {len(data) // 1024} KB, over the {max_kb} KB limit "
                    "(max_post_kb in config.yaml); split it into several posts")
        return None
    text = decode_source(rel, data, diags)
    return None if text is None else SourceFile(path=rel, text=text)


def decode_source(rel: str, data: bytes, diags: Diagnostics) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(rel, line, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                    "save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        name = "NUL" if bad.group() == "\x00" else f"U+{ord(bad.group()):04X}"
        diags.error(rel, line, f"contains the control character {name}; delete it "
                    "(it often comes from copying out of a word processor)")
        return None
    return text
