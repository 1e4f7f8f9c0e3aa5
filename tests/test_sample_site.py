"""The repository's own sample blog builds in strict mode, and every post has what a patient
needs: contents that resolve, numbered linked references, bio, related posts, review dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.pipeline import BuildOptions, BuildResult, build
from conftest import ROOT, soup


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    output = tmp_path_factory.mktemp("sample") / "output"
    result = build(BuildOptions(site_dir=ROOT, output_dir=output, strict=True, search=False))
    return result, output


def test_strict_build_has_no_warning(sample: tuple[BuildResult, Path]) -> None:
    result, _ = sample
    assert result.diagnostics == ()
    assert len(result.site.posts) >= 6
    assert len({a.id for p in result.site.posts for a in p.authors}) >= 2
    assert len(result.site.config.offices) == 3


def test_every_post_is_complete(sample: tuple[BuildResult, Path]) -> None:
    result, output = sample
    for post in result.site.posts:
        page = soup(output, f"posts/{post.slug}/index.html")
        toc = page.select("nav.toc a")
        assert toc, post.slug
        for link in toc:
            assert page.find(id=link["href"][1:]) is not None, (post.slug, link["href"])
        entries = page.select("ol.reference-list > li")
        assert entries, post.slug
        assert [int(li["value"]) for li in entries] == list(range(1, len(entries) + 1))
        for entry, citation in zip(entries, post.citations, strict=True):
            links = [a["href"] for a in entry.select("a:not(.backlink)")]
            ref = citation.reference
            # Linked to doi.org and PubMed whenever the identifier is known.
            assert links == [u for u in (ref.doi_url, ref.pubmed_url) if u], entry.get_text()
            assert entry.select_one("a.backlink") is not None
        assert page.select_one(".author-bio").get_text(strip=True), post.slug
        assert page.select(".related li"), post.slug
        assert "Medically reviewed by" in page.select_one(".reviewed").get_text()
        assert "Next review due" in page.select_one(".review-dates").get_text()


def test_emergency_notice_only_on_sensitive_topics(sample: tuple[BuildResult, Path]) -> None:
    _, output = sample
    opioids = soup(output, "posts/opioids-what-to-know/index.html")
    assert "988" in opioids.select_one("aside.emergency").get_text()
    assert soup(output, "posts/sleep-and-pain/index.html").select_one("aside.emergency") is None
