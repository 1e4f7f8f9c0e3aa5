"""The basic fixture site, built and read back as a reader (and a crawler) would."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import build_site, replace_in, soup


def test_every_post_has_a_contents_sidebar_whose_links_resolve(basic_output: Path) -> None:
    page = soup(basic_output, "posts/sleep-basics/index.html")
    toc = page.select_one("nav.toc")
    assert toc is not None
    targets = [a["href"] for a in toc.select("a")]
    assert targets == ["#why-sleep-matters", "#deep-sleep", "#what-to-do", "#references"]
    for href in targets:
        assert page.find(id=href[1:]) is not None, href


def test_references_are_numbered_in_order_of_first_citation(basic_output: Path) -> None:
    page = soup(basic_output, "posts/sleep-basics/index.html")
    sups = [[a.get_text() for a in sup.select("a")] for sup in page.select("sup.citation")]
    assert sups == [["1"], ["2"], ["1", "2"]]
    items = page.select("ol.reference-list > li")
    assert [li["id"] for li in items] == ["ref-shared-paper", "ref-own-paper"]
    assert items[0].get_text().startswith("Woolf CJ. Central sensitization")
    links = [a["href"] for a in items[0].select("a")]
    assert "https://doi.org/10.1016/j.pain.2010.09.030" in links
    assert "https://pubmed.ncbi.nlm.nih.gov/20961685/" in links
    assert items[0].select_one("a.backlink")["href"] == "#cite-shared-paper"
    assert page.find(id="cite-shared-paper") is not None


def test_further_reading_follows_the_references(basic_output: Path) -> None:
    page = soup(basic_output, "posts/sleep-basics/index.html")
    link = page.select_one(".further-reading a")
    assert link["href"] == "https://medlineplus.gov/healthysleep.html"


def test_byline_bio_review_and_related_posts(basic_output: Path) -> None:
    page = soup(basic_output, "posts/sleep-basics/index.html")
    byline = page.select_one(".byline")
    assert byline.select_one("a")["href"] == "/authors/ann/"
    assert "RN" in byline.get_text()
    assert "Ann writes about sleep." in page.select_one(".author-bio").get_text()
    reviewed = page.select_one(".reviewed").get_text(" ", strip=True)
    assert "Medically reviewed by Dana Doctor, MD on 1 January 2024" in reviewed
    dates = page.select_one(".review-dates").get_text(" ", strip=True)
    assert "Next review due: 31 December 2026" in dates
    related = [a.get_text() for a in page.select(".related a")]
    # The post's own choice first, then the post sharing the most tags; never unrelated news.
    assert related == ["Night pain", "Sleep hygiene"]
    assert "Why pain can feel worse at night." in page.select_one(".related").get_text()


def test_disclaimer_and_offices_on_every_post(basic_output: Path) -> None:
    page = soup(basic_output, "posts/night-pain/index.html")
    assert "Educational only" in page.select_one(".disclaimer").get_text()
    assert "1 Main Street" in page.select_one("footer").get_text()


def test_drafts_are_not_published_anywhere(basic_output: Path) -> None:
    assert not (basic_output / "posts/draft").exists()
    for file in basic_output.rglob("*"):
        if file.is_file() and file.suffix in {".html", ".xml", ".json"}:
            assert "Unfinished draft" not in file.read_text(encoding="utf-8"), file


def test_home_page_is_paginated_newest_first(basic_output: Path) -> None:
    first = [a.get_text() for a in soup(basic_output, "index.html").select(".card-title a")]
    second = [a.get_text() for a in soup(basic_output, "page/2/index.html").select(".card-title a")]
    assert first == ["Clinic news", "Sleep hygiene"]
    assert second == ["Night pain", "Sleep basics"]


def test_tag_author_location_and_other_pages_exist(basic_output: Path) -> None:
    tag = soup(basic_output, "tags/sleep/index.html")
    assert [a.get_text() for a in tag.select(".card-title a")] == ["Sleep hygiene", "Sleep basics"]
    # posts_per_page is 2: the 'pain' tag (2 posts) fits one page; none is split needlessly
    assert not (basic_output / "tags/sleep/page/2").exists()
    author = soup(basic_output, "authors/doc/index.html")
    assert "Dana reviews every article." in author.get_text()
    assert "Night pain" in author.get_text()
    locations = soup(basic_output, "locations/index.html")
    assert locations.find(id="office-main") is not None
    assert (basic_output / "about/index.html").exists()
    assert (basic_output / "404.html").exists()


def test_post_structured_data_is_valid_json(basic_output: Path) -> None:
    page = soup(basic_output, "posts/sleep-basics/index.html")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2024-01-01"
    assert data["reviewedBy"]["name"] == "Dana Doctor"
    assert data["medicalAudience"]["audienceType"] == "Patient"
    assert data["mainEntity"]["author"][0]["url"] == "https://test.example.org/authors/ann/"
    assert data["citation"][0]["sameAs"][0] == "https://doi.org/10.1016/j.pain.2010.09.030"


def test_tag_pages_are_paginated_like_the_home_page(tmp_path: Path) -> None:
    from conftest import BASIC, build_site, copy_site

    site = copy_site(BASIC, tmp_path / "site")
    for name in ("2024-03-01-sleep-hygiene.md", "2024-02-10-night-pain.md"):
        post = site / "content/posts" / name
        replace_in(post, "tags: [", "tags: [news, ")
    output = tmp_path / "out"
    build_site(site, output, strict=True)  # strict: every pagination link resolves
    first = [a.get_text() for a in soup(output, "tags/news/index.html").select(".card-title a")]
    second = [a.get_text() for a in soup(output, "tags/news/page/2/index.html").select(".card-title a")]
    assert first == ["Clinic news", "Sleep hygiene"] and second == ["Night pain"]
    nav = soup(output, "tags/news/page/2/index.html").select_one("nav.pagination a[rel=prev]")
    assert nav["href"] == "/tags/news/"


def test_contents_show_headings_as_written(basic_site: Path, tmp_path: Path) -> None:
    """'## Fish & chips' reads 'Fish & chips' in the contents, not 'Fish &amp; chips'."""
    post = basic_site / "content/posts/2024-02-10-night-pain.md"
    post.write_text(post.read_text() + "\n## Fish & chips <b>tonight</b>\n\nMore text.\n")
    build_site(basic_site, tmp_path / "out")
    page = soup(tmp_path / "out", "posts/night-pain/index.html")
    entries = [a.get_text() for a in page.select("nav.toc a")]
    assert "Fish & chips tonight" in entries
