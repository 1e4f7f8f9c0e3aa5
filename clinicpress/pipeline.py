"""One function, ``build``, that orders the stages; it reads like a table of contents.

    config -> sources -> parsed documents -> rendered posts -> Site
           -> output files (into a staging folder) -> checks -> atomic swap

A writing build whose inputs have not changed since the last one does nothing
(``inputs_of`` and ``build_state``; the CLI asks before calling ``build``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from clinicpress.build_options import BuildOptions as BuildOptions  # (the callers' import)
from clinicpress.build_options import build_time as build_time
from clinicpress.content.loaded import Loaded
from clinicpress.content.posts import compile_author, compile_page, compile_post, compile_posts
from clinicpress.content.references import load_bibliography
from clinicpress.content.review import check_review_policy, check_reviews
from clinicpress.content.site import Site, check_posts
from clinicpress.content.translations import check_translations
from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import BuildFailed, Diagnostic, Diagnostics
from clinicpress.incremental.build_state import forget_build, record_build
from clinicpress.incremental.cache import PostCache
from clinicpress.incremental.front_matter_cache import FrontMatterCache
from clinicpress.incremental.output_ledger import forget_ledger, load_ledger, save_ledger
from clinicpress.incremental.sealed import cache_folder
from clinicpress.libc import give_back_memory
from clinicpress.markdown.convert import convert_markdown
from clinicpress.model import OutputFile, Picture, Post
from clinicpress.output.file_sink import FileSink
from clinicpress.output.output_folder import MARKER, drop_orphan_spares, spare_folder
from clinicpress.output.site_files import render_files
from clinicpress.output.staging import Staging
from clinicpress.slugs import slug_from_filename
from clinicpress.sources.assets import Assets, check_assets, collect_assets
from clinicpress.sources.config import SiteConfig, load_config
from clinicpress.sources.documents import split_document
from clinicpress.sources.files import SourceFile, check_site_folders, find_sources, read_source
from clinicpress.sources.front_matter import PostMeta, parse_author, parse_page, parse_post
from clinicpress.sources.git_dates import updated_from_git
from clinicpress.sources.yamldata import YamlMemo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    site: Site
    files: tuple[OutputFile, ...]  # in memory: only when nothing was written
    file_count: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    rendered: tuple[str, ...] = ()  # slugs whose Markdown was converted (not from the cache)
    accepted: int = 0  # warnings posts accepted (``check`` lists them)
    translated_posts: int = 0  # posts in the site's other languages


def load_assets(options: BuildOptions, diags: Diagnostics) -> Assets:
    """The first step of every build: the site's folders checked (no link leads out of
    the site), then the theme's and the site's static files."""
    check_site_folders(options.site_dir, diags)
    return collect_assets(options.site_dir, diags)


def load_site(options: BuildOptions, assets: Assets, diags: Diagnostics,
              timings: dict[str, float], stop: bool = True) -> tuple[Site, Loaded]:
    """Phase one: read and render everything the site is made of, in each language
    (``stop``: end with ``BuildFailed`` if anything had an error; ``check`` goes on)."""
    loaded = load_posts(options, assets, diags, timings)
    site = loaded.assemble_all(options.drafts, diags)
    others = [load_posts(options, assets, diags, {}, loaded.config.in_language(language))
              for language in loaded.config.languages[1:]]
    translations = tuple(o.assemble_all(options.drafts, diags) for o in others)
    check_translations(site, translations, diags)
    if stop:
        diags.stop_if_errors()
    return site, replace(loaded, translations=translations)


def load_in_memory(options: BuildOptions, diags: Diagnostics
                   ) -> tuple[Loaded, Site, Assets, FileSink]:
    """Everything ``build`` does but writing, with the files kept in memory (the preview)."""
    assets = load_assets(options, diags)
    site, loaded = load_site(options, assets, diags, {})
    sink = FileSink(None)
    render_files((site, *loaded.translations), assets, options.site_dir, False, diags, {}, sink,
                 loaded.cache)
    sink.check(site.config.base_path, diags, line_finder(options.site_dir))
    diags.check_acceptances()
    diags.stop_if_errors()
    return loaded, site, assets, sink


def load_posts(options: BuildOptions, assets: Assets, diags: Diagnostics,
               timings: dict[str, float], config: SiteConfig | None = None) -> Loaded:
    """The posts, pages and authors of the default language (config.yaml read and the
    static files checked here), or of the language of ``config`` (``in_language``)."""
    start = time.perf_counter()
    if config is None:
        config = load_config(options.site_dir, diags, options.base_url)
        if config is None:  # nothing else can be checked without it
            raise BuildFailed(diags.sorted())
        check_assets(assets, config, diags)
    now = build_time(options.now)
    # A cache folder that must not be used is an error, and the build goes on without it.
    folder = cache_folder(options.site_dir, options.cache_dir, diags) if options.cache else None
    language = "-" + config.language if config.output_prefix else ""
    memo = FrontMatterCache(folder / f"front-matter{language}" if folder else None)
    sources = find_sources(options.site_dir, diags, config.max_post_kb,
                           config.output_prefix.strip("/"))
    authors = {m.id: m for s in sources.authors if (d := split_document(s, diags, memo))
               and (m := parse_author(d, diags))}
    page_metas = [pm for s in sources.pages if (d := split_document(s, diags, memo))
                  and (pm := parse_page(d, diags))]
    post_metas = parse_posts(options, config, [s for s in sources.posts
                                               if s.path not in options.leave_out], diags, memo)
    memo.prune()
    bibliography = load_bibliography(sources.bibliographies, diags)
    parsed = {m.document.path for m in post_metas}
    unreadable = [slug_from_filename(PurePosixPath(s.path).stem) for s in sources.posts
                  if s.path not in parsed]
    del sources  # the parsed documents hold what is needed; let the file texts go
    give_back_memory()
    check_posts(post_metas, diags, drafts_shown=options.drafts, unreadable=unreadable)
    if not options.drafts:  # drafts, and posts dated later than now, wait (not in previews)
        post_metas = [m for m in post_metas
                      if not m.draft and (options.future or m.published <= now)]
    diags.accept(*(acceptance for meta in post_metas for acceptance in meta.accept))
    timings["parse"] = time.perf_counter() - start
    timings["front_matter_hits"] = memo.hits
    crash_point("load")
    rendered_authors = {key: compile_author(meta, config, diags, assets.pictures)
                        for key, meta in authors.items()}
    cache = PostCache.open(folder / f"posts{language}" if folder else None,
                           (repr(config).encode(), repr(sorted(assets.pictures.items())).encode()),
                           rendered_authors, bibliography)
    posts = compile_posts(post_metas, rendered_authors, bibliography, config, diags,
                         assets.pictures, cache, options.progress)
    cache.prune()
    give_back_memory()  # the Markdown texts of the posts, let go as they were rendered
    timings["cache_hits"], timings["cache_misses"] = len(cache.hits), len(cache.misses)
    check_reviews(posts, config, now.date(), diags, {m.document.path for m in post_metas
                                                     if m.reviewer_id})
    check_review_policy(posts, config, diags)
    pages = [compile_page(meta, config, diags, assets.pictures) for meta in page_metas]
    timings["markdown"] = time.perf_counter() - start - timings["parse"]
    return Loaded(
        config=config, now=now, authors=rendered_authors, bibliography=bibliography,
        metas=tuple(post_metas), posts=tuple(posts), pages=tuple(pages),
        disclaimer_html=_snippet(config.disclaimer, config, diags),
        emergency_html=_snippet(config.emergency_notice.text if config.emergency_notice else "",
                                config, diags),
        rendered=tuple(sorted(cache.misses)), cache=folder,
    )


def parse_posts(options: BuildOptions, config: SiteConfig, sources: Iterable[SourceFile],
                diags: Diagnostics, memo: YamlMemo | None = None) -> list[PostMeta]:
    """Post sources to checked front matter (with dates from git history when asked;
    ``memo``: front matter parsed by earlier builds)."""
    metas = [meta for source in sources if (document := split_document(source, diags, memo))
             and (meta := parse_post(document, diags))]
    if options.dates_from_git or config.dates_from_git:
        metas = updated_from_git(options.site_dir, metas, diags)
    return metas


def read_post(options: BuildOptions, loaded: Loaded, pictures: Mapping[str, Picture],
              path: str, diags: Diagnostics) -> tuple[PostMeta, Post] | None:
    """One post read, parsed and compiled again exactly as ``load_posts`` does it (the
    preview's save); None when it has errors or is gone."""
    config = loaded.config
    source = read_source(options.site_dir, options.site_dir / path, diags, config.max_post_kb)
    metas = parse_posts(options, config, [source] if source else [], diags)
    if not metas or diags.has_errors():
        return None
    diags.accept(*metas[0].accept)
    post = compile_post(metas[0], loaded.authors, loaded.bibliography, config, diags, pictures)
    if not diags.has_errors():  # (a refused reviewer needs no "no reviewer" warning too)
        check_reviews([post], config, loaded.now.date(), diags)
    return None if diags.has_errors() else (metas[0], post)


def _snippet(markdown_text: str, config: SiteConfig, diags: Diagnostics) -> Markup:
    if not markdown_text:
        return Markup("")
    return convert_markdown(markdown_text, path="config.yaml", first_line=1, diags=diags,
                            base_path=config.base_path, root_path=config.root_path,
                            origins=config.origins).html


def line_finder(site_dir: Path) -> Callable[[str, str], int | None]:
    """Where a link stands in a Markdown source (for link-check diagnostics)."""

    def find(source: str, needle: str) -> int | None:
        path = site_dir / source
        if not source.endswith(".md") or not path.is_file():
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        index = text.find(needle)
        return text.count("\n", 0, index) + 1 if index >= 0 else None

    return find


def build(options: BuildOptions, inputs: str | None = None) -> BuildResult:
    """Load everything, render everything, check it, then swap it all in at once.

    ``inputs`` (from ``inputs_of``, taken before anything is read) is recorded with the
    output so that the next build of unchanged inputs can skip the work."""
    with fewer_collections():
        return _build(options, inputs)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """A build makes millions of objects that live until it ends (the posts, the site,
    the pages' records), which Python's cyclic collector would otherwise examine again
    every 700 allocations: young objects are collected every 100,000 allocations instead
    (a one-changed build at 4,000 posts: 3.9 s to 3.35 s; the peak memory of a clean
    build is unchanged). The process's own setting is restored after."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(options: BuildOptions, inputs: str | None) -> BuildResult:
    started = time.perf_counter()
    diags = Diagnostics()
    timings: dict[str, float] = {}
    assets = load_assets(options, diags)
    site, loaded = load_site(options, assets, diags, timings)
    staging = Staging(options.output_dir, options.site_dir,
                      spare_folder(loaded.cache, options.output_dir) if loaded.cache else None
                      ) if options.output_dir else None
    with staging or contextlib.nullcontext():
        sink = FileSink(staging, load_ledger(loaded.cache, staging.output) if staging else None)
        render_files((site, *loaded.translations), assets, options.site_dir, options.search,
                     diags, timings, sink, loaded.cache)
        sink.check(site.config.base_path, diags, line_finder(options.site_dir))
        diags.check_acceptances()
        diags.stop_if_errors(strict=options.strict)
        if staging is not None:
            crash_point("before-swap")
            commit_start = time.perf_counter()
            if loaded.cache is not None:
                forget_build(loaded.cache, staging.output)
                forget_ledger(loaded.cache, staging.output)
            staging.commit()
            if loaded.cache is not None:
                save_ledger(loaded.cache, staging.output, sink.ledger)
                if inputs and site.posts and not site.config.dates_from_git:
                    record_build(loaded.cache, staging.output, inputs, tuple(diags.sorted()),
                                 len(sink.records), len(site.posts),
                                 [MARKER, *(record.path for record in sink.records)])
                drop_orphan_spares(loaded.cache)  # (after record_build forgot vanished ones)
            timings["swap"] = time.perf_counter() - commit_start
    return BuildResult(site=site, files=tuple(sink.files), file_count=len(sink.records),
                       diagnostics=tuple(diags.sorted()),
                       seconds=time.perf_counter() - started, timings=timings,
                       rendered=loaded.rendered, accepted=len(diags.accepted()),
                       translated_posts=sum(len(s.posts) for s in loaded.translations))
