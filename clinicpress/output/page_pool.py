"""The site's HTML pages rendered by all cores at once, when a build writes a big site.

Forked workers inherit the assembled ``Site``, the templates and the staging
folder (nothing is pickled to them); each task renders every n-th page, writes
it into the staging folder and sends back only what the checks need, compacted
(``links.compact_links``): path, source, ids, links, whether it is a public
page, template errors and the page-cache entries it used. There are several
tasks per worker so no big result is ever held at once. Pages are the same as
when one process renders them all.
Elsewhere than Linux, for small sites, and when nothing is written (``check``,
the preview), the pages are rendered in this process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from clinicpress.content.posts import die_with_parent
from clinicpress.content.site import Site
from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostic, Diagnostics
from clinicpress.output.file_sink import FileSink
from clinicpress.output.links import compact_links, page_ids_and_links
from clinicpress.output.staging import Staging, is_safe_path
from clinicpress.render.cached_pages import page_context_keys, render_numbered, render_site
from clinicpress.render.templates import Renderer, compile_templates

MIN_POSTS = 300


TASKS_PER_WORKER = 8


@dataclass(frozen=True, slots=True)
class PageRecord:
    index: int  # position in ``page_jobs``: records are added in the order of one process
    path: str
    source: str
    ids: str
    links: list[str]
    public: bool
    searchable: bool  # has data-pagefind-body: the search index reads it


@dataclass(frozen=True, slots=True)
class _Share:
    records: list[PageRecord]
    diagnostics: list[Diagnostic]
    cache_used: set[str]
    cache_hits: int


_INHERITED: tuple[Site, Renderer, Staging, dict[str, str]] | None = None  # set before the fork


def is_searchable(content: bytes) -> bool:
    """A page Pagefind indexes (``search_index.search_glob``)."""
    return b"data-pagefind-body" in content


def is_public(path: str, content: bytes) -> bool:
    """A page for the sitemap: not the 404 page, not an alias that redirects."""
    return path != "404.html" and b'http-equiv="refresh"' not in content


def _render_share(first: int, step: int) -> _Share:
    assert _INHERITED is not None
    site, renderer, staging, keys = _INHERITED
    renderer.diags = Diagnostics()
    records = []
    hits_before, used_before = renderer.pages.hits, set(renderer.pages.used)
    for index, page in render_numbered(site, renderer, (first, step), keys):
        if is_safe_path(page.path):  # an unsafe one is reported by the checks
            staging.write(page)
        ids, links = compact_links(*page_ids_and_links(page))
        records.append(PageRecord(index, page.path, page.source, ids, links,
                                  is_public(page.path, page.content),
                                  is_searchable(page.content)))
    return _Share(records, list(renderer.diags), renderer.pages.used - used_before,
                  renderer.pages.hits - hits_before)


def render_pages(site: Site, renderer: Renderer, sink: FileSink
                 ) -> tuple[list[str], list[str]]:
    """Every HTML page into ``sink``; returns the public pages' paths (for the sitemap) and
    the searchable ones' (for the search index)."""
    workers = os.cpu_count() or 1
    public, searchable = [], []
    if sink.staging is None or sys.platform != "linux" or workers < 2 or \
            len(site.posts) < MIN_POSTS:
        for page in render_site(site, renderer):
            sink.add(page)
            if is_public(page.path, page.content):
                public.append(page.path)
            if is_searchable(page.content):
                searchable.append(page.path)
        return public, searchable
    compile_templates(renderer.env)  # once, before the fork: not once per worker
    global _INHERITED
    _INHERITED = (site, renderer, sink.staging, page_context_keys(site, renderer))
    tasks = workers * TASKS_PER_WORKER
    records: list[PageRecord] = []
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for share in pool.map(_render_share, range(tasks), itertools.repeat(tasks)):
                renderer.diags.extend(share.diagnostics)
                renderer.pages.used |= share.cache_used
                renderer.pages.hits += share.cache_hits
                records += share.records
                crash_point("page-pool")
    finally:
        _INHERITED = None
    for record in sorted(records, key=lambda r: r.index):
        sink.add_compact(record.path, record.source, record.ids, record.links)
        if record.public:
            public.append(record.path)
        if record.searchable:
            searchable.append(record.path)
    return public, searchable
