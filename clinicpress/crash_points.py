"""Named places where a test can make the build die, the way SQLite tests crash safety.

``CLINICPRESS_CRASH_AT=<name>`` makes the build send itself a signal when it
reaches the crash point of that name (``CLINICPRESS_CRASH_SIGNAL``: ``KILL``, the
default, or ``INT``, as Ctrl+C does). A test then knows for certain where the
build died, however fast or loaded the machine is. Without the variable a crash
point costs one dictionary look-up.

The points, in the order a build reaches them:

- ``load``: config and sources read, before any post is rendered;
- ``post-pool``: the first posts rendered by the worker processes have arrived;
- ``page-pool``: the first pages rendered and written by the workers have arrived;
- ``picture-pool``: the first picture's copies made by the workers have arrived;
- ``search``: every page written, before the search index is made;
- ``before-swap``: every check passed, the staging folder complete, before the swap;
- ``during-swap``: the output folder renamed away, the new one not yet in place (only
  where the atomic exchange is missing and two renames are used);
- ``after-swap``: the new site in place, the previous one not yet deleted;
- ``delete-old``: halfway through deleting the previous site.
"""

from __future__ import annotations

import os
import signal

POINTS = ("load", "post-pool", "page-pool", "picture-pool", "search", "before-swap", "during-swap",
          "after-swap", "delete-old")
_SIGNALS = {"KILL": signal.SIGKILL, "INT": signal.SIGINT}


def crash_point(name: str) -> None:
    """Die here if the environment asks for it (tests only)."""
    if os.environ.get("CLINICPRESS_CRASH_AT") != name:
        return
    assert name in POINTS, name
    sig = _SIGNALS[os.environ.get("CLINICPRESS_CRASH_SIGNAL", "KILL")]
    signal.raise_signal(sig)  # SIGINT: KeyboardInterrupt is raised right here
