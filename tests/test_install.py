"""The engine installs like any Python package: a wheel, built from this repository and
installed into a fresh virtual environment, gives a ``clinicpress`` command (and
``python -m clinicpress``) that creates a new site which builds strict-clean.

Nothing is downloaded: the wheel is built with the hatchling already installed, and the
fresh environment borrows the already installed dependencies through a ``.pth`` file."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_wheel_installs_a_working_clinicpress_command(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # From another folder: the repository's own build.py must not shadow anything.
    run(sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
        "--no-index", "--quiet", "-w", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("clinicpress-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for packaged in ("clinicpress/theme/templates/post.html", "clinicpress/theme/static/site.js",
                     "clinicpress/starter/config.yaml", "clinicpress/py.typed",
                     "clinicpress/__main__.py"):
        assert packaged in names
    assert not any(n.startswith(("content/", "tests/", "templates/")) for n in names)

    fresh = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", fresh, cwd=tmp_path)
    python = fresh / "bin" / "python"
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                           "['purelib'])", cwd=tmp_path).strip())
    (site_packages / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--quiet", wheel, cwd=tmp_path)

    where = run(python, "-c", "import clinicpress; print(clinicpress.__file__)", cwd=tmp_path)
    assert where.startswith(str(fresh))
    command = fresh / "bin" / "clinicpress"
    assert run(command, "--version", cwd=tmp_path).strip().startswith("clinicpress ")
    run(command, "init", "clinic", cwd=tmp_path)
    built = run(command, "build", "--site", "clinic", "--strict", cwd=tmp_path)
    assert "0 warnings" in built
    drafts = run(python, "-m", "clinicpress", "build", "--site", "clinic", "--strict",
                 "--drafts", "--output", "preview", cwd=tmp_path)
    assert "(1 posts)" in drafts and "0 warnings" in drafts
    assert (tmp_path / "clinic/.gitignore").is_file()
    assert (tmp_path / "clinic/output/index.html").is_file()
