"""What a patient sees about review and publication is always true: the review status at
the top of every article, an overdue article says so, future posts wait for their date,
tags in any script get their page, and a printout says whose page it is."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import build_site, replace_in, soup

POST = "content/posts/2024-02-10-night-pain.md"


def test_review_status_sits_under_the_byline(basic_site: Path, tmp_path: Path) -> None:
    replace_in(basic_site / "content/posts/2024-04-01-unrelated.md",
               "reviewed_by: doc\nlast_reviewed: 2024-04-01\n", "")
    build_site(basic_site, tmp_path / "out")
    header = soup(tmp_path / "out", "posts/night-pain/index.html").select_one(".post-header")
    assert header is not None
    reviewed = header.select_one(".reviewed")
    assert reviewed is not None and "Medically reviewed by Dana Doctor, MD" in reviewed.get_text()
    assert header.select_one(".review-due") is None  # FIXED_NOW is well within three years
    unreviewed = soup(tmp_path / "out", "posts/unrelated/index.html").select_one(".post-header")
    assert unreviewed is not None
    assert unreviewed.select_one(".not-reviewed").get_text() == "Not yet medically reviewed"  # type: ignore[union-attr]


def test_an_overdue_article_says_so_near_the_top(basic_site: Path, tmp_path: Path) -> None:
    later = datetime(2027, 6, 1, tzinfo=UTC)  # past night-pain's next review (2027-02-01)
    result = build_site(basic_site, tmp_path / "out", now=later)
    assert any("overdue for medical review" in d.message for d in result.diagnostics)
    due = soup(tmp_path / "out", "posts/night-pain/index.html").select_one(".post-header .review-due")
    assert due is not None
    assert due.get_text(" ", strip=True).startswith(
        "This article is due for review. It was last checked on 1 February 2024")


def test_posts_dated_in_the_future_wait_for_their_date(basic_site: Path, tmp_path: Path) -> None:
    replace_in(basic_site / POST, "date: 2024-02-10", "date: 2025-06-01")  # after FIXED_NOW
    build_site(basic_site, tmp_path / "now")
    assert not (tmp_path / "now/posts/night-pain").exists()
    build_site(basic_site, tmp_path / "future", future=True)
    assert (tmp_path / "future/posts/night-pain/index.html").is_file()
    build_site(basic_site, tmp_path / "preview", drafts=True)
    banner = soup(tmp_path / "preview", "posts/night-pain/index.html").select(".draft-banner")
    assert [b.get_text() for b in banner] == ["Scheduled: published on 1 June 2025"]


def test_tags_in_any_script_get_their_own_page(basic_site: Path, tmp_path: Path) -> None:
    replace_in(basic_site / POST, "tags: [pain]", 'tags: [pain, "睡眠", Café]')
    build_site(basic_site, tmp_path / "out")
    assert (tmp_path / "out/tags/睡眠/index.html").is_file()
    assert (tmp_path / "out/tags/cafe/index.html").is_file()
    topics = soup(tmp_path / "out", "tags/index.html").get_text()
    assert "睡眠" in topics


def test_a_printout_names_the_clinic_its_phone_and_the_address(basic_output: Path) -> None:
    line = soup(basic_output, "posts/sleep-basics/index.html").select_one(".print-only")
    assert line is not None
    assert line.get_text() == ("Test Clinic · (555) 000-0000 · "
                               "https://test.example.org/posts/sleep-basics/")


def test_feeds_carry_the_safety_details_with_links_that_work_in_a_reader(
        tmp_path: Path) -> None:

    import xml.etree.ElementTree as ET

    from clinicpress.pipeline import BuildOptions, build
    from conftest import ROOT

    output = tmp_path / "out"
    build(BuildOptions(site_dir=ROOT, output_dir=output, search=False, strict=True))
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.parse(output / "feed.xml").getroot().findall(f"{atom}entry")
    opioids = next(e for e in entries if "opioids" in e.findtext(f"{atom}id", ""))
    content = opioids.findtext(f"{atom}content", "")
    assert "988" in content  # the emergency notice (posts tagged opioids carry it)
    assert "Medically reviewed by Anna Weiss, MD, FASA" in content
    assert '<h2 id="references">References</h2>' in content
    assert "does not replace advice" in content  # the disclaimer
    url = "https://riverside-pain.example.org/posts/opioids-what-to-know/"
    assert f'href="{url}#ref-' in content  # citation numbers lead to the web page
    assert 'href="#' not in content and 'href="/' not in content
    tag_feed = json.loads((output / "tags/treatments/feed.json").read_text())
    assert tag_feed["feed_url"].endswith("/tags/treatments/feed.json")
    assert tag_feed["items"] and all("Medically reviewed" in item["content_html"]
                                     for item in tag_feed["items"])


def test_phone_numbers_are_checked_and_linked_in_e164(basic_site: Path, tmp_path: Path) -> None:
    from conftest import failure_lines

    build_site(basic_site, tmp_path / "out")
    office = soup(tmp_path / "out", "locations/index.html").select_one("#office-main")
    assert office is not None
    phone = office.select_one('a[href^="tel:"]')
    assert phone is not None and phone["href"] == "tel:+15550000001"
    assert phone.get_text() == "(555) 000-0001"  # the national format on the page
    directions = office.select_one('a[href^="https://www.openstreetmap.org/search"]')
    assert directions is not None and "1+Main+Street" in str(directions["href"])
    config = basic_site / "config.yaml"
    replace_in(config, 'phone: "+1 555 000 0001"', 'phone: "call the front desk"')
    line = config.read_text().splitlines().index('    phone: "call the front desk"') + 1
    assert failure_lines(basic_site) == [
        f"config.yaml:{line}: error: 'phone': 'call the front desk' is not a complete phone "
        "number in US (write it with its area code, or with + and the country code)"]
    replace_in(config, 'phone: "call the front desk"', 'phone: "+1 555 000 0001"')
    replace_in(config, '    postal_code: "00001"\n', "")
    office_line = config.read_text().splitlines().index("  - id: main") + 1
    assert failure_lines(basic_site) == [
        f"config.yaml:{office_line}: error: missing required key 'postal_code' in office"]


def test_office_hours_are_structured_for_patients_and_search_engines(
        basic_site: Path, tmp_path: Path) -> None:
    """Hours written once in config.yaml appear on the locations page, in the footer of
    every page and as schema.org openingHoursSpecification, all saying the same."""
    config = basic_site / "config.yaml"
    replace_in(config, 'hours: [{days: Monday, opens: "09:00", closes: "17:00"}]',
               'hours:\n      - {days: Mon-Thu, opens: "08:00", closes: "17:30"}\n'
               '      - {days: [Friday], opens: "08:00", closes: "12:00"}')
    build_site(basic_site, tmp_path / "out")
    page = soup(tmp_path / "out", "locations/index.html")
    rows = [[cell.get_text() for cell in row.select("th, td")]
            for row in page.select("#office-main table.hours tr")]
    assert rows == [["Monday to Thursday", "8:00\u202fAM\u2009–\u20095:30\u202fPM"],
                    ["Friday", "8:00\u202fAM\u2009–\u200912:00\u202fPM"]]
    footer = soup(tmp_path / "out", "about/index.html").select_one("footer .office")
    assert footer is not None and "Monday to Thursday: 8:00\u202fAM\u2009–\u20095:30\u202fPM" in \
        footer.get_text()
    graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
    assert graph[1]["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday", "Tuesday", "Wednesday",
                                                               "Thursday"],
         "opens": "08:00", "closes": "17:30"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Friday"], "opens": "08:00",
         "closes": "12:00"}]


@pytest.mark.parametrize(("hours", "message"), [
    ('"Monday to Friday: 8 am to 5 pm"', "write the hours as a list of {days: Monday to "
     'Friday, opens: "08:00", closes: "17:00"}, so that search engines and maps can read '
     "them too"),
    ('[{days: Mon-Fri, opens: "08:00", closes: "17:00"}, {days: Fri, opens: "16:00", '
     'closes: "18:00"}]', "two periods overlap on Friday"),
    ('[{days: Friday to Monday, opens: "08:00", closes: "17:00"}]',
     "'Friday to Monday' runs backwards (the week starts on Monday)"),
])
def test_office_hours_that_cannot_be_read_are_errors(basic_site: Path, hours: str,
                                                      message: str) -> None:
    from conftest import failure_lines

    config = basic_site / "config.yaml"
    replace_in(config, 'hours: [{days: Monday, opens: "09:00", closes: "17:00"}]',
               f"hours: {hours}")
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1)
                if "hours:" in text)
    [problem] = failure_lines(basic_site)
    assert problem.startswith(f"config.yaml:{line}: error: ") and problem.endswith(message)


def test_every_article_ends_with_a_way_to_call_or_book(basic_site: Path, tmp_path: Path) -> None:
    """After the article and before its references: the organization's number by default,
    or a chosen office's number and a booking link; an unknown office is an error."""
    from conftest import failure_lines

    build_site(basic_site, tmp_path / "default")
    page = soup(tmp_path / "default", "posts/night-pain/index.html")
    cta = page.select_one("aside.call-to-action")
    assert cta is not None and cta.h2 is not None and cta.h2.get_text() == "Questions about this?"
    assert " ".join(cta.p.get_text().split()) == "Call us at (555) 000-0000."  # type: ignore[union-attr]
    order = [e.get("class", [""])[0] if e.name != "article" else "article"
             for e in page.select("article.post-body, aside.call-to-action, section.references")]
    assert order == ["article", "call-to-action", "references"]

    config = basic_site / "config.yaml"
    config.write_text(config.read_text() + "call_to_action:\n  heading: Questions about "
                      "sleep and pain?\n  office: mian\n  booking_url: https://book.example.org/\n")
    line = len(config.read_text().splitlines()) - 1
    assert failure_lines(basic_site) == [f"config.yaml:{line}: error: 'call_to_action': no "
                                         "office has the id 'mian' (did you mean 'main'?)"]
    replace_in(config, "office: mian", "office: main")
    build_site(basic_site, tmp_path / "office")
    cta = soup(tmp_path / "office", "posts/night-pain/index.html").select_one(".call-to-action")
    assert cta is not None and " ".join(cta.p.get_text().split()) == (  # type: ignore[union-attr]
        "Call Main office at (555) 000-0001, or book a visit online.")
    assert [a["href"] for a in cta.select("a")] == ["tel:+15550000001", "https://book.example.org/"]
    replace_in(config, "call_to_action:\n", "call_to_action:\n  show: false\n")
    build_site(basic_site, tmp_path / "none")
    assert soup(tmp_path / "none", "posts/night-pain/index.html").select_one(
        ".call-to-action") is None
