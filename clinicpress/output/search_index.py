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
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from pagefind.service import get_executable

from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostics

BUNDLE = "pagefind"
TIME_LIMIT = 600.0  # seconds; Pagefind indexes 10,000 long posts in well under a minute


def build_search_index(site: Path, language: str, diags: Diagnostics,
                       time_limit: float = TIME_LIMIT) -> list[str]:
    """Index the HTML pages in the folder ``site`` and write the bundle into its
    ``pagefind/`` folder; returns the bundle's file paths, relative to ``site``.

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
