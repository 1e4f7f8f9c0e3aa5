"""What a build is asked to do (``BuildOptions``), when it is made (``build_time``) and
the fingerprint of its inputs (``inputs_of``), apart from the pipeline: a build whose
inputs have not changed is found to be up to date without loading the pipeline (the
command line imports ``pipeline`` only when there is something to build).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clinicpress.incremental.build_state import inputs_fingerprint


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None  # None: check only, write no output
    strict: bool = False
    drafts: bool = False
    base_url: str | None = None
    search: bool = True
    dates_from_git: bool = False
    future: bool = False  # publish posts dated after the build time now (else on their date)
    cache: bool = False  # keep rendered posts and pages between builds
    cache_dir: Path | None = None  # where (None: <site>/.clinicpress-cache)
    now: datetime | None = None
    progress: Callable[[int, int], None] | None = None
    leave_out: frozenset[str] = frozenset()  # post sources to skip (the preview's broken ones)


def build_time(now: datetime | None = None) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the current time."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def inputs_of(options: BuildOptions) -> str | None:
    """The fingerprint of a writing build's inputs (``build_state``), None when the build
    must run anyway (no cache, or dates from git history)."""
    if options.output_dir is None or not options.cache or options.dates_from_git:
        return None
    key = (str(options.site_dir.absolute()), str(options.output_dir.absolute()), options.strict,
           options.drafts, options.future, options.base_url, options.search)
    return inputs_fingerprint(options.site_dir, key, build_time(options.now))
