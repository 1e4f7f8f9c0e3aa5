"""The output folder and what stands beside it: which folder may be replaced or
deleted (only one this tool made, never through a link), the atomic swap, what a
killed build left behind, and the spare: the site before the current one, kept in the
cache folder for the next build to bring up to date (``staging.Staging``).

The new site is swapped in with ``renameat2(RENAME_EXCHANGE)`` on Linux, two renames
elsewhere, so a failed or killed build leaves the previous site as it was; leftovers of
a killed build are removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
from pathlib import Path

from clinicpress.crash_points import crash_point
from clinicpress.incremental.output_ledger import ledger_name_of, output_id
from clinicpress.libc import c_function

MARKER = ".clinicpress-output"
_STAGING = ".staging-"
_OLD = ".old-"
_SPARE = "spare-output-"  # in the cache folder, then the output folder's ``output_id``


class OutputRefused(Exception):
    """The output folder is not one we may replace; the message says why."""


def check_output_dir(output: Path, site_dir: Path) -> None:
    """Refuse, before deleting anything, a folder the tool did not create, and a link
    (a committed ``output`` link could point at any folder of the machine)."""
    if output.is_symlink():
        raise OutputRefused(f"refusing to use {output} as the output folder: it is a link "
                            "(the build never follows a link out of the site); delete it")
    resolved = output.resolve()
    home = Path.home().resolve()
    site = site_dir.resolve()
    if resolved in (Path("/"), home, site) or resolved in site.parents:
        raise OutputRefused(f"refusing to use {output} as the output folder: it is the site, "
                            "a parent of it, the home folder or /")
    if resolved.exists() and not resolved.is_dir():
        raise OutputRefused(f"{output} exists and is not a folder")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).exists():
        raise OutputRefused(f"refusing to replace {output}: it was not created by this tool "
                            f"(no {MARKER} file). Choose an empty or new folder.")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    renameat2 = c_function("renameat2")
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL):
            return False
        raise OSError(code, os.strerror(code), str(a))
    return True


def staging_folder(output: Path) -> Path:
    """Where this process writes the new site before the swap (beside ``output``)."""
    return output.parent / f"{output.name}{_STAGING}{os.getpid()}"


def clean_leftovers(output: Path) -> None:
    """Remove staging and old folders of builds that were killed."""
    parent = output.parent
    if not parent.is_dir():
        return
    olds = sorted(p for p in parent.glob(output.name + _OLD + "*") if not p.is_symlink())
    if not output.exists() and not output.is_symlink() and olds and (olds[0] / MARKER).exists():
        olds[0].rename(output)  # killed between the two renames: restore the previous site
    for entry in parent.iterdir():
        leftover = entry.name.startswith((output.name + _STAGING, output.name + _OLD))
        if leftover and entry.is_dir() and not entry.is_symlink():
            with contextlib.suppress(OSError, OutputRefused):
                remove_generated(entry)


def remove_generated(folder: Path, crash_at: str = "") -> None:
    """Delete a folder this tool wrote, its marker file last: if the process is killed
    halfway, the marker still says the rest may be deleted by the next build.

    Everything happens relative to open folder descriptors, never by path strings, and
    no link is followed: ``folder`` itself must be a real folder (not a link) holding the
    marker, or empty; links inside it are deleted as links.
    """
    parent = os.open(folder.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            handle = os.open(folder.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                             dir_fd=parent)
        except OSError as exc:
            raise OutputRefused(f"refusing to delete {folder}: not a folder of its own "
                                f"({exc.strerror})") from None
        try:
            names = sorted(os.listdir(handle))
            if names and MARKER not in names:
                raise OutputRefused(f"refusing to delete {folder}: it was not created by "
                                    f"this tool (no {MARKER} file)")
            for done, name in enumerate(n for n in names if n != MARKER):
                if stat.S_ISDIR(os.stat(name, dir_fd=handle, follow_symlinks=False).st_mode):
                    shutil.rmtree(name, dir_fd=handle)
                else:
                    os.unlink(name, dir_fd=handle)
                if done == 2 and crash_at:
                    crash_point(crash_at)
            if MARKER in names:
                os.unlink(MARKER, dir_fd=handle)
        finally:
            os.close(handle)
        os.rmdir(folder.name, dir_fd=parent)
    finally:
        os.close(parent)


def spare_folder(cache: Path, output: Path) -> Path:
    """Where, in the cache folder ``cache``, the site before the current one in ``output``
    is kept for the next build to bring up to date (faster than writing a new folder)."""
    return cache / f"{_SPARE}{output_id(output)}"


def drop_orphan_spares(cache: Path) -> None:
    """Delete kept sites whose output folder has no ledger any more (it was deleted or
    renamed: ``build_state`` forgets the records of output folders that are gone)."""
    for spare in cache.glob(f"{_SPARE}*"):
        ledger = cache / ledger_name_of(spare.name.removeprefix(_SPARE))
        if not ledger.exists():
            with contextlib.suppress(OSError, OutputRefused):
                if spare.is_symlink():
                    spare.unlink()
                else:
                    remove_generated(spare)


def take_spare(spare: Path, folder: Path) -> bool:
    """Move the kept site to ``folder`` (the staging folder), if it is a real folder this
    tool wrote (a link is never followed) on the same file system."""
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode) or \
                not stat.S_ISREG(os.lstat(spare / MARKER).st_mode):
            return False
        os.rename(spare, folder)
    except OSError:
        return False
    return True


def _park_or_remove(previous: Path, spare: Path | None) -> None:
    """The previous site, once swapped out: kept as the spare, or deleted."""
    if spare is not None and not spare.exists() and not spare.is_symlink():
        with contextlib.suppress(OSError):
            previous.rename(spare)
            return
    remove_generated(previous, "delete-old")


def swap_in(staging: Path, output: Path, spare: Path | None = None) -> None:
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):  # ``staging`` now holds the previous site
        crash_point("after-swap")
        _park_or_remove(staging, spare)
        return
    old = output.parent / f"{output.name}{_OLD}{os.getpid()}"
    output.rename(old)
    try:
        crash_point("during-swap")
        staging.rename(output)
    except BaseException:  # Ctrl+C or a failed rename: put the previous site back
        old.rename(output)
        raise
    crash_point("after-swap")
    _park_or_remove(old, spare)
