"""A build killed at any stage leaves a complete site in output/ (the previous one, or
the new one once the swap happened), and the next build cleans up after it.

The build dies at named crash points (``clinicpress.crash_points``), so every stage is
hit for certain whatever the machine's speed or load: no timed kills.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinicpress.crash_points import POINTS
from conftest import BASIC, ROOT, SITES, copy_site, replace_in

pytestmark = pytest.mark.slow

# The build as the CLI runs it, with the process pools used even for the small fixture site
# (so that their crash points are reached); "two renames" forces the fallback swap.
RUNNER = """
import signal, sys
# Ctrl+C raises KeyboardInterrupt, as in a terminal: a shell that starts a job in the
# background (as CI may) hands it SIGINT ignored, and Python then keeps it ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)
from clinicpress.output import output_folder
from clinicpress.output import page_pool
from clinicpress.content import posts
from clinicpress.commands.cli import main
posts._POOL_MIN_POSTS, posts._CHUNK, page_pool.MIN_POSTS = 1, 1, 1
if sys.argv[1] == "two-renames":
    output_folder._exchange = lambda a, b: False
sys.exit(main(sys.argv[2:]))
"""
BEFORE_SWAP = {"load", "post-pool", "page-pool", "picture-pool", "search", "before-swap"}
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1735732800"}
ENV.pop("CLINICPRESS_CRASH_AT", None)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def run(site: Path, output: Path, swap: str = "exchange", crash: str = "",
        sig: str = "KILL") -> subprocess.CompletedProcess[bytes]:
    env = {**ENV, "CLINICPRESS_CRASH_AT": crash, "CLINICPRESS_CRASH_SIGNAL": sig} if crash \
        else ENV
    return subprocess.run([sys.executable, "-c", RUNNER, swap, "build", "--site", str(site),
                           "--output", str(output), "--no-cache"], capture_output=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """The old site's output folder, and the new (edited) site's files."""
    root = tmp_path_factory.mktemp("crash")
    site = copy_site(BASIC, root / "site")
    # two photos, so that the picture workers run (and their crash point is reached)
    shutil.copytree(SITES / "pictures" / "static", site / "static")
    assert run(site, root / "old").returncode == 0
    replace_in(site / "content/posts/2024-02-10-night-pain.md", "when it is quiet",
               "when the house is silent")
    assert run(site, root / "new").returncode == 0
    return site, root / "old", files(root / "new")


def workers_of(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in command:
            found.append(int(proc.name))
    return found


def wait_until_gone(marker: str, timeout: float = 60.0) -> list[int]:
    """Pool workers notice their parent's death (a signal from the kernel) and exit."""
    deadline = time.monotonic() + timeout
    while (left := workers_of(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


CASES = [(point, sig, "two-renames" if point == "during-swap" else "exchange")
         for point in POINTS for sig in ("KILL", "INT")]


@pytest.mark.skipif(sys.platform != "linux", reason="crash points use POSIX signals and /proc")
@pytest.mark.parametrize(("point", "sig", "swap"), CASES)
def test_a_build_killed_at_any_stage_leaves_a_complete_site(
        tmp_path: Path, builds: tuple[Path, Path, dict[str, bytes]], point: str, sig: str,
        swap: str) -> None:
    site_template, old_output, new_files = builds
    site = shutil.copytree(site_template, tmp_path / "site")
    output = tmp_path / "out"
    shutil.copytree(old_output, output)
    old_files = files(output)

    died = run(site, output, swap, crash=point, sig=sig)
    assert died.returncode != 0, died.stderr.decode()
    assert b"Traceback" not in died.stderr
    assert wait_until_gone(str(site)) == []  # no orphaned render workers
    if point in BEFORE_SWAP or (point == "during-swap" and sig == "INT"):
        assert files(output) == old_files
    elif point == "during-swap":
        assert not output.exists()  # the one moment two renames leave: the old site is beside
        assert [files(p) for p in tmp_path.glob("out.old-*")] == [old_files]
    else:  # after the swap: the new site is complete, only the old one's deletion was cut
        assert files(output) == new_files

    rebuilt = run(site, output)
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()
    assert files(output) == new_files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no leftovers


def test_interrupting_says_so_without_a_traceback(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    died = run(site, tmp_path / "out", crash="before-swap", sig="INT")
    assert died.returncode == 130
    assert died.stderr.decode().splitlines()[-1] == (
        "interrupted: nothing half-written was left in the output folder")
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.skipif(sys.platform != "linux", reason="the pools fork, which is Linux-only here")
def test_a_pool_worker_that_starts_after_its_build_died_ends_at_once() -> None:
    """A build killed while a pool worker was starting died before the worker asked to be
    told: the worker finds another parent and ends, instead of holding the build's output
    pipes open forever (CI would hang until its time limit)."""
    from clinicpress.content.posts import die_with_parent

    child = os.fork()
    if child == 0:  # the worker, as if its parent had died before this ran
        die_with_parent(parent=os.getppid() + 1_000_000)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1
