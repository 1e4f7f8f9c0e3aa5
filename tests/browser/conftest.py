"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser),
against the sample site built into a temporary folder and served on a free loopback port."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from clinicpress.pipeline import BuildOptions, build
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

if CHROMIUM is None:
    pytest.skip("browser tests need Debian's chromium: apt-get install -y chromium "
                "(.ci/run installs it)", allow_module_level=True)


def site_wide_headers(folder: Path) -> list[tuple[str, str]]:
    """The headers the build's ``_headers`` file gives every page (as a static host would)."""
    headers, in_block = [], False
    file = folder / "_headers"
    for line in file.read_text().splitlines() if file.is_file() else []:
        if not line.startswith(" "):
            in_block = line.strip() == "/*"  # the block for every page (not /static/*)
        elif in_block:
            name, _, value = line.strip().partition(": ")
            headers.append((name, value))
    return headers


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extra_headers: ClassVar[list[tuple[str, str]]] = []

    def end_headers(self) -> None:
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler_class = type("Handler", (_Quiet,), {"extra_headers": site_wide_headers(folder)})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's own sample site, built with search, served at the root."""
    output = tmp_path_factory.mktemp("browser") / "output"
    build(BuildOptions(site_dir=ROOT, output_dir=output, strict=True))
    server, url = serve_folder(output)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
