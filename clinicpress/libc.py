"""The few C library calls Python does not offer, found through ctypes once.

``c_function(name)`` is the function, or None where the C library lacks it (not
Linux, not glibc); callers then do without: two renames instead of an atomic
exchange, polling instead of inotify, memory kept instead of given back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any


@functools.cache
def _library() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def c_function(name: str) -> Any | None:
    """A C library function by name (errno readable with ``ctypes.get_errno``), or None."""
    library = _library()
    return getattr(library, name, None) if library is not None else None


def give_back_memory() -> None:
    """Return freed memory to the system (glibc keeps it otherwise: the texts of 10,000
    posts, let go after parsing, would stay counted in the build's memory)."""
    malloc_trim = c_function("malloc_trim")
    if malloc_trim is not None:
        malloc_trim(0)
