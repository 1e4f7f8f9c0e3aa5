"""The site folder in, sets of changed input files out, as the writer saves them.

``watchfiles`` (native file-system events; polling where there are none) watches
the input folders (``content/``, ``templates/``, ``static/``) and ``config.yaml``,
and groups a burst of saves: a set is yielded once the events have been quiet for
``QUIET_MS``. Paths are relative to the site folder, with forward slashes, and
only inputs of the build are reported (``sources.files.is_input``). Output and
cache folders are never watched. Every ``CHECK_MS`` the watcher also looks for an
input folder or a config file that appeared or was replaced, which a watch set up
before it existed could not see, and then starts watching it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import Change, awatch

from clinicpress.sources.files import CONFIG_FILE, INPUT_FOLDERS, is_input

log = logging.getLogger(__name__)
# A save is complete when no new event came for this long. watchfiles looks every QUIET_MS,
# so a save is taken in QUIET_MS to twice that after it lands: 10-20 ms. (An editor's save,
# even a write then a rename, lands within a millisecond; a slower burst is taken in as two
# updates, each correct.)
QUIET_MS = 10
CHECK_MS = 500


def _layout(site_dir: Path) -> tuple[tuple[str, ...], tuple[int, int, int] | None]:
    """The input folders that exist, and the config file's identity and state."""
    folders = tuple(name for name in INPUT_FOLDERS if (site_dir / name).is_dir())
    try:
        info = os.stat(site_dir / CONFIG_FILE)
        config = (info.st_ino, info.st_mtime_ns, info.st_size)
    except OSError:
        config = None
    return folders, config


def _relative(site_dir: Path, path: str) -> str:
    try:
        return Path(path).relative_to(site_dir).as_posix()
    except ValueError:
        return ""


async def watch_site(site_dir: Path, stop: asyncio.Event,
                     force_polling: bool | None = None) -> AsyncIterator[set[str]]:
    """Yield the input files changed by each burst of saves until ``stop`` is set."""
    site_dir = site_dir.resolve()
    while not stop.is_set():
        folders, config = _layout(site_dir)
        paths = [site_dir / name for name in folders]
        if config is not None:
            paths.append(site_dir / CONFIG_FILE)
        if not paths:
            paths = [site_dir]

        def wanted(change: Change, path: str) -> bool:
            relative = _relative(site_dir, path)
            return is_input(relative) or is_input(relative + "/")

        async for batch in awatch(*paths, watch_filter=wanted, step=QUIET_MS,
                                  debounce=10_000, stop_event=stop, rust_timeout=CHECK_MS,
                                  yield_on_timeout=True, force_polling=force_polling):
            changed = {_relative(site_dir, path) for _, path in batch}
            changed = {p + "/" if (site_dir / p).is_dir() else p for p in changed if p}
            now_folders, now_config = _layout(site_dir)
            if now_config != config:
                changed.add(CONFIG_FILE)  # replaced by a rename, which a file watch misses
            new_folders = set(now_folders) - set(folders)
            changed |= {f"{name}/" for name in new_folders}
            changed = {p for p in changed if is_input(p)}
            if changed:
                yield changed
            identity, now_identity = (config or (0,))[0], (now_config or (0,))[0]
            if new_folders or identity != now_identity:
                break  # watch again: a folder appeared, or config.yaml is a new file
            config = now_config
