"""What the last build read and wrote, so that building an unchanged site does nothing.

After a build that wrote its output, we record a fingerprint of everything the
output is made from (the engine and its libraries, the command's options,
today's date for review deadlines, and the bytes of every file under content/,
templates/, static/ and config.yaml), the size and modification time of every
file then in the output folder, and the diagnostics the build printed. A later
build whose inputs have the same fingerprint, writing into an output folder that
still holds exactly those files, prints the same diagnostics and leaves the
folder as it is: it is byte for byte what a new build would write.

Builds whose output also depends on something else (dates from git history, a
site with no posts whose feeds carry the build time) are never recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clinicpress.diagnostics import Diagnostic
from clinicpress.incremental.cache import engine_fingerprint
from clinicpress.incremental.output_ledger import ledger_name, output_id
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.sources.files import CONFIG_FILE, INPUT_FOLDERS, regular_file_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class LastBuild:
    diagnostics: tuple[Diagnostic, ...]
    files: int
    posts: int


def inputs_fingerprint(site_dir: Path, options: tuple[object, ...], now: datetime) -> str:
    """Everything a build's output is made from (read before the build reads it, so an
    edit made while it runs is never taken as built)."""
    sha = hashlib.sha256()
    sha.update(repr((engine_fingerprint(), options, now.date().isoformat())).encode())
    root = str(site_dir)
    files = [CONFIG_FILE]
    for name in INPUT_FOLDERS:  # (links to folders are listed, not followed, as by rglob)
        for folder, folders, names in os.walk(os.path.join(root, name)):
            folders.sort()
            base = os.path.relpath(folder, root).replace(os.sep, "/")
            files += [f"{base}/{n}" for n in sorted(names)]
    for path in files:
        sha.update(path.encode() + b"\0")
        data = regular_file_bytes(os.path.join(root, path))
        if data is None:  # missing, a folder, a FIFO or a device: never waited on
            data = b"\0not a regular file"
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()


def output_fingerprint(output: Path) -> str:
    """The name, size and modification time of every file in the output folder."""
    sha = hashlib.sha256()
    for root, folders, files in os.walk(output):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            stat = os.lstat(path)
            sha.update(f"{os.path.relpath(path, output)}\0{stat.st_size}\0"
                       f"{stat.st_mtime_ns}\n".encode())
    return sha.hexdigest()


def listed_fingerprint(output: Path, paths: Iterable[str]) -> str:
    """``output_fingerprint`` of a folder known to hold exactly the files ``paths``
    (relative, with forward slashes): each file's size and time read, in the order the
    folder walk takes them, without listing thousands of folders. Should the folder
    hold anything else, the next build's walk differs from it and builds."""
    sha = hashlib.sha256()
    try:
        for path in sorted(paths, key=_walk_order):
            stat = os.lstat(os.path.join(output, path))
            sha.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except OSError:  # (a file gone since: the folder as it is)
        return output_fingerprint(output)
    return sha.hexdigest()


def _walk_order(path: str) -> list[tuple[int, str]]:
    """``os.walk`` with sorted names: a folder's files, then each sub-folder in turn."""
    *folders, name = path.split("/")
    return [*((1, folder) for folder in folders), (0, name)]


def _record_name(output: Path) -> str:
    return f"last-build-{output_id(output)}.json"


def record_build(cache: Path, output: Path, inputs: str, diagnostics: tuple[Diagnostic, ...],
                 files: int, posts: int, paths: Iterable[str] | None = None) -> None:
    """Keep what the next build needs to know that nothing changed (in the cache folder
    ``cache``, sealed like every cache file; ``paths``: every file the output holds,
    when the build knows them)."""
    fingerprint = output_fingerprint(output) if paths is None else \
        listed_fingerprint(output, paths)
    record = {"inputs": inputs, "output": fingerprint, "files": files,
              "posts": posts, "folder": str(output.absolute()),
              "diagnostics": [[d.level, d.path, d.line, d.message] for d in diagnostics]}
    write_sealed(cache, _record_name(output), json.dumps(record).encode())
    _forget_vanished(cache, output)


def _forget_vanished(folder: Path, output: Path) -> None:
    """Records of output folders that no longer exist (temporary ones, say) are dropped
    (this module's, and ``output_ledger``'s); ``output``'s, just written, are not read
    (its ledger is the biggest file of the cache folder but for the pages)."""
    own = {_record_name(output), ledger_name(output)}
    for record in [*folder.glob("last-build-*.json"), *folder.glob("output-ledger-*.json")]:
        if record.name in own:
            continue
        data = read_sealed(folder, record.name)
        try:
            if data is None or not Path(json.loads(data)["folder"]).is_dir():
                record.unlink()
        except (OSError, ValueError, KeyError, TypeError):
            record.unlink(missing_ok=True)


def forget_build(cache: Path, output: Path) -> None:
    (cache / _record_name(output)).unlink(missing_ok=True)


def unchanged_since_last_build(cache: Path, output: Path, inputs: str) -> LastBuild | None:
    """The last build's results if its inputs and its output folder are as they were."""
    try:
        data = read_sealed(cache, _record_name(output))
        if data is None:
            return None
        record = json.loads(data)
        if record["inputs"] != inputs or not output.is_dir() or \
                output_fingerprint(output) != record["output"]:
            return None
        return LastBuild(
            diagnostics=tuple(Diagnostic(level=level, path=path, line=line, message=message)
                              for level, path, line, message in record["diagnostics"]),
            files=record["files"], posts=record["posts"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
