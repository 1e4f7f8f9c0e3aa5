"""The site folder in, decoded source files out (the only stage that reads content).

Each file is read as bytes and checked before anyone parses it: UTF-8 (a bad
byte is reported at its line), no NUL or control characters, a size limit, no
symlink leading outside the site. A byte-order mark and CRLF/CR line endings
are normalised away so they change nothing in the output.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from clinicpress.diagnostics import Diagnostics

# Which files are inputs of a build: said once, here, for the build, the "up to date"
# check, the preview and its file watcher.
INPUT_FOLDERS = ("content", "templates", "static", "locales")
CONFIG_FILE = "config.yaml"
MARKDOWN_SUFFIXES = (".md", ".markdown")
BIBLIOGRAPHIES = ("references.yaml", "references.yml", "references.json")


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def is_input(path: str) -> bool:
    """Whether a path (relative to the site folder, forward slashes) is one the build
    reads; editors' swap, backup and temporary files are not. A folder (ending in "/")
    that appeared, moved or went away may hold anything."""
    name = PurePosixPath(path).name
    if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
        return False
    if path == CONFIG_FILE or path.startswith(("templates/", "static/")) or \
            (path.startswith("locales/") and path.endswith(".po")) or \
            (path.endswith("/") and path.split("/", 1)[0] in INPUT_FOLDERS):
        return True
    return path in {f"content/{b}" for b in BIBLIOGRAPHIES} or \
        (path.startswith("content/") and is_markdown(path))


def is_post(path: str) -> bool:
    """A post of the default language (another language's post changes that language's
    site, which the preview loads again as a whole)."""
    return path.startswith("content/posts/") and is_markdown(path)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as bytes: UTF-8 writes them as themselves and never uses such a byte
# within another character, so deleting them shows at once whether a file has any (seven
# times as fast as the search, which then runs only to say where).
_CONTROL_BYTES = bytes(c for c in range(0x80) if _CONTROL.match(chr(c)))


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


def find_sources(site_dir: Path, diags: Diagnostics, max_kb: int, language: str = "") -> Sources:
    """Read every Markdown source and the site-wide bibliography under ``content/``; for a
    language other than the default, the posts and pages of ``content/<language>/`` and
    the authors of ``content/authors/`` with those of ``content/<language>/authors/``
    (the same file name: that author's page in that language) laid over them."""
    content = site_dir / "content"
    if not content.is_dir():
        diags.error("content", None, "no content/ folder: posts go in content/posts/")
    own = content / language if language else content
    authors = {PurePosixPath(s.path).stem: s for s in
               _read_folder(site_dir, content / "authors", diags, max_kb)}
    if language:
        authors |= {PurePosixPath(s.path).stem: s for s in
                    _read_folder(site_dir, own / "authors", diags, max_kb)}
    return Sources(
        posts=_read_folder(site_dir, own / "posts", diags, max_kb),
        pages=_read_folder(site_dir, own / "pages", diags, max_kb),
        authors=tuple(authors[name] for name in sorted(authors)),
        bibliographies=tuple(
            source
            for name in BIBLIOGRAPHIES
            if (content / name).is_file()
            and (source := read_source(site_dir, content / name, diags, max_kb)) is not None
        ),
    )


def _read_folder(site_dir: Path, folder: Path, diags: Diagnostics,
                 max_kb: int) -> tuple[SourceFile, ...]:
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*") if is_markdown(p.name))
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
    """Whether ``path`` resolves (following links) to a place inside ``root``, and not
    into its ``.git`` folder."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
        return False
    return not rel.parts or rel.parts[0] != ".git"


def regular_file_bytes(path: Path | str) -> bytes | None:
    """The bytes of a regular file; None for anything else (missing, a folder, a FIFO or a
    device, which are never waited on or read)."""
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            return file.read() if stat.S_ISREG(os.fstat(file.fileno()).st_mode) else None
    except OSError:
        return None


def check_site_folders(site_dir: Path, diags: Diagnostics) -> None:
    """Every folder the build reads must be a real folder of the site: a committed link
    named ``static`` could otherwise publish ``.git`` or any folder of the machine. Links
    inside ``templates/`` must stay in the site too (those in ``content/`` and
    ``static/`` are checked file by file as they are read)."""
    for name in INPUT_FOLDERS:
        folder = site_dir / name
        if folder.is_symlink():
            diags.error(name, None, "is a link; the build never follows a link out of the "
                        "site folder (make it a real folder)")
        elif folder.exists() and not folder.is_dir():
            diags.error(name, None, "is not a folder")
    templates = site_dir / "templates"
    if templates.is_dir() and not templates.is_symlink():
        for path in sorted(templates.rglob("*")):
            if path.is_symlink() and not inside(site_dir, path):
                diags.error(relative_name(site_dir, path), None, "is a link to a file "
                            "outside the site folder; refusing to read it")


def read_source(site_dir: Path, path: Path, diags: Diagnostics, max_kb: int,
                known_inside: bool = False) -> SourceFile | None:
    """One file, decoded and checked (``known_inside``: its folder was checked to be inside
    the site and the file itself is not a link)."""
    rel = relative_name(site_dir, path)
    if not known_inside and not inside(site_dir, path):
        diags.error(rel, None, "is a link to a file outside the site folder; refusing to read it")
        return None
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                if not stat.S_ISDIR(info.st_mode):
                    diags.error(rel, None, "is not a regular file (a device, FIFO or socket); "
                                "refusing to read it")
                return None
            limit = max_kb * 1024
            data = file.read(limit + 1) if info.st_size <= limit else b""
    except FileNotFoundError:
        return None
    except OSError as exc:
        diags.error(rel, None, f"cannot read: {exc.strerror}")
        return None
    if info.st_size > limit or len(data) > limit:
        diags.error(rel, None, f"is {max(info.st_size, len(data)) // 1024} KB, over the "
                    f"{max_kb} KB limit (max_post_kb in config.yaml); split it into several posts")
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
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text) if len(data.translate(None, _CONTROL_BYTES)) != len(data) \
        else None
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        name = "NUL" if bad.group() == "\x00" else f"U+{ord(bad.group()):04X}"
        diags.error(rel, line, f"contains the control character {name}; delete it "
                    "(it often comes from copying out of a word processor)")
        return None
    return text
