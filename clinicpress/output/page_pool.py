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
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinicpress.content.posts import process_pool
from clinicpress.content.site import Site
from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostic, Diagnostics
from clinicpress.incremental.output_ledger import LedgerEntry, Stat
from clinicpress.output.file_sink import FileSink
from clinicpress.output.links import compact_links, page_ids_and_links
from clinicpress.output.staging import Staging, is_safe_path
from clinicpress.render.cached_pages import keyed_jobs, render_site
from clinicpress.render.templates import PageJob, Renderer, compile_templates, render_job

# A site of fewer posts, or a build with fewer pages to render (the others kept in place),
# renders them in this process: forking would cost more than it saves.
MIN_POSTS = 300


TASKS_PER_WORKER = 8


_Keyed = tuple[int, PageJob, str]  # (position in ``page_jobs``, job, page key or "")


@dataclass(frozen=True, slots=True)
class PageRecord:
    index: int  # position in ``page_jobs``: records are added in the order of one process
    path: str
    source: str
    ids: str
    links: list[str]
    public: bool
    searchable: bool  # has data-pagefind-body: the search index reads it
    key: str = ""  # its page key ("": rendered every time)
    stat: Stat | None = None  # of its file in the staging folder, for the output ledger


@dataclass(frozen=True, slots=True)
class _Share:
    records: list[PageRecord]
    diagnostics: list[Diagnostic]
    cache_used: set[str]
    cache_hits: int
    kept: int


@dataclass(frozen=True, slots=True)
class RenderedPages:
    public: list[str]  # for the sitemap
    searchable: list[str]  # for the search index
    kept: int  # pages kept in place from the previous output (``output_ledger``)


# Set before the fork: the renderer, the staging folder, the pages to make (with their
# keys) and the current output's ledger.
_INHERITED: tuple[Renderer, Staging, list[_Keyed], Mapping[str, LedgerEntry]] | None = None


def is_searchable(content: bytes) -> bool:
    """A page Pagefind indexes (``search_index.search_glob``)."""
    return b"data-pagefind-body" in content


def is_public(path: str, content: bytes) -> bool:
    """A page for the sitemap: not the 404 page, not an alias that redirects."""
    return path != "404.html" and b'http-equiv="refresh"' not in content


def _render_share(first: int, step: int) -> _Share:
    assert _INHERITED is not None
    renderer, staging, jobs, ledger = _INHERITED
    return _render_part(renderer, staging, jobs[first::step], ledger)


def _kept(path: str, key: str, ledger: Mapping[str, LedgerEntry]) -> LedgerEntry | None:
    entry = ledger.get(path) if key else None
    return entry if entry is not None and entry.key == key else None


def _render_part(renderer: Renderer, staging: Staging, jobs: list[_Keyed],
                 ledger: Mapping[str, LedgerEntry]) -> _Share:
    """Pages written into the staging folder: kept from the current output when the
    ledger shows its file was made from the same key, else rendered."""
    diags, renderer.diags = renderer.diags, Diagnostics()
    records = []
    hits_before, used_before = renderer.pages.hits, set(renderer.pages.used)
    kept = 0
    try:
        for index, job, key in jobs:
            path = renderer.prefix + job.path
            entry = _kept(path, key, ledger)
            if entry is not None and staging.link_kept(path, entry.stat):
                renderer.pages.used.add(key)
                kept += 1
                records.append(PageRecord(index, path, job.source, entry.ids,
                                          list(entry.links), entry.public, entry.searchable,
                                          key, entry.stat))
                continue
            page = render_job(job, renderer, key)
            if page is None:
                continue
            # (an unsafe path is not written; the checks report it)
            written = staging.write(page) if is_safe_path(page.path) else None
            ids, links = compact_links(*page_ids_and_links(page))
            records.append(PageRecord(index, page.path, page.source, ids, links,
                                      is_public(page.path, page.content),
                                      is_searchable(page.content), key, written))
        return _Share(records, list(renderer.diags), renderer.pages.used - used_before,
                      renderer.pages.hits - hits_before, kept)
    finally:
        renderer.diags = diags


def render_pages(site: Site, renderer: Renderer, sink: FileSink) -> RenderedPages:
    """Every HTML page into ``sink``; a cached page whose file in the current output was
    made from the same key (``sink.previous``, ``output_ledger``) is kept as it is."""
    workers = os.cpu_count() or 1
    public, searchable = [], []
    if sink.staging is None:
        for page in render_site(site, renderer):
            sink.add(page)
            if is_public(page.path, page.content):
                public.append(page.path)
            if is_searchable(page.content):
                searchable.append(page.path)
        return RenderedPages(public, searchable, 0)
    jobs = list(keyed_jobs(site, renderer))
    to_render = sum(1 for _, job, key in jobs
                    if _kept(renderer.prefix + job.path, key, sink.previous) is None)
    shares: Iterable[_Share]
    if sys.platform != "linux" or workers < 2 or len(site.posts) < MIN_POSTS or \
            to_render < MIN_POSTS:
        shares = [_render_part(renderer, sink.staging, jobs, sink.previous)]
    else:
        shares = _render_in_workers(renderer, sink.staging, jobs, sink.previous, workers)
    records: list[PageRecord] = []
    kept = 0
    for share in shares:
        renderer.diags.extend(share.diagnostics)
        renderer.pages.used |= share.cache_used
        renderer.pages.hits += share.cache_hits + share.kept
        kept += share.kept
        records += share.records
    for record in sorted(records, key=lambda r: r.index):
        entry = LedgerEntry(record.key, record.stat, record.ids, tuple(record.links),
                            record.public, record.searchable) \
            if record.key and record.stat is not None else None
        sink.add_compact(record.path, record.source, record.ids, record.links, entry)
        if record.public:
            public.append(record.path)
        if record.searchable:
            searchable.append(record.path)
    return RenderedPages(public, searchable, kept)


def _render_in_workers(renderer: Renderer, staging: Staging, jobs: list[_Keyed],
                       ledger: Mapping[str, LedgerEntry], workers: int) -> list[_Share]:
    compile_templates(renderer.env)  # once, before the fork: not once per worker
    global _INHERITED
    _INHERITED = (renderer, staging, jobs, ledger)
    tasks = workers * TASKS_PER_WORKER
    shares = []
    try:
        with process_pool(workers) as pool:
            for share in pool.map(_render_share, range(tasks), itertools.repeat(tasks)):
                shares.append(share)
                crash_point("page-pool")
    finally:
        _INHERITED = None
    return shares
