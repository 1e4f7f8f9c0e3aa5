"""The patient's first screen on a phone, and finding one's way in a long article:
measured in the browser on the sample site, on a long real title and on a 30-heading
article with short sections."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from browser.conftest import serve_folder
from clinicpress.pipeline import BuildOptions, build
from conftest import ROOT, copy_site

pytestmark = pytest.mark.slow
PHONE = {"width": 390, "height": 844}
LONG_TITLE = ("Ketamine infusions for complex regional pain syndrome, fibromyalgia and other "
              "long-term pain: what the evidence says")
SHORT = {10, 11, 12, 13, 14}  # sections of one short line each


def long_article() -> str:
    sections = []
    for n in range(1, 31):
        title = f"Section {n}" if n != 7 else ("Section 7, whose title is long enough to wrap "
                                               "onto a second line in the contents panel")
        text = "One short line." if n in SHORT else " ".join(
            ["Pacing means doing a little, resting, then doing a little more."] * 12)
        sections.append(f"## {title}\n\n{text}\n")
    sections.append("Questions? [Find your clinic](/locations/).\n")
    return ("---\ntitle: A long guide to pacing\ndescription: Thirty short parts.\n"
            "date: 2025-03-01\nauthor: maria-lopez\nreviewed_by: dr-anna-weiss\n"
            "last_reviewed: 2025-03-01\ntags: [fibromyalgia]\ntoc_depth: 2\n"
            "accept:\n  no-references: \"a test article for the contents panel\"\n---\n"
            + "\n".join(sections))


@pytest.fixture(scope="module")
def test_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with a long real title on one post and a 30-heading article."""
    site = tmp_path_factory.mktemp("first-screen")
    shutil.copy(ROOT / "config.yaml", site / "config.yaml")
    for name in ("content", "static"):
        if (ROOT / name).is_dir():
            copy_site(ROOT / name, site / name)
    ketamine = site / "content/posts/2025-10-02-ketamine-infusions.md"
    text = ketamine.read_text()
    ketamine.write_text(text.replace(text.split("\n")[1], f'title: "{LONG_TITLE}"', 1))
    (site / "content/posts/2025-03-01-long-guide.md").write_text(long_article())
    output = site / "output"
    build(BuildOptions(site_dir=site, output_dir=output, search=False))
    server, url = serve_folder(output)
    yield url
    server.shutdown()


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    # Reduced motion: jumps to a heading land at once instead of scrolling smoothly.
    page = browser.new_context(viewport=viewport, reduced_motion="reduce").new_page()
    page.goto(url, wait_until="load")
    return page


def first_paragraph(page: Any) -> dict[str, float]:
    box = page.locator(".post-body > p").first.bounding_box()
    assert box is not None
    return box


def test_phone_first_screen_shows_the_title_and_the_first_paragraph(
        browser: Any, sample_site: str, test_site: str) -> None:
    page = open_page(browser, sample_site + "/posts/ketamine-infusions/", PHONE)
    help_bar = page.locator(".help-bar").bounding_box()
    assert help_bar is not None and help_bar["height"] <= 40  # one line, with the number
    assert page.locator(".help-bar a[href^='tel:']").is_visible()
    assert not page.locator(".site-nav").is_visible()  # folded behind "Menu"
    paragraph = first_paragraph(page)
    assert paragraph["y"] + paragraph["height"] <= PHONE["height"], paragraph
    page.context.close()
    spanish = open_page(browser, sample_site + "/es/posts/fibromialgia/", PHONE)
    bar = spanish.locator(".help-bar").bounding_box()
    assert bar is not None and bar["height"] <= 40  # one line in Spanish too
    spanish.context.close()

    page = open_page(browser, test_site + "/posts/ketamine-infusions/", PHONE)
    title = page.locator("h1").bounding_box()
    assert title is not None and title["y"] + title["height"] <= PHONE["height"] / 2
    paragraph = first_paragraph(page)
    line = float(page.locator(".post-body > p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).lineHeight)"))
    # The long title pushes the paragraph down, but its first three lines still show.
    assert paragraph["y"] + 3 * line <= PHONE["height"], paragraph
    page.context.close()


def test_the_menu_opens_from_its_button_on_phones(browser: Any, sample_site: str) -> None:
    page = open_page(browser, sample_site + "/locations/", PHONE)
    toggle = page.locator("button.menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".site-nav").is_visible() and page.locator("#header-search-input").is_visible()
    page.context.close()
    wide = open_page(browser, sample_site + "/locations/", {"width": 1280, "height": 800})
    assert not wide.locator("button.menu-toggle").is_visible()
    assert wide.locator(".site-nav").is_visible()
    wide.context.close()


def test_long_contents_on_a_phone_scroll_and_can_be_reached_again(browser: Any,
                                                                   test_site: str) -> None:
    page = open_page(browser, test_site + "/posts/long-guide/", PHONE)
    page.locator(".toc summary").click()
    panel = page.locator(".toc-list")
    box = panel.bounding_box()
    assert box is not None and box["height"] <= 0.6 * PHONE["height"] + 1
    assert panel.evaluate("e => e.scrollHeight > e.clientHeight")  # it scrolls inside
    page.locator(".toc summary").click()  # closed again
    back = page.locator("a.back-to-contents")
    assert not back.is_visible()  # the contents are on screen: no need yet
    page.locator("#section-20").scroll_into_view_if_needed()
    back.wait_for(state="visible")
    # Reachable by keyboard: the next stop after the article's last link.
    page.locator(".post-body a[href$='/locations/']").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "back-to-contents"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "toc-title"
    assert page.locator(".toc details").evaluate("d => d.open")
    assert page.locator("a.float-call").get_attribute("href") == "tel:+15550104400"
    page.context.close()


def test_desktop_contents_follow_the_heading_being_read(browser: Any, test_site: str) -> None:
    page = open_page(browser, test_site + "/posts/long-guide/", {"width": 1280, "height": 800})
    panel = page.locator(".toc-list")
    for n in (25, 12, 13, 3, 30):
        page.locator(f".toc a[href='#section-{n}']").click()  # the heading moves to the top
        # (Locators, not evaluated strings: the page's CSP forbids eval.)
        page.locator(f".toc a[aria-current=true][href='#section-{n}']").wait_for()
        current = page.locator(".toc a[aria-current=true]").bounding_box()
        box = panel.bounding_box()
        assert current is not None and box is not None
        assert box["y"] <= current["y"] and current["y"] + current["height"] <= box["y"] + box["height"]
    # Scrolled by hand to a short section: that section, not the next one, is highlighted.
    page.locator("#section-12").evaluate("h => h.scrollIntoView({block: 'start'})")
    page.locator(".toc a[aria-current=true][href='#section-12']").wait_for()
    page.context.close()


def test_wrapped_contents_entries_hang_under_their_text(browser: Any, test_site: str) -> None:
    page = open_page(browser, test_site + "/posts/long-guide/", {"width": 1280, "height": 800})
    lefts = page.locator(".toc a", has_text="Section 7,").evaluate(
        "a => { const r = document.createRange(); r.selectNodeContents(a);"
        " return [...r.getClientRects()].map(b => Math.round(b.left)); }")
    assert len(set(lefts)) == 1 and len(lefts) >= 2, lefts
    page.context.close()


def test_citations_sit_against_their_words(browser: Any, sample_site: str) -> None:
    page = open_page(browser, sample_site + "/posts/ketamine-infusions/", PHONE)
    found = page.evaluate("""() => [...document.querySelectorAll('sup.citation')].map(sup => {
        const before = sup.previousSibling?.textContent ?? '';
        const after = sup.nextSibling?.textContent ?? '';
        const r = document.createRange();
        r.setStart(sup.nextSibling, 0); r.setEnd(sup.nextSibling, 1);
        const next = r.getBoundingClientRect(), box = sup.getBoundingClientRect();
        return [before.slice(-1), after.slice(0, 1), Math.abs(next.bottom - box.bottom) < 12];
    })""")
    assert found and all(before.strip() and same_line for before, _, same_line in found), found
    assert {after for _, after, _ in found} <= {".", ",", " ", ";"}
    page.context.close()


def page_bytes(browser: Any, url: str, viewport: dict[str, int]) -> tuple[int, list[str]]:
    """Bytes a phone downloads for a page (bodies and headers, as the browser received
    them), and the pictures it asked for. The page is scrolled to the end so lazy pictures
    load too."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sizes: dict[str, int] = {}

    def finished(request: Any) -> None:
        sizes[request.url] = request.sizes()["responseBodySize"] + request.sizes()[
            "responseHeadersSize"]

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes.values()), [u for u in sizes if "/static/images/" in u]


def test_a_post_with_a_photo_stays_light_on_a_phone(browser: Any, sample_site: str) -> None:
    """The sample post with a 2400x1600 photo, on a 390 px phone: the phone-sized copy is
    fetched, not the original, and the whole page stays under 300 KB."""
    total, pictures = page_bytes(browser, sample_site + "/posts/understanding-fibromyalgia/",
                                 PHONE)
    print(f"\nsample post at 390 px: {total / 1024:.0f} KB transferred; pictures: {pictures}")
    assert [p.rsplit("/", 1)[-1].split(".", 2)[-1] for p in pictures] == ["400w.avif"]
    assert total < 300 * 1024
