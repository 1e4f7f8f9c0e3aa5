"""Output files in, warnings for internal links and anchors that lead nowhere.

Every ``href`` and ``src`` under the site's base path must name an output file
(``posts/x/`` means ``posts/x/index.html``), and a ``#fragment`` must name an
``id`` on that page. External links are not fetched (builds are offline).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import OutputFile

LineFinder = Callable[[str, str], int | None]
_ATTRIBUTE = re.compile(r'\s(id|href|src)="([^"]*)"')
# The same after a plain space, the usual case: three times as fast (the engine can look
# for the space alone); used when no other white space stands before such an attribute.
_AFTER_SPACE = re.compile(r' (id|href|src)="([^"]*)"')


def _other_space(html: str) -> bool:
    """Whether white space other than a plain space may stand before an attribute (the
    rare characters looked for alone: one quick scan each)."""
    return ("\t" in html or "\r" in html or "\f" in html or "\v" in html
            or "\nid=" in html or "\nhref=" in html or "\nsrc=" in html)


def _ids_and_links(html: str) -> tuple[set[str], list[str]]:
    """Ids and link targets of generated HTML (always double-quoted attributes), in one pass."""
    ids: set[str] = set()
    links: dict[str, None] = {}
    pattern = _ATTRIBUTE if _other_space(html) else _AFTER_SPACE
    for name, value in pattern.findall(html):
        if name == "id":
            ids.add(unescape(value) if "&" in value else value)
        else:
            links[unescape(value) if "&" in value else value] = None
    return ids, list(links)


def page_ids_and_links(file: OutputFile) -> tuple[set[str], list[str]]:
    return _ids_and_links(file.content.decode("utf-8"))


def compact_links(ids: set[str], links: list[str]) -> tuple[str, list[str]]:
    """A page's ids as one string ("\0id\0id\0"), and its links but those to an anchor
    that is on the page itself (they are fine; only the broken ones are kept)."""
    others = [link for link in links if not (link.startswith("#") and unquote(link[1:]) in ids)]
    return "\0" + "\0".join(sorted(ids)) + "\0", others


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


class LinkIndex:
    """The ids and links of every page, kept instead of the pages (which can be written
    out as soon as they are rendered), in little memory: link strings shared by many pages
    are kept once, links to an anchor on their own page are checked at once, and each
    page's ids are one string ("\0id\0id\0") for the few links from other pages."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, list[str]]] = {}
        self.sources: dict[str, str] = {}
        self.paths: set[str] = set()
        self._strings: dict[str, str] = {}

    def add(self, file: OutputFile) -> None:
        if file.path.endswith(".html"):
            self.add_compact(file.path, file.source, *compact_links(*page_ids_and_links(file)))
            return
        self.paths.add(file.path)
        if file.source:
            self.sources[file.path] = file.source

    def add_compact(self, path: str, source: str, ids: str, links: Iterable[str]) -> None:
        """A page as ``compact_links`` gives it (what worker processes send)."""
        self.paths.add(path)
        if source:
            self.sources[path] = source
        keep = self._strings.setdefault
        self.pages[path] = ids, [keep(link, link) for link in links]

    def check(self, base_path: str, diags: Diagnostics,
              find_line: LineFinder = lambda source, needle: None,
              existing: Set[str] | None = None) -> int:
        """Warn for each broken internal link; returns how many links were checked.

        ``find_line(source, link)`` gives the line of the link in its source file.
        ``existing`` names every output file when only some pages were added (the
        preview checks the page just edited); anchors are checked on added pages only.
        """
        known = self.paths if existing is None else existing
        checked = 0
        # Where a link leads, once per link when that does not depend on the page (the
        # site-wide menu and footer links of every page): None for another site's.
        anywhere: dict[str, tuple[str, str] | None] = {}
        for path, (_, links) in sorted(self.pages.items()):
            page_url = base_path + path.removesuffix("index.html")
            source = self.sources.get(path, path)
            for link in links:
                if link in anywhere:
                    found = anywhere[link]
                    if found is None:
                        continue
                else:
                    scheme, netloc, link_path, fragment = _split(link)
                    if scheme or netloc:
                        anywhere[link] = None
                        continue
                    target = _resolve(page_url, link_path)
                    if not target.startswith(base_path):
                        diags.warning(source, find_line(source, link), f"link '{link}' leaves "
                                      f"the site's base path {base_path}", code="link")
                        continue
                    rel = unquote(target[len(base_path):])
                    found = rel + "index.html" if rel == "" or rel.endswith("/") else rel, \
                        fragment
                    if link_path.startswith("/") and "/." not in link_path:
                        anywhere[link] = found
                file_path, fragment = found
                checked += 1
                if file_path not in known:
                    diags.warning(source, find_line(source, link),
                                  f"broken link '{link}' (on {path}): no such page", code="link")
                elif fragment and file_path in self.pages and \
                        f"\0{unquote(fragment)}\0" not in self.pages[file_path][0]:
                    diags.warning(source, find_line(source, link),
                                  f"link '{link}' (on {path}) points to a missing anchor",
                                  code="link")
        return checked
