"""Which page key made each cached page of the output folder, so the next build can keep
the file where it is instead of rendering, reading or comparing it again.

A post or list page's key covers everything its templates can read
(``render.cached_pages``): equal keys give equal bytes. After a build's output is
swapped in, we record for each such page its key, the inode, size and modification
time of its file, and what the checks need of it (its ids and links, whether it is
public and whether search indexes it). A later build that computes the same key for
the same path, and finds that file unchanged (same inode, size and time: hard links
keep all three), links it into the new output as it is (``Staging.link_kept``).

The ledger is sealed like every cache file (``sealed``), one per output folder. It is
deleted before a swap and written after it, so it never describes another output
than the one in place; a killed build only costs the next one its shortcut.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinicpress.incremental.sealed import read_sealed, write_sealed

Stat = tuple[int, int, int]  # inode, size, modification time in nanoseconds
_FORMAT = "clinicpress-output-ledger-1"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    key: str
    stat: Stat
    ids: str  # ``links.compact_links``: "\0id\0id\0"
    links: tuple[str, ...]
    public: bool
    searchable: bool


def output_id(output: Path) -> str:
    """A short name for an output folder, for the cache files that belong to it."""
    return hashlib.sha256(str(output.absolute()).encode()).hexdigest()[:16]


def ledger_name(output: Path) -> str:
    return ledger_name_of(output_id(output))


def ledger_name_of(folder_id: str) -> str:
    """The ledger's file name for the output folder of that ``output_id``."""
    return f"output-ledger-{folder_id}.json"


def load_ledger(cache: Path | None, output: Path) -> dict[str, LedgerEntry]:
    """The entries recorded for the output folder now in place ({} when there are none or
    the file is damaged, foreign or of another format)."""
    if cache is None:
        return {}
    data = read_sealed(cache, ledger_name(output))
    if data is None:
        return {}
    try:
        record = json.loads(data)
        if record["format"] != _FORMAT:
            return {}
        strings = record["strings"]
        return {path: LedgerEntry(key, (int(inode), int(size), int(mtime)), ids,
                                  tuple(strings[i] for i in links), bool(public),
                                  bool(searchable))
                for path, key, inode, size, mtime, ids, links, public, searchable
                in record["pages"]}
    except (ValueError, KeyError, TypeError, IndexError):
        return {}


def save_ledger(cache: Path, output: Path, entries: Mapping[str, LedgerEntry]) -> None:
    """Record ``entries`` for ``output`` (call after its swap); link strings shared by many
    pages are stored once."""
    strings: dict[str, int] = {}
    pages: list[list[Any]] = []
    for path, entry in sorted(entries.items()):
        links = [strings.setdefault(link, len(strings)) for link in entry.links]
        pages.append([path, entry.key, *entry.stat, entry.ids, links, entry.public,
                      entry.searchable])
    record = {"format": _FORMAT, "folder": str(output.absolute()), "strings": list(strings),
              "pages": pages}
    write_sealed(cache, ledger_name(output), json.dumps(record).encode())


def forget_ledger(cache: Path, output: Path) -> None:
    """Before a swap: the ledger of the output about to be replaced is no longer true."""
    (cache / ledger_name(output)).unlink(missing_ok=True)
