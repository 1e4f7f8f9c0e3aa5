"""Cache files that are data, written by this machine and checked before they are used.

Everything the build keeps between runs (rendered posts, rendered pages, the
record of the last build) is stored as data (JSON or the page's bytes), never
as code: nothing in a cache file is ever executed. Each file is sealed with an
HMAC-SHA256 tag over its name and contents, made with a key that lives outside
the site, so a cache file committed in a pull request, or restored in CI from a
branch somebody else controls, is never trusted: it does not verify, and is
ignored and rebuilt.

The key is ``CLINICPRESS_CACHE_KEY`` when set (CI: a secret, which builds of pull
requests from forks do not get), else a random key in
``$XDG_CACHE_HOME/clinicpress/cache-key`` (``~/.cache/...``), made on first use
and readable only by its owner. Where neither can be had, nothing is cached.

``cache_folder`` checks the cache folder before anything is read from or written
into it: a link (to anywhere) is an error, never followed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from pathlib import Path

from clinicpress.diagnostics import Diagnostics

log = logging.getLogger(__name__)
CACHE_DIR = ".clinicpress-cache"
_MAGIC = b"clinicpress-sealed-1\n"
_TAG = 64  # hex digits of an HMAC-SHA256


@functools.cache
def _key() -> bytes | None:
    given = os.environ.get("CLINICPRESS_CACHE_KEY")
    if given:
        return hashlib.sha256(given.encode()).digest()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clinicpress"
    file = home / "cache-key"
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                                 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as out:
                out.write(secrets.token_bytes(32))
        descriptor = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as source:
            info = os.fstat(source.fileno())
            key = source.read(64)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or len(key) < 32:
            log.warning("ignoring the cache key %s: not a private file of this user", file)
            return None
        return key
    except OSError as exc:
        log.warning("no cache key (%s): building without the cache", exc)
        return None


def cache_available() -> bool:
    return _key() is not None


def _tag(name: str, data: bytes) -> bytes:
    key = _key()
    assert key is not None
    return hmac.new(key, name.encode() + b"\0" + data, hashlib.sha256).hexdigest().encode()


def seal(name: str, data: bytes) -> bytes:
    """The bytes to store under ``name``: a tag that only this key can make, then ``data``."""
    return _MAGIC + _tag(name, data) + b"\n" + data


def unseal(name: str, stored: bytes) -> bytes | None:
    """The data stored under ``name``, or None if it was not sealed here for that name."""
    if _key() is None or not stored.startswith(_MAGIC):
        return None
    body = stored[len(_MAGIC):]
    if len(body) < _TAG + 1 or body[_TAG:_TAG + 1] != b"\n":
        return None
    tag, data = body[:_TAG], body[_TAG + 1:]
    return data if hmac.compare_digest(tag, _tag(name, data)) else None


def read_sealed(folder: Path, name: str) -> bytes | None:
    """A sealed file's data; None if missing, not a regular file, or not verified."""
    try:
        descriptor = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return unseal(name, file.read())


def write_sealed(folder: Path, name: str, data: bytes) -> None:
    """Store ``data`` under ``name`` (atomically: a temporary file, then a rename that
    replaces a link rather than following it). Failing only costs time later."""
    if _key() is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{name}.{os.getpid()}"
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(seal(name, data))
        os.replace(temp, folder / name)
    except OSError as exc:
        log.debug("cache write failed: %s", exc)


def cache_folder(site_dir: Path, chosen: Path | None, diags: Diagnostics) -> Path | None:
    """The folder to keep the cache in (``chosen``, else ``<site>/.clinicpress-cache``),
    after checking that neither it nor any folder in it is a link or a non-folder.
    None (and an error) when it must not be used; None when no key can be had."""
    folder = chosen if chosen is not None else site_dir / CACHE_DIR
    shown = CACHE_DIR if chosen is None else str(chosen)
    try:  # every sub-folder (posts, pages, images, one per language), not just pages/
        inner = sorted(p.name for p in folder.iterdir()) if folder.is_dir() and \
            not folder.is_symlink() else ["pages"]
    except OSError:
        inner = ["pages"]
    for path, name in ((folder, shown), *((folder / n, f"{shown}/{n}") for n in inner
                                          if not n.startswith("."))):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            diags.error(name, None, f"cannot use the cache folder: {exc.strerror}")
            return None
        if stat.S_ISLNK(info.st_mode):
            diags.error(name, None, "is a link; the build never follows a link out of the "
                        "site (delete it, or choose a folder with --cache-dir)")
            return None
        if not stat.S_ISDIR(info.st_mode) and (path == folder or re.fullmatch(
                r"(?:pages|posts|images)(?:-[\w-]+)?", path.name)):
            diags.error(name, None, "is not a folder; delete it (the build keeps its cache "
                        "there)")
            return None
    return folder if cache_available() else None
