"""The preview's site, kept in memory: loaded once, then updated one post at a time.

Saving a post re-reads, re-parses and re-renders that post only, puts it into
the ``Site`` (placed again, with ``assemble_site``, only when its date, tags,
authors or related posts changed) and forgets the rendered pages: a page is
rendered when the browser asks for it. Any other change (config, authors,
pages, references, templates, static files) reloads and re-checks everything,
with unchanged posts from the on-disk cache, like a build that writes nothing.

Problems are kept per file: an error in one post stays on screen (a panel over
every page) until that post is fixed, whatever else is saved meanwhile. A broken
post keeps its last good version, or, if it never built, is left out of the site
(its URL explains why); every other post is served and updated as usual. An error
outside the posts (config, templates) keeps the whole last good site.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from clinicpress.content.loaded import Loaded
from clinicpress.content.site import Site, check_posts, place_again, replace_post
from clinicpress.diagnostics import BuildFailed, Diagnostic, Diagnostics
from clinicpress.model import Post
from clinicpress.pipeline import BuildOptions, load_in_memory, read_post
from clinicpress.preview.memory_pages import MemoryPages
from clinicpress.preview.problem_pages import (
    STYLESHEET,
    STYLESHEET_URL,
    problem_page,
    with_problems,
)
from clinicpress.slugs import slug_from_filename
from clinicpress.sources.files import is_post
from clinicpress.sources.front_matter import PostMeta

log = logging.getLogger(__name__)
class LiveSite:
    """Answers "what is at this URL?" from memory, and takes the files that changed."""

    def __init__(self, site_dir: Path, base_url: str, dates_from_git: bool = False,
                 options: BuildOptions | None = None) -> None:
        """``options``: the build's options as they are (tests); else the preview's own:
        drafts shown, no search index, the cache on."""
        self.options = options or BuildOptions(site_dir=site_dir, drafts=True,
                                               base_url=base_url, search=False, cache=True,
                                               dates_from_git=dates_from_git)
        self.loaded: Loaded | None = None
        self.pages: MemoryPages | None = None
        self.posts: dict[str, tuple[PostMeta, Post]] = {}  # the newest good version of each
        self.errors_by_file: dict[str, list[Diagnostic]] = {}
        self.site_errors: list[Diagnostic] = []
        self.pending: set[str] = set()  # posts saved since the site shown was made

    @property
    def site(self) -> Site | None:
        return self.pages.site if self.pages else None

    @property
    def problems(self) -> list[Diagnostic]:
        everything = [*self.site_errors, *(d for ds in self.errors_by_file.values() for d in ds),
                      *(self.pages.errors if self.pages else ())]
        return sorted(dict.fromkeys(everything), key=Diagnostic.sort_key)

    def update(self, changed: Iterable[str]) -> list[Diagnostic]:
        """Bring the site up to date with the changed files (relative to the site folder);
        returns what the writer should see, warnings included."""
        paths = set(changed)
        if self.loaded is None or any(not is_post(path) for path in paths):
            return self.reload()
        return self._update_posts(paths)

    def reload(self) -> list[Diagnostic]:
        """Load, render and check everything, as ``build`` does, and keep it in memory;
        posts with errors are left out (and their errors kept) so the rest is served."""
        gc.unfreeze()  # what the last load froze may be garbage now
        left_out: dict[str, list[Diagnostic]] = {}
        while True:
            diags = Diagnostics()
            try:
                options = replace(self.options, leave_out=frozenset(left_out))
                loaded, site, assets, sink = load_in_memory(options, diags)
                break
            except BuildFailed as failed:
                errors = [d for d in failed.diagnostics if d.level == "error"]
                broken = {d.path for d in errors} - set(left_out)
                if not broken or not all(is_post(d.path) for d in errors):
                    self.site_errors, self.errors_by_file = errors, {}
                    self.loaded = None  # the next change of any kind loads everything again
                    return failed.diagnostics
                for error in errors:
                    left_out.setdefault(error.path, []).append(error)
        self.loaded, self.site_errors, self.pending = loaded, [], set()
        self.errors_by_file = left_out
        self.posts = {m.document.path: (m, p)
                      for m, p in zip(loaded.metas, loaded.posts, strict=True)}
        self.pages = MemoryPages(self.options.site_dir, site, assets,
                                 {f.path: f.content for f in sink.files})
        gc.collect()
        gc.freeze()  # the loaded site is long-lived: later collections need not scan it
        diags.extend(d for errors in left_out.values() for d in errors)
        return diags.sorted()

    def warm_up(self) -> None:
        """Compile one post again and render its page, both thrown away, so that the
        writer's first save does not also pay for what Python does once per process
        (patterns compiled, the citation style read, a Markdown converter made for the
        features the text uses). The post is the one saved last: most likely the one
        the writer is working on."""
        if self.loaded is None or self.pages is None or not self.posts:
            return

        def saved(path: str) -> int:
            try:
                return (self.options.site_dir / path).stat().st_mtime_ns
            except OSError:
                return 0

        path = max(sorted(self.posts), key=saved)
        read_post(self.options, self.loaded, self.pages.assets.pictures, path, Diagnostics())
        self.pages.file(f"posts/{self.posts[path][1].slug}/index.html")

    def _update_posts(self, paths: set[str]) -> list[Diagnostic]:
        assert self.loaded is not None and self.pages is not None
        shown = Diagnostics()
        for path in sorted(paths):
            diags = Diagnostics()
            read = read_post(self.options, self.loaded, self.pages.assets.pictures, path, diags) \
                if (self.options.site_dir / path).exists() else None
            if read is not None:
                self.posts[path] = read
            elif not (self.options.site_dir / path).exists():
                self.posts.pop(path, None)
            self.errors_by_file[path] = diags.errors
            shown.extend(diags)
        self.pending |= paths
        broken = [slug_from_filename(PurePosixPath(p).stem) for p, e in
                  self.errors_by_file.items() if e]
        site_diags = Diagnostics()
        check_posts([meta for meta, _ in self.posts.values()], site_diags,
                    drafts_shown=self.options.drafts, unreadable=broken)
        self.site_errors = site_diags.errors
        shown.extend(site_diags)
        # Broken posts keep their last good version (or stay out), so the others are shown.
        if not self.site_errors and not self.pages.errors:
            self.pages.show(self._updated_site(self.pending, shown))
            self.pending = set()
            self.pages.check_links([(f"posts/{self.posts[p][1].slug}/index.html", p)
                                    for p in sorted(paths) if p in self.posts], shown)
        return shown.sorted()

    def _updated_site(self, paths: set[str], diags: Diagnostics) -> Site:
        """The site with the saved posts: swapped in place when nothing moved."""
        assert self.loaded is not None and self.pages is not None
        site: Site | None = self.pages.site
        served = {post.source: post for post in self.pages.site.posts}
        for path in sorted(paths):
            old, new = served.get(path), self.posts[path][1] if path in self.posts else None
            if old is None and new is None:  # a post that never built, still broken
                continue
            swapped = replace_post(site, old, new) if site and old and new else None
            if swapped is None and len(paths) == 1 and site is not None:
                return place_again(site, old, new, diags)  # the usual case: one post moved
            site = swapped
        return site or self.loaded.assemble([p for _, p in self.posts.values()],
                                            self.options.drafts, diags)

    def file(self, path: str) -> bytes | None:
        return self.pages.file(path) if self.pages else None

    def respond(self, url_path: str) -> tuple[int, str, bytes]:
        """Every page answers: the last good version, with the problems laid over it while
        there are any, or a page that lists them."""
        problems = self.problems
        if url_path.lstrip("/") == STYLESHEET_URL[1:]:
            return 200, "text/css; charset=utf-8", STYLESHEET
        if self.pages is None:
            return 200, "text/html; charset=utf-8", problem_page(problems)
        status, kind, body = self.pages.respond(url_path, problems)
        if problems and status == 200 and kind.startswith("text/html") and \
                b"clinicpress-error-page" not in body:
            body = with_problems(body, problems)
        return status, kind, body
