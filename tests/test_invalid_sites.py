"""Each folder in sites/invalid/ is laid over a copy of sites/basic/ and must fail
with exactly the lines in its expected-errors.txt, leaving output/ untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinicpress.commands.cli import main
from conftest import BASIC, FIXED_NOW, SITES, build_site, copy_site

CASES = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


def make_invalid_site(case: str, target: Path) -> Path:
    site = copy_site(BASIC, target)
    shutil.copytree(SITES / "invalid" / case, site, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected-errors.txt"))
    return site


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_exact_lines_and_keeps_output(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_invalid_site(case, tmp_path / "site")
    output = tmp_path / "output"
    build_site(copy_site(BASIC, tmp_path / "good"), output)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))
    capsys.readouterr()

    code = main(["build", "--site", str(site), "--output", str(output), "--strict",
                 "--no-search", "--no-cache"])

    stderr = capsys.readouterr().err.splitlines()
    expected = (SITES / "invalid" / case / "expected-errors.txt").read_text().splitlines()
    assert code == 1
    assert stderr[:-1] == [line for line in expected if line.strip()]
    assert stderr[-1].startswith("build failed: ")
    assert "Traceback" not in "\n".join(stderr)
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before, "a failed build must leave the previous output exactly as it was"


def test_every_case_has_expected_errors() -> None:
    for case in CASES:
        assert (SITES / "invalid" / case / "expected-errors.txt").is_file(), case
