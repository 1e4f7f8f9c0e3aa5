"""Content a pull request might paste (tests/sites/hostile/) never runs script and never
makes the browser ask another site for anything, on any page of the built site. The
page's own Content-Security-Policy is switched off here (bypass_csp), so what is tested
is the sanitizing and escaping, not the policy that would also block it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from browser.conftest import serve_folder
from conftest import BASIC, SITES, build_site, copy_site


def test_no_page_of_a_hostile_site_runs_script_or_calls_another_site(browser: Any,
                                                                     tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    shutil.copytree(SITES / "hostile" / "content", site / "content", dirs_exist_ok=True)
    output = tmp_path / "out"
    result = build_site(site, output, search=True)
    assert any("raw HTML <script> removed" in d.message for d in result.diagnostics)
    server, url = serve_folder(output)
    context = browser.new_context(bypass_csp=True)
    dialogs: list[str] = []
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
    try:
        pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
        assert "posts/hostile/index.html" in pages
        # All pages open at once, in tabs, so that their quiet periods ("networkidle": no
        # request for 500 ms) overlap instead of adding up; each is then awaited.
        opened = []
        for path in pages:
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"{url}/{path}", wait_until="commit")
            opened.append(page)
        for page in opened:
            page.wait_for_load_state("networkidle")
            page.mouse.move(10, 10)  # hover handlers, if any survived
            page.mouse.click(5, 5)
        for page in opened:
            page.wait_for_load_state("networkidle")  # whatever a click started, finished
            page.close()
    finally:
        context.close()
        server.shutdown()
    assert dialogs == []
    assert outside == []
    post = (output / "posts/hostile/index.html").read_text()
    assert "&lt;/title&gt;&lt;script&gt;" in post  # the title is shown as text
    assert "{{ 7*7 }}" in post  # content is never a template
