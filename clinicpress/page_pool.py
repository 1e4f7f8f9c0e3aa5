"""The site's HTML pages rendered by all cores at once, when a build writes a big site.

Forked workers inherit the assembled ``Site``, the templates and the staging
folder (nothing is pickled to them); each renders every n-th page, writes it
into the staging folder and sends back only what the checks need: path, source,
ids, links, whether it is a public page, template errors and the page-cache
entries it used. Pages are the same as when one process renders them all.
Elsewhere than Linux, for small sites, and when nothing is written (``check``,
the preview), the pages are rendered in this process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .diagnostics import Diagnostic, Diagnostics
from .file_sink import FileSink
from .links import page_ids_and_links
from .output import Staging, is_safe_path
from .posts import die_with_parent
from .render import Renderer, page_context_key, render_site
from .site import Site

MIN_POSTS = 300


@dataclass(frozen=True, slots=True)
class PageRecord:
    path: str
    source: str
    ids: frozenset[str]
    links: tuple[str, ...]
    public: bool


@dataclass(frozen=True, slots=True)
class _Share:
    records: list[PageRecord]
    diagnostics: list[Diagnostic]
    cache_used: set[str]
    cache_hits: int


_INHERITED: tuple[Site, Renderer, Staging, str] | None = None  # set before the fork


def is_public(path: str, content: bytes) -> bool:
    """A page for the sitemap: not the 404 page, not an alias that redirects."""
    return path != "404.html" and b'http-equiv="refresh"' not in content


def _render_share(first: int, step: int) -> _Share:
    assert _INHERITED is not None
    site, renderer, staging, context_key = _INHERITED
    renderer.diags = Diagnostics()
    records = []
    for page in render_site(site, renderer, (first, step), context_key):
        if is_safe_path(page.path):  # an unsafe one is reported by the checks
            staging.write(page)
        ids, links = page_ids_and_links(page)
        records.append(PageRecord(page.path, page.source, frozenset(ids), tuple(links),
                                  is_public(page.path, page.content)))
    return _Share(records, list(renderer.diags), renderer.pages.used, renderer.pages.hits)


def render_pages(site: Site, renderer: Renderer, sink: FileSink) -> list[str]:
    """Every HTML page into ``sink``; returns the public pages' paths."""
    workers = os.cpu_count() or 1
    if sink.staging is None or sys.platform != "linux" or workers < 2 or \
            len(site.posts) < MIN_POSTS:
        public = []
        for page in render_site(site, renderer):
            sink.add(page)
            if is_public(page.path, page.content):
                public.append(page.path)
        return public
    global _INHERITED
    _INHERITED = (site, renderer, sink.staging, page_context_key(site, renderer))
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            shares = list(pool.map(_render_share, range(workers), itertools.repeat(workers)))
    finally:
        _INHERITED = None
    for share in shares:
        renderer.diags.extend(share.diagnostics)
        renderer.pages.used |= share.cache_used
        renderer.pages.hits += share.cache_hits
    public = []
    for record in _in_page_order(shares):
        sink.add_extracted(record.path, record.source, set(record.ids), list(record.links))
        if record.public:
            public.append(record.path)
    return public


def _in_page_order(shares: list[_Share]) -> Iterator[PageRecord]:
    """The records in the order one process renders the pages (worker i has every n-th)."""
    columns = [share.records for share in shares]
    for row in itertools.zip_longest(*columns):
        yield from (record for record in row if record is not None)
