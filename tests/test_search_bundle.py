"""The search bundle is complete every time, even on a machine whose cores are all busy
(Pagefind's service mode used to leave files truncated there: upstream issue #1271)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinicpress.diagnostics import Diagnostics
from clinicpress.output.search_index import BUNDLE, build_search_index, bundle_problem
from conftest import BASIC, build_site, copy_site

pytestmark = pytest.mark.slow


def bundle(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder / BUNDLE).as_posix(): p.read_bytes()
            for p in (folder / BUNDLE).rglob("*") if p.is_file()}


@pytest.fixture()
def busy_cores() -> Iterator[None]:
    """Another process spinning on every core while the test runs."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_the_bundle_is_identical_in_20_builds_under_cpu_load(tmp_path: Path,
                                                             busy_cores: None) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    pages = tmp_path / "pages"
    build_site(site, pages, search=False)
    first: dict[str, bytes] | None = None
    for attempt in range(20):
        folder = shutil.copytree(pages, tmp_path / f"run-{attempt}")
        diags = Diagnostics()
        written = build_search_index(folder, "en", diags)
        assert list(diags) == []
        assert bundle_problem(folder / BUNDLE) is None
        files = bundle(folder)
        assert sorted(f"{BUNDLE}/{name}" for name in files) == written
        if first is None:
            first = files
            assert "pagefind-entry.json" in first and len(first) > 10
        assert files == first, f"build {attempt + 1} differs"
        shutil.rmtree(folder)


def test_a_torn_bundle_is_detected(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    build_site(site, tmp_path / "out", search=True)
    folder = tmp_path / "out" / BUNDLE
    assert bundle_problem(folder) is None
    meta = next(folder.glob("pagefind.*.pf_meta"))
    meta.write_bytes(b"")
    assert bundle_problem(folder) == f"{meta.name} is missing or empty"
    (folder / "pagefind-entry.json").write_text("")
    assert bundle_problem(folder) is not None and "pagefind-entry.json" in str(
        bundle_problem(folder))


@pytest.mark.parametrize(("script", "expected"), [
    ("#!/bin/sh\nexec sleep 600\n", "config.yaml: error: search: Pagefind did not finish within "
                                    "2 s; the site was not published"),
    ("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 3\n",
     "config.yaml: error: search: Pagefind failed (exit 3): Error: out of memory"),
    ("#!/bin/sh\nexit 0\n", "config.yaml: error: search: the Pagefind bundle is incomplete: "
                            "pagefind-entry.json: [Errno 2] No such file or directory: "),
])
def test_a_failing_or_hanging_pagefind_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   script: str, expected: str) -> None:
    from clinicpress.output import search_index

    fake = tmp_path / "pagefind"
    fake.write_text(script)
    fake.chmod(0o755)
    monkeypatch.setattr(search_index, "get_executable", lambda: fake)
    pages = tmp_path / "pages"
    pages.mkdir()
    diags = Diagnostics()
    assert build_search_index(pages, "en", diags, time_limit=2) == []
    lines = [d.format() for d in diags]
    assert len(lines) == 1 and lines[0].startswith(expected)


def test_reading_only_the_searchable_pages_gives_the_same_bundle(tmp_path: Path) -> None:
    """Pagefind is told to read only the pages with data-pagefind-body (posts by one
    pattern per language); what it writes is what it writes after reading every page."""
    from test_languages import SITES

    from clinicpress.output.search_index import search_glob

    site = copy_site(BASIC, tmp_path / "site")
    shutil.copytree(SITES / "bilingual", site, dirs_exist_ok=True)
    pages = tmp_path / "pages"
    build_site(site, pages, search=False)
    searchable = sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")
                        if b"data-pagefind-body" in p.read_bytes())
    assert "es/posts/dolor-nocturno/index.html" in searchable
    assert search_glob(searchable) == "{about/index.html,es/acerca-de/index.html," \
        "es/posts/*/index.html,posts/*/index.html}"
    bundles = []
    for name, chosen in (("every", None), ("chosen", searchable)):
        folder = shutil.copytree(pages, tmp_path / name)
        diags = Diagnostics()
        build_search_index(folder, "en", diags, searchable=chosen)
        assert list(diags) == []
        bundles.append(bundle(folder))
    assert bundles[0] == bundles[1]
    assert search_glob(["posts/a/index.html", "odd[1]/index.html"]) is None
