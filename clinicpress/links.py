"""Output files in, warnings for internal links and anchors that lead nowhere.

Every ``href`` and ``src`` under the site's base path must name an output file
(``posts/x/`` means ``posts/x/index.html``), and a ``#fragment`` must name an
``id`` on that page. External links are not fetched (builds are offline).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from .diagnostics import Diagnostics
from .model import OutputFile


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value:
                self.links.append(value)


LineFinder = Callable[[str, str], int | None]


def check_links(files: Sequence[OutputFile], base_path: str, diags: Diagnostics,
                find_line: LineFinder = lambda source, needle: None) -> int:
    """Warn for each broken internal link; returns how many links were checked.

    ``find_line(source, link)`` gives the line of the link in its source file.
    """
    pages = {}
    for file in files:
        if file.path.endswith(".html"):
            parser = _Links()
            parser.feed(file.content.decode("utf-8"))
            pages[file.path] = parser
    existing = {f.path for f in files}
    checked = 0
    for path, parser in sorted(pages.items()):
        page_url = base_path + path.removesuffix("index.html")
        for link in dict.fromkeys(parser.links):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = urljoin(page_url, parts.path) if parts.path else page_url
            if not target.startswith(base_path):
                source = _source(files, path)
                diags.warning(source, find_line(source, link), f"link '{link}' leaves the "
                              f"site's base path {base_path}")
                continue
            rel = unquote(target[len(base_path):])
            file_path = rel + "index.html" if rel == "" or rel.endswith("/") else rel
            checked += 1
            source = _source(files, path)
            if file_path not in existing:
                diags.warning(source, find_line(source, link),
                              f"broken link '{link}' (on {path}): no such page")
            elif parts.fragment and file_path in pages and \
                    unquote(parts.fragment) not in pages[file_path].ids:
                diags.warning(source, find_line(source, link),
                              f"link '{link}' (on {path}) points to a missing anchor")
    return checked


def _source(files: Sequence[OutputFile], path: str) -> str:
    return next((f.source for f in files if f.path == path and f.source), path)
