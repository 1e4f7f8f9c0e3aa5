"""Both cores, same result: with the process pools on (posts rendered in workers, pages
rendered and written by workers) a site builds byte for byte what one process builds,
with the same diagnostics in the same order. The pools' size thresholds are lowered so a
small generated site takes the pooled paths."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinicpress.content import posts
from clinicpress.output import page_pool
from conftest import ROOT, build_site

pytestmark = pytest.mark.slow


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.skipif(sys.platform != "linux", reason="the pools fork, which is Linux-only here")
def test_the_pools_build_the_same_site_as_one_process(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_corpus import write_site

    site = tmp_path / "site"
    write_site(site, posts=60, seed=5)
    now = datetime(2026, 6, 1, tzinfo=UTC)  # the corpus's posts were reviewed on 2026-01-01
    monkeypatch.setattr(posts, "_POOL_MIN_POSTS", 1)
    monkeypatch.setattr(posts, "_CHUNK", 7)
    monkeypatch.setattr(page_pool, "MIN_POSTS", 1)
    together = build_site(site, tmp_path / "pools", search=True, now=now)
    monkeypatch.setattr(posts, "_POOL_MIN_POSTS", 10**9)
    monkeypatch.setattr(page_pool, "MIN_POSTS", 10**9)
    alone = build_site(site, tmp_path / "alone", search=True, now=now)
    assert files(tmp_path / "pools") == files(tmp_path / "alone")
    assert together.diagnostics == alone.diagnostics
    assert together.file_count == alone.file_count
