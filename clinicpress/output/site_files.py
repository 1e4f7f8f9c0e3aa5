"""Phase two: the ``Site`` of each language in, every output file out, handed to a sink as
soon as it is made.

The default language's pages keep their addresses; another language's go under
``/<language>/`` (``SiteConfig.output_prefix``), each rendered with its own templates'
language. Pages that are translations of each other (the same address, or posts and
pages with the same slug or ``translation_key``) name each other as ``hreflang``
alternates in their heads and in the one sitemap. Static files, pictures, cards,
robots.txt, hosting files and the search index are made once, for the whole site.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from clinicpress.content.site import Site
from clinicpress.diagnostics import Diagnostics
from clinicpress.incremental.cache import PageCache
from clinicpress.model import OutputFile
from clinicpress.output.file_sink import FileSink
from clinicpress.output.page_pool import render_pages
from clinicpress.output.picture_files import picture_files
from clinicpress.output.search_index import build_search_index
from clinicpress.render.cards import Card
from clinicpress.render.feeds import feed_jobs, feed_keys, robots, sitemap
from clinicpress.render.hosting import hosting_files
from clinicpress.render.templates import Renderer, make_environment, page_jobs
from clinicpress.sources.assets import Assets

Alternates = Mapping[str, tuple[tuple[str, str], ...]]  # output path -> (language, path)


def alternate_pages(sites: Sequence[Site]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For every page that exists in more than one language, each version's (language,
    output path), the page's own included (as hreflang wants)."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for site in sites:
        prefix, language = site.config.output_prefix, site.config.language
        for job in page_jobs(site):
            if job.template in ("redirect.html", "404.html"):
                continue
            item = job.context.get("post") or job.context.get("page")
            key = ("item", getattr(item, "translation_key", "") or item.slug) if item \
                else ("path", job.path)
            groups[key].append((language, prefix + job.path))
    return {path: tuple(versions) for versions in groups.values() if len(versions) > 1
            for _, path in versions}


def render_files(sites: Sequence[Site], assets: Assets, site_dir: Path, search: bool,
                 diags: Diagnostics, timings: dict[str, float], sink: FileSink,
                 cache: Path | None) -> None:
    """Every output file of ``sites`` (the default language first) into ``sink``."""
    start = time.perf_counter()
    alternates = alternate_pages(sites) if len(sites) > 1 else {}
    public: list[str] = []
    searchable: list[str] = []
    cards: dict[str, Card] = {}  # by path: languages with the same site name share its card
    timings["page_cache_hits"] = timings["pages_kept"] = 0
    for site in sites:
        prefix = site.config.output_prefix
        page_cache = PageCache.open(cache, site.config.language if prefix else "")
        renderer = Renderer(site_dir, make_environment(site_dir, site, assets, diags,
                                                       alternates), diags, page_cache)
        pages = render_pages(site, renderer, sink)
        public += pages.public
        searchable += pages.searchable
        timings["pages_kept"] += pages.kept
        cards |= {card.path: card for card in renderer.env.globals["cards"].values()}  # type: ignore[attr-defined]
        feed_files(site, sink, page_cache)
        page_cache.prune()
        timings["page_cache_hits"] += page_cache.hits
    diags.stop_if_errors()
    timings["templates"] = time.perf_counter() - start
    main = sites[0]
    for file in itertools.chain(assets.files, whole_site_files(sites, assets, public, alternates)):
        sink.add(file)
    picture_files(assets.pictures, assets.sources, cache, diags, sink, timings, cards.values())
    if sink.staging is not None:  # (a recycled folder's older files go before search reads it)
        sink.staging.prune({record.path for record in sink.records})
    if search and main.config.search and sink.staging is not None:
        search_start = time.perf_counter()
        sink.add_written(build_search_index(sink.staging.folder, main.config.language, diags,
                                            searchable=searchable))
        diags.stop_if_errors()
        timings["search"] = time.perf_counter() - search_start


def feed_files(site: Site, sink: FileSink, page_cache: PageCache) -> None:
    """The site's feeds into ``sink``: kept in the output as they are, or from the page
    cache, or made now (without a cache, always made)."""
    jobs = feed_jobs(site)
    keys = feed_keys(site, jobs) if page_cache.folder is not None else [""] * len(jobs)
    for job, key in zip(jobs, keys, strict=True):
        path = site.config.output_prefix + job.path
        if key:
            page_cache.used.add(key)
            if sink.keep(path, key):
                continue
        content = page_cache.get(key) if key else None
        if content is None:
            content = job.make().content
            if key:
                page_cache.put(key, content)
        sink.add(OutputFile(path=path, content=content), key)


def whole_site_files(sites: Sequence[Site], assets: Assets, public_pages: Sequence[str],
                     alternates: Alternates | None = None) -> list[OutputFile]:
    """The sitemap (every language's public pages), robots.txt and the hosting files."""
    main = sites[0]
    return [sitemap(sites, public_pages, alternates or {}), robots(main),
            *hosting_files(main, assets)]
