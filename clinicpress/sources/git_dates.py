"""Post sources in, their last commit dates out (for ``updated`` with --dates-from-git).

One ``git log`` over the posts folder. A shallow clone (CI's default) would
give every file the date of the one fetched commit, so it is an error with
the fix, never a silently wrong date.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.front_matter import PostMeta


def _git(site_dir: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(site_dir), *args], capture_output=True,
                                text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def last_commit_dates(site_dir: Path, paths: Iterable[str],
                      diags: Diagnostics) -> dict[str, datetime]:
    """Latest commit date of each path (relative to the site folder) that git knows."""
    wanted = set(paths)
    top = _git(site_dir, "rev-parse", "--show-toplevel")
    if top is None:
        diags.error("config.yaml", None, "dates from git: the site is not in a git repository "
                    "(turn off dates_from_git, or build from a clone)")
        return {}
    if (_git(site_dir, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        diags.error("config.yaml", None, "dates from git: this is a shallow clone, so every "
                    "post would get the same date; fetch the full history (GitHub Actions: "
                    "actions/checkout with 'fetch-depth: 0'; GitLab: GIT_DEPTH: 0)")
        return {}
    prefix = (_git(site_dir, "rev-parse", "--show-prefix") or "").strip()
    log = _git(site_dir, "log", "--format=@%cI", "--name-only", "--no-renames", "--",
               "content") or ""
    dates: dict[str, datetime] = {}
    current: datetime | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:])
        elif line and current is not None:
            rel = line.removeprefix(prefix)
            if rel in wanted and rel not in dates:
                dates[rel] = current
    return dates


def updated_from_git(site_dir: Path, metas: list[PostMeta],
                     diags: Diagnostics) -> list[PostMeta]:
    """Posts without an ``updated`` date get their last commit date, when it is later."""
    dates = last_commit_dates(site_dir, (m.document.path for m in metas), diags)
    return [
        replace(m, updated=dates[m.document.path])
        if m.updated is None and m.document.path in dates and dates[m.document.path] > m.published
        else m
        for m in metas
    ]
