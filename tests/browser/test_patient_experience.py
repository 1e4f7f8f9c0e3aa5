"""What a patient on a phone (or at a desk, or printing for their doctor) actually gets."""

from __future__ import annotations

from typing import Any

import pytest

from browser.conftest import AXE, SCREENSHOTS

PAGE_TYPES = {
    "home": "/",
    "post": "/posts/understanding-fibromyalgia/",
    "tag": "/tags/fibromyalgia/",
    "topics": "/tags/",
    "author": "/authors/maria-lopez/",
    "locations": "/locations/",
    "page": "/about/",
    "search": "/search/",
    "404": "/404.html",
    "home-es": "/es/",
    "post-es": "/es/posts/fibromialgia/",
}
WIDTHS = {"phone": 390, "desktop": 1280}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def open_page(browser: Any, url: str, width: int, scheme: str = "light",
              wait: str = "load", **kw: Any) -> Any:
    """A page, once it and everything it names have loaded ("load": the pages make no later
    request of their own, except search; "networkidle" waits 500 ms more to be sure)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  **kw)
    page = context.new_page()
    page.goto(url, wait_until=wait)
    return page


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core missing: run 'npm ci' (.ci/run does)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violations(browser: Any, sample_site: str, name: str, width: int,
                                 scheme: str) -> None:
    # The site's CSP forbids injected scripts; axe is the test's, not the site's.
    page = open_page(browser, sample_site + PAGE_TYPES[name], width, scheme, bypass_csp=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in result["violations"]]
    page.context.close()
    assert problems == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_request_leaves_the_site_and_the_csp_holds(browser: Any, sample_site: str,
                                                      name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("window.__csp = []; document.addEventListener("
                            "'securitypolicyviolation', e => window.__csp.push("
                            "e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(sample_site + PAGE_TYPES[name], wait_until="networkidle")
    if name == "search":
        page.fill("#search-input", "sleep")
        page.click("button[type=submit]")
        page.wait_for_selector("#search-results li")
    violations = page.evaluate("window.__csp")
    csp = page.evaluate("fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    context.close()
    outside = [url for url in requests if not url.startswith(sample_site)]
    assert requests and outside == []
    assert csp and "default-src 'self'" in csp  # the site's own _headers are in force here
    assert violations == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_horizontal_scrolling_at_320px_or_at_200_percent_text(browser: Any, sample_site: str,
                                                                 name: str) -> None:
    narrow = open_page(browser, sample_site + PAGE_TYPES[name], 320)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.context.close()
    zoomed = open_page(browser, sample_site + PAGE_TYPES[name], 640)  # 1280 px at 200 % zoom
    zoomed.evaluate("document.documentElement.style.fontSize = '200%'")
    assert zoomed.evaluate("document.documentElement.scrollWidth") <= 640
    zoomed.context.close()


def test_targets_are_at_least_24px(browser: Any, sample_site: str) -> None:
    selectors = (".site-nav a, .toc a, .toc summary, .tag, .pagination a, button, "
                 "sup.citation a, .backlink, .help-bar a, .skip-link")
    for url in (PAGE_TYPES["post"], PAGE_TYPES["home"], PAGE_TYPES["search"]):
        for width in WIDTHS.values():
            page = open_page(browser, sample_site + url, width)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            small = page.evaluate("""sel => [...document.querySelectorAll(sel)]
                .filter(e => e.getClientRects().length && !e.closest('.skip-link'))
                .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
                .filter(([t, r]) => r.width < 24 || r.height < 24).map(([t]) => t)""", selectors)
            page.context.close()
            assert small == [], (url, width)


def test_contents_sidebar_on_desktop_is_sticky_and_follows_reading(browser: Any,
                                                                   sample_site: str) -> None:
    page = open_page(browser, sample_site + PAGE_TYPES["post"], 1280)
    toc = page.locator("nav.toc")
    assert toc.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert page.locator("nav.toc details").evaluate("d => d.open")
    page.locator("#gentle-exercise").evaluate("h => h.scrollIntoView({block: 'start'})")
    # The highlight settles on the section being read (the event, not a delay, is awaited;
    # a locator, not an evaluated string: the page's CSP forbids eval).
    page.locator(".toc a[aria-current=true]", has_text="Gentle exercise").wait_for()
    box = toc.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # still on screen far down the article
    page.context.close()


def test_contents_on_phone_collapse_and_move_focus_to_the_heading(browser: Any,
                                                                  sample_site: str) -> None:
    page = open_page(browser, sample_site + PAGE_TYPES["post"], 390)
    details = page.locator("nav.toc details")
    assert not details.evaluate("d => d.open")
    page.click("nav.toc summary")
    page.click("nav.toc a[href='#when-to-call-us']")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'when-to-call-us'")
    # Scrolling may be smooth: wait until the heading has arrived near the top of the screen.
    page.wait_for_function("""() => { const r = document.getElementById('when-to-call-us')
        .getBoundingClientRect(); return r.top >= 0 && r.top < 120; }""", timeout=5000)
    assert page.url.endswith("#when-to-call-us")
    assert not details.evaluate("d => d.open")  # the list gets out of the way again
    page.context.close()


def test_contents_work_without_javascript(browser: Any, sample_site: str) -> None:
    page = open_page(browser, sample_site + PAGE_TYPES["post"], 390, java_script_enabled=False)
    assert page.locator("nav.toc details").evaluate("d => d.open")
    page.click("nav.toc a[href='#how-doctors-find-it']")
    assert page.url.endswith("#how-doctors-find-it")
    page.context.close()


def test_search_finds_a_post(browser: Any, sample_site: str) -> None:
    page = open_page(browser, sample_site + "/search/?q=ketamine", 390)
    page.wait_for_selector("#search-results li a")
    titles = page.locator("#search-results li a").all_inner_texts()
    assert "Ketamine infusions for long-term pain" in titles
    assert "found" in page.locator("#search-status").inner_text()
    page.context.close()


def test_search_in_spanish_finds_spanish_articles_only(browser: Any, sample_site: str) -> None:
    """Pagefind splits the index by each page's language: a search from the Spanish pages
    finds the Spanish articles, not their English originals."""
    page = open_page(browser, sample_site + "/es/search/?q=fibromialgia", 390)
    page.wait_for_selector("#search-results li a")
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    assert hrefs and all("/es/" in href for href in hrefs), hrefs
    assert "Fibromialgia: qué es y qué ayuda" in page.locator("#search-results").inner_text()
    assert "encontrado" in page.locator("#search-status").inner_text()
    page.context.close()


def test_print_shows_references_with_links_and_hides_navigation(browser: Any,
                                                                sample_site: str) -> None:
    page = open_page(browser, sample_site + PAGE_TYPES["post"], 800)
    page.emulate_media(media="print")
    hidden = page.evaluate("""['.site-nav', '.toc', '.site-footer', '.related']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    after = page.evaluate("getComputedStyle(document.querySelector('.reference-list a[href^=\"https://doi.org\"]'), '::after').content")
    assert "https://doi.org/" in after
    printed_url = page.evaluate("getComputedStyle(document.querySelector('.post-header'), '::after').content")
    assert "https://riverside-pain.example.org/posts/understanding-fibromyalgia/" in printed_url
    assert page.locator(".review-dates").is_visible()
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF"
    page.context.close()


def test_screenshots_for_review(browser: Any, sample_site: str) -> None:
    """Screenshots of a post for people to look at; each is the page's full width and
    height, and the dark scheme really is dark (the light one light)."""
    from PIL import Image, ImageStat

    SCREENSHOTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        for scheme in ("light", "dark"):
            page = open_page(browser, sample_site + PAGE_TYPES["post"], width, scheme,
                             wait="networkidle")
            height = page.evaluate("document.documentElement.scrollHeight")
            path = SCREENSHOTS / f"post-{label}-{scheme}.png"
            page.screenshot(path=str(path), full_page=True)
            page.context.close()
            with Image.open(path) as shot:
                assert shot.size == (width, height)
                brightness = ImageStat.Stat(shot.convert("L")).mean[0]
            assert (brightness > 170) if scheme == "light" else (brightness < 90), brightness


def test_search_works_offline_under_a_sub_path(browser: Any, tmp_path: Any) -> None:
    from browser.conftest import serve_folder
    from conftest import BASIC, build_site, copy_site

    site = copy_site(BASIC, tmp_path / "site")
    root = tmp_path / "root"
    build_site(site, root / "clinic", search=True, base_url="https://example.github.io/clinic/")
    server, url = serve_folder(root)
    try:
        context = browser.new_context(offline=False)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + "/clinic/search/?q=repair", wait_until="networkidle")
        page.wait_for_selector("#search-results li a")
        hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
        assert hrefs == [url + "/clinic/posts/sleep-basics/"]
        page.click("#search-results li a")
        page.wait_for_url(url + "/clinic/posts/sleep-basics/")
        assert all(r.startswith(url + "/clinic/") for r in requests)
        context.close()
    finally:
        server.shutdown()


def test_the_header_search_box_on_every_page_leads_to_results(browser: Any,
                                                              sample_site: str) -> None:
    page = open_page(browser, sample_site + PAGE_TYPES["locations"], 390)
    page.click("button.menu-toggle")  # on a phone the search box is in the menu
    page.fill("#header-search-input", "migraine")
    page.press("#header-search-input", "Enter")
    page.wait_for_url("**/search/?q=migraine")
    page.wait_for_selector("#search-results li a")
    assert "Botox injections for chronic migraine" in page.locator("#search-results").inner_text()
    page.context.close()
