"""References as the style manuals print them: citeproc-py with the official CSL styles,
checked entry by entry against citeproc-js (the reference implementation) on the 40
references of tests/csl/references.yaml, plus the corrections and rules of our own."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from clinicpress.content.csl import format_item, linked_entry, prepare_item, sanitize_entry
from clinicpress.content.page_ranges import format_last_page
from clinicpress.model import Reference
from clinicpress.sources.csl_styles import UnknownStyle, resolve_style
from conftest import BASIC, ROOT, build_site, copy_site, failure_lines, replace_in, soup

NODE_READY = shutil.which("node") is not None and (
    ROOT / "node_modules/@citation-js/plugin-csl").is_dir()


@pytest.mark.slow
@pytest.mark.skipif(not NODE_READY, reason="citeproc-js comes from npm: run 'npm ci' (make test "
                                           "does)")
@pytest.mark.parametrize("style", ["ama", "vancouver", "apa"])
def test_every_reference_agrees_with_citeproc_js(style: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from csl_agreement import compare

    agree, differ, excepted = compare(style)
    assert len(agree) + len(excepted) == 40
    assert differ == []


def ama(item: dict[str, object]) -> str:
    path = str(resolve_style("ama", ROOT))
    return str(format_item(json.dumps({"type": "article-journal", "id": "x", **item}), path))


@pytest.mark.parametrize(("first", "last", "style", "expected"), [
    ("2433", "45", "expanded", "2433"[:2] + "45"), ("2433", "2445", "minimal", "45"),
    ("942", "949", "minimal", "9"), ("2417", "2429", "minimal", "29"),
    ("321", "328", "chicago", "28"), ("101", "108", "chicago", "8"), ("1496", "1504", "chicago",
                                                                     "1504"),
    ("S2", "S15", "expanded", "S15"), ("S2", "S15", "minimal", "15"), ("e123", "e130",
                                                                       "minimal", "30"),
    ("12", "9", "expanded", "19"), ("12", "10", "minimal", "10"), ("5", "7", None, "7"),
])
def test_page_ranges_follow_the_style(first: str, last: str, style: str | None,
                                      expected: str) -> None:
    assert format_last_page(first, last, style) == expected


def test_ama_expands_page_ranges_and_keeps_initials_written_together() -> None:
    entry = ama({"author": [{"family": "Sigtermans", "given": "MJ"},
                            {"family": "Després", "given": "Jean-Pierre"},
                            {"family": "Schwartzman", "given": "R.J."}],
                 "title": "T", "container-title-short": "J. Pain", "volume": "1",
                 "page": "2433-45", "issued": {"date-parts": [[2016]]}})
    assert entry.startswith("Sigtermans MJ, Després JP, Schwartzman RJ. T. <i>J Pain</i>.")
    assert "2016;1:2433-2445." in entry


def test_titles_are_text_with_italics_never_script() -> None:
    entry = ama({"author": [{"family": "A", "given": "B"}], "container-title-short": "J",
                 "title": '<i>S. aureus</i> <script>alert(1)</script><img src=x onerror=alert(1)>',
                 "issued": {"date-parts": [[2020]]}})
    assert "<i>S. aureus</i>" in entry
    assert "<script" not in entry and "onerror" not in entry and "<img" not in entry
    assert sanitize_entry('<span class="upright" style="x">a</span>') == \
        '<span class="upright">a</span>'


def test_doi_is_shown_as_registered_and_linked_and_pubmed_is_linked() -> None:
    ref = Reference(id="x", type="article-journal", authors=(), title="T",
                    doi="10.1056/NEJMp1507136", pmid="26468820")
    entry = linked_entry(ama({"author": [{"family": "A", "given": "B"}], "title": "T",
                              "container-title-short": "N Engl J Med", "DOI": ref.doi,
                              "issued": {"date-parts": [[2015]]}}), ref)
    assert '<a href="https://doi.org/10.1056/NEJMp1507136">10.1056/NEJMp1507136</a>' in entry
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/26468820/">PubMed</a>' in entry


def test_names_are_prepared_the_same_way_for_both_processors() -> None:
    item = prepare_item({"author": [{"family": "山田", "given": "太郎"},
                                    {"family": "Henriksson", "given": "KG"}]},
                        "american-medical-association", "")
    assert item["author"] == [{"literal": "山田太郎"},
                              {"family": "Henriksson", "given": "K. G."}]


def test_unknown_styles_and_unsafe_style_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnknownStyle, match="did you mean 'apa'"):
        resolve_style("apaa", tmp_path)
    with pytest.raises(UnknownStyle, match="not a CSL style name"):
        resolve_style("../../etc/passwd", tmp_path)
    (tmp_path / "evil.csl").write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                                       '"file:///etc/passwd">]><style/>')
    with pytest.raises(UnknownStyle, match="DOCTYPE"):
        resolve_style("evil.csl", tmp_path)


def test_switching_to_apa_reformats_every_reference_list(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    build_site(site, tmp_path / "ama")
    replace_in(site / "config.yaml", "posts_per_page: 2", "posts_per_page: 2\ncitation_style: apa")
    build_site(site, tmp_path / "apa")
    for page in ("posts/sleep-basics/index.html", "posts/night-pain/index.html"):
        before = [li.get_text() for li in soup(tmp_path / "ama", page).select("ol.reference-list li")]
        after = [li.get_text() for li in soup(tmp_path / "apa", page).select("ol.reference-list li")]
        assert len(before) == len(after) > 0
        assert all(a != b for a, b in zip(before, after, strict=True))
        assert all("(20" in a or "(19" in a for a in after)  # APA: (year) after the authors


def test_an_unknown_style_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    replace_in(site / "config.yaml", "posts_per_page: 2", "posts_per_page: 2\ncitation_style: amaa")
    line = (site / "config.yaml").read_text().splitlines().index("citation_style: amaa") + 1
    lines = failure_lines(site)
    assert len(lines) == 1 and lines[0].startswith(
        f"config.yaml:{line}: error: 'citation_style': 'amaa' is not a CSL style (did you mean "
        "'ama'")


def test_ama_follows_the_manual_where_the_style_file_does_not() -> None:
    """The documented manual exceptions (tests/csl/exceptions.yaml): "Published <date>" for
    web pages; particles stay in front of the surname (given to both processors)."""
    web = ama({"type": "webpage", "author": [{"family": "Okafor", "given": "Sam"}],
               "title": "Pacing", "container-title": "Example Pain Network",
               "URL": "https://www.example.org/pacing",
               "issued": {"date-parts": [[2022, 11, 8]]},
               "accessed": {"date-parts": [[2024, 1, 9]]}})
    assert "Example Pain Network. Published November 8, 2022. Accessed January 9, 2024." in web
    names = ama({"author": [{"family": "Humboldt", "given": "Alexander",
                             "dropping-particle": "von"}], "title": "T",
                 "container-title-short": "J", "issued": {"date-parts": [[2018]]}})
    assert names.startswith("von Humboldt A.")
