"""The preview in a real browser: a save reloads the open page, an error shows an overlay."""

from __future__ import annotations

from typing import Any

from test_serve import Preview, preview, wait_for  # noqa: F401  (the running preview server)


def test_save_reloads_the_open_page_and_errors_show_in_an_overlay(browser: Any,
                                                                  preview: Preview) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(preview.url + "/posts/night-pain/", wait_until="networkidle")
    # livereload.js has said hello on its WebSocket: the server will tell it to reload
    wait_for(lambda: int(str(preview.status()["reloading_pages"])) >= 1)
    preview.edit("when it is quiet", "when the lights are off")
    # Locators, not evaluated strings: the page's CSP forbids eval (the test obeys it too).
    page.locator("main", has_text="when the lights are off").wait_for(timeout=60_000)
    preview.edit("date: 2024-02-10", "date: 2024-13-10")
    page.wait_for_selector(".clinicpress-problems", timeout=60_000)
    overlay = page.locator(".clinicpress-problems").inner_text()
    assert "content/posts/2024-02-10-night-pain.md:4: error: 'date'" in overlay
    assert "when the lights are off" in page.locator("main").inner_text()  # last good page
    preview.edit("date: 2024-13-10", "date: 2024-02-10")
    page.locator(".clinicpress-problems").wait_for(state="detached", timeout=60_000)
    context.close()
