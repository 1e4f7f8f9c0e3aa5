"""Which files under the site folder changed: inotify on Linux, polling elsewhere.

``changes()`` returns the paths (relative to the site folder, forward slashes)
created, written, renamed or deleted since the last call. With inotify the
watcher also has a file descriptor that becomes readable on a change, so the
server learns of a save within a millisecond instead of at the next poll, and
nothing is scanned while nobody writes. Only content/, templates/, static/ and
config.yaml are watched; output and cache folders never are.
"""

from __future__ import annotations

import ctypes
import logging
import os
import struct
from pathlib import Path
from typing import Any

from clinicpress.libc import c_function

log = logging.getLogger(__name__)
WATCHED = ("content", "templates", "static", "config.yaml")

_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_Q_OVERFLOW, _IN_ISDIR = 0x4000, 0x40000000
_MASK = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO
         | _IN_CREATE | _IN_DELETE)
_EVENT = struct.Struct("iIII")
EVERYTHING = "config.yaml"  # reported when events were lost: reload the whole site


class Watcher:
    """Changed paths since the last call; ``fileno()`` is None when polling."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._fd: int | None = None
        self._folders: dict[int, Path] = {}
        self._state: dict[str, tuple[int, int]] = {}
        self._inotify = _inotify_functions()
        if self._inotify is not None:
            fd = self._inotify[0](os.O_NONBLOCK | os.O_CLOEXEC)
            if fd >= 0:
                self._fd = fd
                self._watch(site_dir, recursive=False)
                for name in WATCHED[:-1]:
                    self._watch(site_dir / name, recursive=True)
        if self._fd is None:
            self._state = self._snapshot()

    def fileno(self) -> int | None:
        return self._fd

    def changes(self) -> set[str]:
        return self._read_events() if self._fd is not None else self._poll()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _watch(self, folder: Path, recursive: bool) -> set[str]:
        """Watch a folder (and its subfolders); returns the files already in it."""
        assert self._inotify is not None and self._fd is not None
        if not folder.is_dir() or folder.is_symlink():
            return set()
        wd = self._inotify[1](self._fd, os.fsencode(folder), _MASK)
        if wd < 0:
            log.debug("cannot watch %s (errno %d)", folder, ctypes.get_errno())
            return set()
        self._folders[wd] = folder
        found = set()
        if recursive:
            for child in folder.iterdir():
                if child.is_dir():
                    found |= self._watch(child, recursive=True)
                else:
                    found.add(self._relative(child))
        return found

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.site_dir).as_posix()

    def _read_events(self) -> set[str]:
        assert self._fd is not None
        changed: set[str] = set()
        while True:
            try:
                data = os.read(self._fd, 256 * 1024)
            except BlockingIOError:
                return changed
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0")
                offset += _EVENT.size + length
                if mask & _IN_Q_OVERFLOW:
                    changed.add(EVERYTHING)
                    continue
                folder = self._folders.get(wd)
                if folder is None or not name:
                    continue
                path = folder / os.fsdecode(name)
                top = folder == self.site_dir
                if top and path.name not in WATCHED:
                    continue
                if mask & _IN_ISDIR:
                    if mask & (_IN_CREATE | _IN_MOVED_TO):  # a new folder and what is in it
                        changed |= self._watch(path, recursive=True)
                    changed.add(self._relative(path) + "/")
                else:
                    changed.add(self._relative(path))

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        state = {}
        for name in WATCHED:
            root = self.site_dir / name
            files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
            for file in files:
                try:
                    stat = file.stat()
                except OSError:
                    continue
                if not file.is_dir():
                    state[self._relative(file)] = (stat.st_mtime_ns, stat.st_size)
        return state

    def _poll(self) -> set[str]:
        current = self._snapshot()
        changed = {path for path in current.keys() | self._state.keys()
                   if current.get(path) != self._state.get(path)}
        self._state = current
        return changed


def _inotify_functions() -> tuple[Any, Any] | None:
    """``inotify_init1`` and ``inotify_add_watch``, where the C library has them (Linux)."""
    init, add_watch = c_function("inotify_init1"), c_function("inotify_add_watch")
    return (init, add_watch) if init is not None and add_watch is not None else None
