"""The preview's site, kept in memory: loaded once, then updated one post at a time.

Saving a post re-reads, re-parses and re-renders that post only, puts it into
the ``Site`` (placed again, with ``assemble_site``, only when its date, tags,
authors or related posts changed) and forgets the rendered pages: a page is
rendered when the browser asks for it. Any other change (config, authors,
pages, references, templates, static files) reloads and re-checks everything,
with unchanged posts from the on-disk cache, like a build that writes nothing.

Problems are kept per file: an error in one post stays on screen until that
post is fixed, whatever else is saved meanwhile, and while there are errors the
last good site is served.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from clinicpress.content.site import Site, check_posts, place_again, replace_post
from clinicpress.diagnostics import BuildFailed, Diagnostic, Diagnostics
from clinicpress.model import OutputFile, Post
from clinicpress.output.file_sink import FileSink
from clinicpress.pipeline import (
    BuildOptions,
    Loaded,
    line_finder,
    load_assets,
    load_posts,
    read_post,
    render_files,
    site_extras,
)
from clinicpress.render.templates import (
    PageJob,
    Renderer,
    bind_site,
    make_environment,
    page_jobs,
    render_job,
)
from clinicpress.slugs import slug_from_filename
from clinicpress.sources.assets import Assets
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
        self.assets = Assets(files=(), names={}, sizes={})
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.metas: dict[str, PostMeta] = {}
        self.posts: dict[str, Post] = {}  # the newest good version of every post
        self.served: dict[str, Post] = {}  # the posts in ``self.site``
        self.jobs: dict[str, PageJob] = {}
        self.files: dict[str, bytes] = {}  # rendered on request; forgotten on every change
        self.extras: dict[str, bytes] = {}  # feeds, sitemap...: made again when asked for
        self.extras_fresh = False
        self.errors_by_file: dict[str, list[Diagnostic]] = {}
        self.site_errors: list[Diagnostic] = []
        self.pending: set[str] = set()  # posts changed since ``self.site`` was made

    @property
    def problems(self) -> list[Diagnostic]:
        everything = [*self.site_errors, *(d for ds in self.errors_by_file.values() for d in ds)]
        return sorted(dict.fromkeys(everything), key=Diagnostic.sort_key)

    def update(self, changed: Iterable[str]) -> list[Diagnostic]:
        """Bring the site up to date with the changed files (relative to the site folder);
        returns what the writer should see, warnings included."""
        paths = set(changed)
        if self.loaded is None or any(not is_post(path) for path in paths):
            return self.reload()
        return self._update_posts(paths)

    def reload(self) -> list[Diagnostic]:
        """Load, render and check everything, as ``build`` does, and keep it in memory."""
        diags = Diagnostics()
        options = self.options
        gc.unfreeze()  # what the last load froze may be garbage now
        try:
            assets = load_assets(options, diags)
            loaded = load_posts(options, assets, diags, {})
            site = loaded.assemble(loaded.posts, self.options.drafts, diags)
            diags.stop_if_errors()
            sink = FileSink(None)
            render_files(site, assets, options, diags, {}, sink, loaded.cache)
            sink.check(site.config.base_path, diags, line_finder(options.site_dir))
            diags.stop_if_errors()
        except BuildFailed as failed:
            self.site_errors = [d for d in failed.diagnostics if d.level == "error"]
            self.errors_by_file = {}
            self.loaded = None  # the next change of any kind loads everything again
            return failed.diagnostics
        self.loaded, self.assets = loaded, assets
        self.metas = {m.document.path: m for m in loaded.metas}
        self.posts = {m.document.path: p for m, p in zip(loaded.metas, loaded.posts, strict=True)}
        self.site_errors, self.errors_by_file, self.pending = [], {}, set()
        self.renderer = Renderer(options.site_dir, make_environment(options.site_dir, site,
                                                                    assets), Diagnostics())
        self._show(site)
        assets_and_pages = {f.path for f in assets.files} | set(self.jobs)
        self.files = {f.path: f.content for f in sink.files}
        self.extras = {path: content for path, content in self.files.items()
                       if path not in assets_and_pages}
        self.extras_fresh = True
        for template in {job.template for job in self.jobs.values()}:
            self.renderer.env.get_template(template)  # compiled now, not on the first save
        gc.collect()
        gc.freeze()  # the loaded site is long-lived: later collections need not scan it
        return diags.sorted()

    def _update_posts(self, paths: set[str]) -> list[Diagnostic]:
        shown = Diagnostics()
        for path in sorted(paths):
            diags = Diagnostics()
            if (self.options.site_dir / path).exists():
                self._read_post(path, diags)
            else:
                self.metas.pop(path, None)
                self.posts.pop(path, None)
            self.errors_by_file[path] = diags.errors
            shown.extend(diags)
        self.pending |= paths
        broken = [slug_from_filename(PurePosixPath(p).stem) for p, e in
                  self.errors_by_file.items() if e]
        site_diags = Diagnostics()
        check_posts(list(self.metas.values()), site_diags, drafts_shown=self.options.drafts,
                    unreadable=broken)
        self.site_errors = site_diags.errors
        shown.extend(site_diags)
        if not self.problems:
            self._show(self._updated_site(shown))
            self._check_pages(paths, shown)
        return shown.sorted()

    def _read_post(self, path: str, diags: Diagnostics) -> None:
        assert self.loaded is not None
        read = read_post(self.options, self.loaded, self.assets.sizes, path, diags)
        if read is not None:
            self.metas[path], self.posts[path] = read

    def _updated_site(self, diags: Diagnostics) -> Site:
        """The site with every pending post: swapped in place when nothing moved."""
        assert self.loaded is not None and self.site is not None
        if len(self.pending) == 1:  # the usual case: the post the writer is working on
            path = next(iter(self.pending))
            old, new = self.served.get(path), self.posts.get(path)
            swapped = replace_post(self.site, old, new) if old and new else None
            return swapped or place_again(self.site, old, new, diags)
        site: Site | None = self.site
        for path in sorted(self.pending):
            old, new = self.served.get(path), self.posts.get(path)
            site = replace_post(site, old, new) if site and old and new else None
        return site or self.loaded.assemble(self.posts.values(), self.options.drafts, diags)

    def _show(self, site: Site) -> None:
        """Serve ``site`` from now on; pages are rendered again when asked for."""
        assert self.renderer is not None
        self.site = site
        self.served = {post.source: post for post in site.posts}
        bind_site(self.renderer.env, site)
        self.renderer.diags = Diagnostics()
        self.renderer.failed.clear()
        self.jobs = {job.path: job for job in page_jobs(site)}
        self.files, self.pending, self.extras_fresh = {}, set(), False

    def _check_pages(self, paths: set[str], diags: Diagnostics) -> None:
        """Links on the pages of the posts just saved (every page is checked on reload)."""
        assert self.site is not None
        sink = FileSink(None)
        for source in sorted(paths):
            post = self.posts.get(source)
            page = f"posts/{post.slug}/index.html" if post else ""
            content = self.file(page) if page else None
            if content is not None:
                sink.add(OutputFile(path=page, content=content, source=source))
        known = set(self.jobs) | {f.path for f in self.assets.files} | set(self.extras)
        sink.check(self.site.config.base_path, diags, line_finder(self.options.site_dir), known)

    def file(self, path: str) -> bytes | None:
        """The content of one output file, rendered now if it was not yet."""
        if path in self.files:
            return self.files[path]
        job = self.jobs.get(path)
        if job is not None and self.renderer is not None:
            rendered = render_job(job, self.renderer)
            if rendered is None:
                self.site_errors = self.renderer.diags.errors
                return None
            self.files[path] = rendered.content
            return rendered.content
        asset = next((f for f in self.assets.files if f.path == path), None)
        if asset is not None:
            return asset.content
        if self.site is not None and not self.extras_fresh:
            public = [p for p, j in self.jobs.items()
                      if p != "404.html" and j.template != "redirect.html"]
            self.extras = {f.path: f.content for f in site_extras(self.site, self.assets, public)}
            self.extras_fresh = True
        return self.extras.get(path)

    def respond(self, url_path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path: a folder's ``index.html``,
        else the site's 404 page with status 404."""
        path = url_path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        content = self.file(path)
        if content is not None:
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")):
                kind += "; charset=utf-8"
            return 200, kind, content
        if self.problems and path.endswith(".html"):
            listing = "\n".join(d.format() for d in self.problems)
            return 500, "text/plain; charset=utf-8", listing.encode()
        return 404, "text/html; charset=utf-8", self.file("404.html") or b"Not found"
