"""The CI files in docs/ci, run as written (minus the install steps) on the sample site
and on a site of articles imported from an old website: both must pass ``--strict``,
the imported one thanks to the acceptances its editors wrote in each article."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES

pytestmark = pytest.mark.slow
COMMIT_DATE = "2026-06-01T12:00:00+00:00"  # the build's "today": fixed, so review dates are
WORKFLOWS = sorted((ROOT / "docs/ci").glob("*.yml"))


def build_script(workflow: Path, temp: Path) -> str:
    """The workflow's build lines as one shell script, with CI's variables filled in."""
    data = yaml.safe_load(workflow.read_text())
    lines: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script") and isinstance(value, str | list):
                    lines.extend([value] if isinstance(value, str) else value)
                else:
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(data)
    script = "\n".join(line for line in lines if "build.py" in line or "SOURCE_DATE_EPOCH" in
                       line)
    assert "build.py build --strict" in script, workflow
    for variable, value in (("${{ runner.temp }}", str(temp)),
                            ("${{ github.repository_owner }}", "clinic"),
                            ("${{ github.event.repository.name }}", "site"),
                            ("$CI_PAGES_URL", "https://clinic.example.org")):
        script = script.replace(variable, value)
    assert "${{" not in script, script
    return script.replace("python build.py", f"{sys.executable} -m clinicpress")


def site_repository(content: list[Path], target: Path) -> Path:
    """A git checkout of a site, as CI would clone it."""
    target.mkdir()
    for item in content:
        copy = shutil.copytree if item.is_dir() else shutil.copy
        copy(item, target / item.name)
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "import"]):
        subprocess.run(["git", *command], cwd=target, check=True, env=env)
    return target


def run_ci(workflow: Path, site: Path, temp: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["CLINICPRESS_CACHE_KEY"] = "a key kept as a CI secret"
    env["PYTHONPATH"] = str(ROOT)  # the engine of this checkout
    return subprocess.run(["bash", "-e", "-c", build_script(workflow, temp)], cwd=site,
                          capture_output=True, text=True, env=env, timeout=300)


SAMPLE = [ROOT / name for name in ("config.yaml", "content", "static")]
IMPORTED = [SITES / "imported" / name for name in ("config.yaml", "content")]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.stem for w in WORKFLOWS])
@pytest.mark.parametrize("name", ["sample", "imported"])
def test_the_ci_examples_pass_on_real_sites(workflow: Path, name: str, tmp_path: Path) -> None:
    site = site_repository(SAMPLE if name == "sample" else IMPORTED, tmp_path / "site")
    result = run_ci(workflow, site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"built \d+ files \(\d+ posts(, \d+ translated)?\) into \S+ in [\d.]+s, "
                     r"0 warnings",
                     result.stdout), result.stdout
    if name == "imported":
        assert "(4 accepted: `check` lists them)" in result.stdout


def test_without_its_acceptances_the_imported_site_fails_strict_ci(tmp_path: Path) -> None:
    site = site_repository(IMPORTED, tmp_path / "site")
    for post in (site / "content/posts").glob("*.md"):
        post.write_text(re.sub(r"^accept:\n(?:  .*\n)+", "", post.read_text(), flags=re.M))
    result = run_ci(WORKFLOWS[0], site, tmp_path)
    assert result.returncode == 1
    assert "0 errors, 4 warnings (--strict: warnings count as errors)" in result.stderr
    for warning in ("reading grade", "listed but never cited", "overdue for medical review",
                    "raw HTML attribute 'style'"):
        assert warning in result.stderr, warning
