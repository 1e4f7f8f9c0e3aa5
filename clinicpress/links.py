"""Output files in, warnings for internal links and anchors that lead nowhere.

Every ``href`` and ``src`` under the site's base path must name an output file
(``posts/x/`` means ``posts/x/index.html``), and a ``#fragment`` must name an
``id`` on that page. External links are not fetched (builds are offline).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

from .diagnostics import Diagnostics
from .model import OutputFile

LineFinder = Callable[[str, str], int | None]
_ATTRIBUTE = re.compile(r'\s(id|href|src)="([^"]*)"')


def _ids_and_links(html: str) -> tuple[set[str], list[str]]:
    """Ids and link targets of generated HTML (always double-quoted attributes), in one pass."""
    ids: set[str] = set()
    links: dict[str, None] = {}
    for name, value in _ATTRIBUTE.findall(html):
        if name == "id":
            ids.add(unescape(value) if "&" in value else value)
        else:
            links[unescape(value) if "&" in value else value] = None
    return ids, list(links)


@lru_cache(maxsize=8192)
def _split(link: str) -> tuple[str, str, str, str]:
    parts = urlsplit(link)
    return parts.scheme, parts.netloc, parts.path, parts.fragment


def _resolve(page_url: str, link_path: str) -> str:
    """The absolute path a link leads to (site-absolute links, the common case, are as is)."""
    if not link_path:
        return page_url
    if link_path.startswith("/") and "/." not in link_path:
        return link_path
    return urljoin(page_url, link_path)


def check_links(files: Sequence[OutputFile], base_path: str, diags: Diagnostics,
                find_line: LineFinder = lambda source, needle: None,
                existing: Set[str] | None = None) -> int:
    """Warn for each broken internal link; returns how many links were checked.

    ``find_line(source, link)`` gives the line of the link in its source file.
    ``existing`` names every output file when ``files`` are only some of them (the
    preview checks the page just edited); anchors are checked on ``files`` only.
    """
    pages = {f.path: _ids_and_links(f.content.decode("utf-8")) for f in files
             if f.path.endswith(".html")}
    sources = {f.path: f.source for f in files if f.source}
    if existing is None:
        existing = {f.path for f in files}
    checked = 0
    for path, (_, links) in sorted(pages.items()):
        page_url = base_path + path.removesuffix("index.html")
        source = sources.get(path, path)
        for link in links:
            scheme, netloc, link_path, fragment = _split(link)
            if scheme or netloc:
                continue
            target = _resolve(page_url, link_path)
            if not target.startswith(base_path):
                diags.warning(source, find_line(source, link), f"link '{link}' leaves the "
                              f"site's base path {base_path}")
                continue
            rel = unquote(target[len(base_path):])
            file_path = rel + "index.html" if rel == "" or rel.endswith("/") else rel
            checked += 1
            if file_path not in existing:
                diags.warning(source, find_line(source, link),
                              f"broken link '{link}' (on {path}): no such page")
            elif fragment and file_path in pages and \
                    unquote(fragment) not in pages[file_path][0]:
                diags.warning(source, find_line(source, link),
                              f"link '{link}' (on {path}) points to a missing anchor")
    return checked
