"""A site in two languages (sites/bilingual laid over sites/basic): exact addresses,
hreflang pairs, the language switcher, texts per language, Babel dates, feeds and
sitemap per language, stale translations, and config errors at their lines."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clinicpress.preview.live_site import LiveSite
from conftest import BASIC, SITES, build_site, copy_site, failure_lines, replace_in, soup

ROOT_URL = "https://test.example.org/"


@pytest.fixture()
def bilingual(tmp_path: Path) -> Path:
    site = copy_site(BASIC, tmp_path / "site")
    shutil.copytree(SITES / "bilingual", site, dirs_exist_ok=True)
    return site


def hreflang(output: Path, path: str) -> dict[str, str]:
    return {str(link["hreflang"]): str(link["href"])
            for link in soup(output, path).select('head link[rel="alternate"][hreflang]')}


def test_addresses_alternates_and_switcher(bilingual: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(bilingual, out)
    for path in ("posts/night-pain/index.html", "es/posts/dolor-nocturno/index.html",
                 "es/posts/sleep-basics/index.html", "es/posts/solo-en-espanol/index.html",
                 "es/acerca-de/index.html", "es/index.html", "es/tags/dolor/index.html",
                 "es/feed.xml", "es/feed.json", "index.html", "about/index.html"):
        assert (out / path).is_file(), path
    assert not (out / "es/404.html").exists()  # one "not found" page for the whole site
    pair = {"en": ROOT_URL + "posts/night-pain/", "es": ROOT_URL + "es/posts/dolor-nocturno/",
            "x-default": ROOT_URL + "posts/night-pain/"}
    assert hreflang(out, "posts/night-pain/index.html") == pair
    assert hreflang(out, "es/posts/dolor-nocturno/index.html") == pair
    assert hreflang(out, "es/acerca-de/index.html") == {
        "en": ROOT_URL + "about/", "es": ROOT_URL + "es/acerca-de/", "x-default": ROOT_URL + "about/"}
    assert hreflang(out, "es/index.html")["en"] == ROOT_URL
    assert hreflang(out, "es/posts/solo-en-espanol/index.html") == {}  # no other version

    def switcher(path: str) -> dict[str, str]:
        nav = soup(out, path).select_one(".language-switcher")
        assert nav is not None
        return {str(a["hreflang"]): str(a["href"]) for a in nav.select("a")}

    assert switcher("posts/night-pain/index.html") == {"es": "/es/posts/dolor-nocturno/"}
    assert switcher("es/posts/dolor-nocturno/index.html") == {"en": "/posts/night-pain/"}
    assert switcher("es/posts/solo-en-espanol/index.html") == {"en": "/"}  # its home
    assert switcher("posts/sleep-hygiene/index.html") == {"es": "/es/"}


def test_each_language_has_its_texts_dates_feeds_and_structured_data(bilingual: Path,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(bilingual, out)
    spanish = soup(out, "es/posts/dolor-nocturno/index.html")
    assert spanish.html is not None and spanish.html["lang"] == "es"
    assert spanish.title is not None and spanish.title.get_text() == \
        "Dolor por la noche · Clínica de Prueba"
    meta = " ".join(spanish.select_one(".post-meta").get_text().split())  # type: ignore[union-attr]
    assert meta.startswith("Publicado el 10 de febrero de 2024")
    disclaimer = spanish.select_one(".disclaimer").get_text()  # type: ignore[union-attr]
    assert "Solo para informar" in disclaimer
    page = json.loads(spanish.select_one('script[type="application/ld+json"]').string)
    assert page["inLanguage"] == "es"
    english = soup(out, "posts/night-pain/index.html")
    assert english.title is not None and english.title.get_text() == "Night pain · Test Clinic"
    assert "Educational only" in english.select_one(".disclaimer").get_text()  # type: ignore[union-attr]
    feed = ET.fromstring((out / "es/feed.xml").read_bytes())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Dolor por la noche" in titles and "Night pain" not in titles
    assert soup(out, "es/authors/ann/index.html").select_one(".prose").get_text().strip() == \
        "Ann escribe sobre el sueño."  # her Spanish bio
    assert "Dana reviews every article." in soup(out, "es/authors/doc/index.html").get_text()
    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    entry = next(u for u in sitemap if u[0].text == ROOT_URL + "es/posts/dolor-nocturno/")
    links = {x.get("hreflang"): x.get("href") for x in entry
             if x.tag == "{http://www.w3.org/1999/xhtml}link"}
    assert links == {"en": ROOT_URL + "posts/night-pain/",
                     "es": ROOT_URL + "es/posts/dolor-nocturno/"}


def test_a_translation_older_than_its_original_is_flagged(bilingual: Path) -> None:
    replace_in(bilingual / "content/posts/2024-02-10-night-pain.md",
               "last_reviewed: 2024-02-01", "last_reviewed: 2024-03-15")
    result = build_site(bilingual)
    assert [d.format() for d in result.diagnostics if "translation" in d.message] == [
        "content/es/posts/2024-02-10-dolor-nocturno.md:1: warning: translation may be out of "
        "date: the original (content/posts/2024-02-10-night-pain.md) was changed or reviewed "
        "on 2024-03-15, after this translation (2024-02-10)"]
    from clinicpress.commands.report import check_site
    from clinicpress.pipeline import BuildOptions

    rows = check_site(BuildOptions(site_dir=bilingual, search=False)).rows
    row = next(r for r in rows if r["post"].endswith("dolor-nocturno.md"))
    assert row["status"] == "translation out of date"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("languages: [en, es]", "languages: [en, espanol]",
     "list item: 'espanol' is not a language tag (write a code such as en, es or pt-BR)"),
    ("title: {en: Test Clinic, es: Clínica de Prueba}",
     "title: {en: Test Clinic, fr: Clinique}",
     "'title': 'fr' is not one of the site's languages (en, es)"),
    ("title: {en: Test Clinic, es: Clínica de Prueba}", "title: {es: Clínica de Prueba}",
     "'title' needs a text in the default language 'en' (the others fall back to it)"),
])
def test_language_settings_are_checked(bilingual: Path, old: str, new: str,
                                       message: str) -> None:
    replace_in(bilingual / "config.yaml", old, new)
    line = next(n for n, text in enumerate((bilingual / "config.yaml").read_text().splitlines(), 1)
                if text.startswith(new.split(":")[0] + ":"))
    problems = failure_lines(bilingual)
    assert any(p.startswith(f"config.yaml:{line}: error: ") and message in p
               for p in problems), problems


def test_the_preview_serves_every_language(bilingual: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    live = LiveSite(bilingual, "http://127.0.0.1:8000/")
    assert not [d for d in live.reload() if d.level == "error"]
    status, _, body = live.respond("/es/posts/dolor-nocturno/")
    assert status == 200 and "Dolor por la noche" in body.decode()
    replace_in(bilingual / "content/es/posts/2024-02-10-dolor-nocturno.md",
               "cuando todo está en calma", "cuando la casa está en silencio")
    live.update({"content/es/posts/2024-02-10-dolor-nocturno.md"})
    assert "cuando la casa está en silencio" in live.respond(
        "/es/posts/dolor-nocturno/")[2].decode()
