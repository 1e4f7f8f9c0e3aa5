"""A folder of rendered HTML pages in, the Pagefind search bundle written beside them.

Pagefind (the Python package ships its binary; nothing is downloaded) indexes
only what is inside ``data-pagefind-body``: article text, not navigation,
footers or reference lists (``data-pagefind-ignore``).

The binary runs in its command-line mode, as a child process over the staging
folder: it exits only after every file of the bundle is on disk. (Its service
mode, behind the Python API, acknowledges writes before they reach the disk and
is killed when the index is closed, which under load left truncated bundle
files: Pagefind issue #1271, fixed after 1.5.2.) It runs in an empty working
folder of its own, with no ``PAGEFIND_*`` variables, so that no configuration
file of the site or of the machine changes what it does, and it is given a time
limit: a failure or a hang is an error, never an endless wait or a half bundle.

Pagefind indexes only the pages with ``data-pagefind-body`` once any page has it, but it
reads every HTML file to find out. It is told which files to read (``--glob``): the
pages that have the attribute (each language's posts as one pattern), so the thousands
of list pages are not read. The bundle is the same either way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostics

BUNDLE = "pagefind"
TIME_LIMIT = 600.0  # seconds; Pagefind indexes 10,000 long posts in well under a minute


_POST_PAGE = re.compile(r"((?:[a-z0-9-]+/)?posts/)[^/]+/index\.html")
_PLAIN = re.compile(r"[A-Za-z0-9._/-]+")


def search_glob(searchable: Iterable[str]) -> str | None:
    """A Pagefind glob that matches every page in ``searchable`` (``posts/*/index.html``
    for a language's posts, other pages by name); None to read every file (no page has
    the attribute, or a name has characters a glob would read as a pattern)."""
    patterns = set()
    for path in searchable:
        post = _POST_PAGE.fullmatch(path)
        pattern = f"{post.group(1)}*/index.html" if post else path
        if not _PLAIN.fullmatch(pattern.replace("*", "")):
            return None
        patterns.add(pattern)
    return "{" + ",".join(sorted(patterns)) + "}" if patterns else None


def get_executable() -> Path | None:
    """The Pagefind binary of the pinned package (imported only when a build has search
    on: the pagefind package loads asyncio, 40 ms of every build without search)."""
    from pagefind.service import get_executable as pagefind_binary

    return pagefind_binary()


def build_search_index(site: Path, language: str, diags: Diagnostics,
                       time_limit: float = TIME_LIMIT,
                       searchable: Iterable[str] | None = None) -> list[str]:
    """Index the HTML pages in the folder ``site`` and write the bundle into its
    ``pagefind/`` folder; returns the bundle's file paths, relative to ``site``.
    ``searchable``: the pages with ``data-pagefind-body`` (None: read every page).

    A failure is an error in ``diags`` (and no paths)."""
    binary = get_executable()
    if binary is None:
        diags.error("config.yaml", None, "search: the Pagefind binary is missing (install the "
                    "pinned 'pagefind_bin_extended' package, or set 'search: false')")
        return []
    folder = site / BUNDLE
    crash_point("search")
    command = [str(binary), "--site", str(site.absolute()), "--output-path",
               str(folder.absolute()), "--force-language", language, "--silent"]
    glob = search_glob(searchable) if searchable is not None else None
    if glob is not None:
        command += ["--glob", glob]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="clinicpress-pagefind-") as empty:
        try:
            done = subprocess.run(command, cwd=empty, env=environment, capture_output=True,
                                  timeout=time_limit, check=False)
        except subprocess.TimeoutExpired:
            diags.error("config.yaml", None, f"search: Pagefind did not finish within "
                        f"{time_limit:g} s; the site was not published")
            return []
        except OSError as exc:
            diags.error("config.yaml", None, f"search: cannot run Pagefind: {exc}")
            return []
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        diags.error("config.yaml", None, f"search: Pagefind failed (exit {done.returncode})"
                    + (f": {said[-1]}" if said else ""))
        return []
    paths = sorted(f.relative_to(site).as_posix() for f in folder.rglob("*") if f.is_file())
    problem = bundle_problem(folder)
    if problem:
        diags.error("config.yaml", None, f"search: the Pagefind bundle is incomplete: {problem}")
        return []
    return paths


def bundle_problem(folder: Path) -> str | None:
    """Why the bundle in ``folder`` is not complete, or None: its entry file parses and
    every index file it names exists and is not empty."""
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"pagefind-entry.json: {exc}"
    required = ["pagefind.js", "pagefind-worker.js"]
    try:
        for info in languages.values():
            required += [f"pagefind.{info['hash']}.pf_meta",
                         f"wasm.{info.get('wasm') or 'unknown'}.pagefind"]
    except (KeyError, TypeError, AttributeError) as exc:
        return f"pagefind-entry.json: {exc}"
    for name in required:
        if not (folder / name).is_file() or (folder / name).stat().st_size == 0:
            return f"{name} is missing or empty"
    return None
