"""Shared helpers: copy a fixture site, build it in-process, parse its HTML."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from clinicpress.diagnostics import BuildFailed
from clinicpress.pipeline import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
BASIC = SITES / "basic"
FIXED_NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

# Property tests run the same examples on every machine and every run: a failure is
# reproducible, never luck. (Explore new seeds by hand with HYPOTHESIS_PROFILE=explore.)
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output", "output.*",
                                                                  "expected-errors.txt"))
    return target


def replace_in(file: Path, old: str, new: str) -> None:
    """Edit a file as a writer would: ``old`` (which must be there) becomes ``new``."""
    text = file.read_text()
    assert old in text, f"{old!r} is not in {file}"
    file.write_text(text.replace(old, new))


def build_site(site: Path, output: Path | None = None, **options: object) -> BuildResult:
    settings: dict[str, object] = {"now": FIXED_NOW, "search": False}
    settings.update(options)
    return build(BuildOptions(site_dir=site, output_dir=output, **settings))  # type: ignore[arg-type]


def failure_lines(site: Path, output_dir: Path | None = None, **options: object) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_site(site, output_dir, **options)
    return [d.format() for d in failed.value.diagnostics]


def soup(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture()
def basic_site(tmp_path: Path) -> Path:
    return copy_site(BASIC, tmp_path / "site")


@pytest.fixture(scope="session")
def basic_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture site built once (with its search index) for read-only tests."""
    root = tmp_path_factory.mktemp("basic")
    site = copy_site(BASIC, root / "site")
    output = root / "output"
    build_site(site, output, search=True)
    return output


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are slow ones: ``make test-fast`` leaves them out."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.slow)
