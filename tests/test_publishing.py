"""What crawlers, feed readers, search and static hosts read, parsed with real parsers."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import BASIC, ROOT, build_site, copy_site, replace_in, soup

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TRICKY = 'Pain & "flare-ups" <b>bold</b> </script><script>alert(1)</script>'


def test_sitemap_lists_every_public_page_and_nothing_else(basic_output: Path) -> None:
    root = ET.parse(basic_output / "sitemap.xml").getroot()
    locs = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
            for u in root.iter(f"{SITEMAP}url")}
    base = "https://test.example.org/"
    assert locs[base + "posts/sleep-basics/"] == "2024-01-05T00:00:00Z"
    for page in ("", "page/2/", "about/", "tags/sleep/", "authors/ann/", "locations/", "search/"):
        assert base + page in locs, page
    assert not any("draft" in loc or "404" in loc for loc in locs)
    robots = (basic_output / "robots.txt").read_text()
    assert "Sitemap: https://test.example.org/sitemap.xml" in robots


def test_atom_and_json_feeds(basic_output: Path) -> None:
    feed = ET.parse(basic_output / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Clinic news", "Sleep hygiene", "Night pain", "Sleep basics"]
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Night pain")
    assert [a.findtext(f"{ATOM}name") for a in entry.iter(f"{ATOM}author")] == ["Ann Writer",
                                                                               "Dana Doctor"]
    assert entry.find(f"{ATOM}link").get("href") == "https://test.example.org/posts/night-pain/"
    data = json.loads((basic_output / "feed.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["items"][0]["url"] == "https://test.example.org/posts/unrelated/"
    tag_feed = ET.parse(basic_output / "tags/sleep/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in tag_feed.iter(f"{ATOM}entry")] == [
        "Sleep hygiene", "Sleep basics"]


def test_every_page_has_valid_structured_data_and_meta(basic_output: Path) -> None:
    pages = sorted(basic_output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = BeautifulSoup(path.read_text(), "html.parser")
        for script in page.select('script[type="application/ld+json"]'):
            json.loads(script.string)
        if "refresh" in path.read_text():
            continue
        assert page.select_one('meta[name="description"]')["content"], path
        assert page.select_one('link[rel="canonical"]')["href"].startswith("https://test.example.org/")
        assert page.select_one('meta[property="og:title"]')["content"], path
        assert page.select_one('link[rel="icon"]') is not None


def test_offices_are_medical_clinics_with_stable_ids(basic_output: Path) -> None:
    page = soup(basic_output, "locations/index.html")
    graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
    org, clinic = graph
    assert org["@type"] == "MedicalOrganization"
    assert clinic["@type"] == "MedicalClinic"
    assert clinic["@id"] == "https://test.example.org/locations/#office-main"
    assert clinic["address"]["streetAddress"] == "1 Main Street"
    assert clinic["telephone"] == "+15550000001"  # E.164
    assert clinic["parentOrganization"] == {"@id": org["@id"]}
    assert page.find(id="office-main") is not None


def test_search_index_holds_post_text_but_not_navigation_or_references(basic_output: Path) -> None:
    entry = json.loads((basic_output / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] >= 5
    fragments = []
    for file in (basic_output / "pagefind/fragment").iterdir():
        raw = gzip.decompress(file.read_bytes())
        fragments.append(json.loads(raw[raw.index(b"{"):]))
    by_url = {f["url"]: f for f in fragments}
    sleep = by_url["/posts/sleep-basics/"]
    assert "Deep sleep is when repair happens" in sleep["content"]
    assert sleep["meta"]["title"] == "Sleep basics"
    assert "Graven-Nielsen" not in sleep["content"]  # the reference list is not indexed
    assert "heal 1" not in sleep["content"] and "heal" in sleep["content"]  # nor citation numbers
    assert "Our offices" not in sleep["content"]  # nor the footer
    assert not any("Unfinished draft" in f["content"] for f in fragments)


def test_sub_path_build_links_all_resolve(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    output = tmp_path / "out"
    result = build_site(site, output, strict=True, base_url="https://example.github.io/clinic/")
    assert result.diagnostics == ()  # strict: the link checker found nothing broken
    page = soup(output, "about/index.html")
    internal = [a["href"] for a in page.select("a[href^='/']")]
    assert internal and all(href.startswith("/clinic/") for href in internal)
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/clinic/static/style.")
    search = soup(output, "search/index.html").select_one("form")["data-pagefind-url"]
    assert search == "/clinic/pagefind/"
    sitemap = (output / "sitemap.xml").read_text()
    assert "https://example.github.io/clinic/posts/sleep-basics/" in sitemap


def test_builds_are_byte_identical_across_time_zones_locales_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for index, (tz, locale, seed) in enumerate([("UTC", "C", "1"),
                                                ("Pacific/Auckland", "C.UTF-8", "4242")]):
        out = tmp_path / f"out{index}"
        env = {**os.environ, "TZ": tz, "LC_ALL": locale, "PYTHONHASHSEED": seed,
               "SOURCE_DATE_EPOCH": "1795000000"}
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(ROOT), "--output",
                        str(out), "--strict"], check=True, env=env, capture_output=True, timeout=300)
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []


def test_aliases_redirect_and_assets_are_fingerprinted(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    post = site / "content/posts/2024-02-10-night-pain.md"
    replace_in(post, "tags: [pain]", "tags: [pain]\naliases: [/old/night/]")
    output = tmp_path / "out"
    build_site(site, output)
    redirect = soup(output, "old/night/index.html")
    assert redirect.select_one("meta[http-equiv=refresh]")["content"] == "0; url=/posts/night-pain/"
    css = [p.name for p in (output / "static").glob("style.*.css")]
    assert len(css) == 1
    (site / "static").mkdir(exist_ok=True)
    (site / "static/style.css").write_text("body { color: black; }")
    build_site(site, output)
    assert [p.name for p in (output / "static").glob("style.*.css")] != css
    headers = (output / "_headers").read_text()
    assert "Content-Security-Policy: default-src 'self'" in headers


def test_hostile_titles_are_safe_everywhere(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    post = site / "content/posts/2024-03-01-sleep-hygiene.md"
    replace_in(post, "title: Sleep hygiene", f"title: '{TRICKY}'")
    output = tmp_path / "out"
    build_site(site, output)
    html = (output / "posts/sleep-hygiene/index.html").read_text()
    page = BeautifulSoup(html, "html.parser")
    assert page.title.string.startswith(TRICKY)
    assert page.select_one("h1").get_text() == TRICKY
    assert html.count("<script") == html.count("</script>") == 2  # JSON-LD and site.js only
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["name"] == TRICKY
    feed = ET.parse(output / "feed.xml").getroot()
    assert TRICKY in [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert json.loads((output / "feed.json").read_text())["items"][1]["title"] == TRICKY


def test_a_post_turned_draft_disappears_everywhere(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    output = tmp_path / "out"
    build_site(site, output, search=True)
    post = site / "content/posts/2024-02-10-night-pain.md"
    replace_in(post, "tags: [pain]", "tags: [pain]\ndraft: true")
    result = build_site(site, output, search=True)
    assert [d.format() for d in result.diagnostics] == [
        "content/posts/2024-01-05-sleep-basics.md:9: warning: 'related': 'night-pain' is a "
        "draft, so it is left out for now"]
    for file in output.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            if file.suffix == ".pf_fragment":
                data = gzip.decompress(data)
            assert b"night-pain" not in data and b"Night pain" not in data, file
