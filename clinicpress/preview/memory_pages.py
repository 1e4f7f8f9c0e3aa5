"""A ``Site`` in, its output files out, one at a time, as the browser asks for them.

The preview's page store: pages are rendered on request and kept until the site
changes (``show``); feeds, sitemap and hosting files are made again only when one
of them is asked for; static assets come from the loaded ``Assets``. Nothing is
written to disk.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path

from clinicpress.content.site import Site
from clinicpress.diagnostics import Diagnostic, Diagnostics
from clinicpress.model import OutputFile
from clinicpress.output.file_sink import FileSink
from clinicpress.output.site_files import whole_site_files
from clinicpress.pipeline import line_finder
from clinicpress.preview.problem_pages import problem_page
from clinicpress.render.cards import Card, make_card
from clinicpress.render.feeds import render_feeds
from clinicpress.render.templates import (
    Renderer,
    bind_site,
    compile_templates,
    make_environment,
    page_jobs,
    render_job,
)
from clinicpress.sources.assets import Assets


class MemoryPages:
    def __init__(self, site_dir: Path, site: Site, assets: Assets,
                 rendered: Mapping[str, bytes]) -> None:
        """``rendered``: every file of the load that made ``site`` (kept as they are)."""
        self.site_dir, self.assets = site_dir, assets
        self.renderer = Renderer(site_dir, make_environment(site_dir, site, assets),
                                 Diagnostics())
        self.show(site)
        self.files = dict(rendered)
        # Picture copies do not change with the posts: kept from the load. Cards are made
        # when asked for (their names change with the titles they show).
        copies = {c.path for picture in assets.pictures.values() for c in picture.copies}
        self.pictures = {p: c for p, c in rendered.items() if p in copies or
                         p.startswith("static/cards/")}
        # The other languages' pages, as loaded (a change to them loads everything again).
        other = tuple(f"{language}/" for language in site.config.languages[1:])
        self.translated = {p: c for p, c in rendered.items() if other and p.startswith(other)}
        self.extras = {p: c for p, c in rendered.items() if p not in self.jobs and
                       p not in self.pictures and p not in self.translated and
                       p not in {f.path for f in assets.files}}
        self.extras_fresh = True
        compile_templates(self.renderer.env)  # now, not on the first save

    def show(self, site: Site) -> None:
        """Serve ``site`` from now on; pages are rendered again when asked for."""
        self.site = site
        bind_site(self.renderer.env, site)
        self.renderer.diags = Diagnostics()
        self.renderer.failed.clear()
        self.jobs = {job.path: job for job in page_jobs(site)}
        self.files, self.extras_fresh = {}, False

    @property
    def errors(self) -> list[Diagnostic]:
        """Template errors met while rendering a page on request."""
        return self.renderer.diags.errors

    def file(self, path: str) -> bytes | None:
        """The content of one output file, rendered now if it was not yet."""
        if path in self.files:
            return self.files[path]
        job = self.jobs.get(path)
        if job is not None:
            rendered = render_job(job, self.renderer)
            if rendered is not None:
                self.files[path] = rendered.content
            return rendered.content if rendered else None
        asset = next((f for f in self.assets.files if f.path == path), None)
        if asset is not None:
            return asset.content
        if path in self.pictures:
            return self.pictures[path]
        if path in self.translated:
            return self.translated[path]
        cards: dict[str, Card] = self.renderer.env.globals["cards"]  # type: ignore[assignment]
        card = next((c for c in cards.values() if c.path == path), None)
        if card is not None:
            source = self.assets.sources.get(card.picture.path) if card.picture else None
            self.pictures[path] = make_card(card, source)
            return self.pictures[path]
        if not self.extras_fresh:
            public = [p for p, j in self.jobs.items()
                      if p != "404.html" and j.template != "redirect.html"]
            extras = [*render_feeds(self.site), *whole_site_files([self.site], self.assets, public)]
            self.extras = {f.path: f.content for f in extras}
            self.extras_fresh = True
        return self.extras.get(path)

    def check_links(self, pages: Iterable[tuple[str, str]], diags: Diagnostics) -> None:
        """Links on the given (output path, source) pages, against every known file."""
        sink = FileSink(None)
        for path, source in pages:
            content = self.file(path)
            if content is not None:
                sink.add(OutputFile(path=path, content=content, source=source))
        known = set(self.jobs) | {f.path for f in self.assets.files} | set(self.extras) | \
            set(self.pictures) | set(self.translated)
        sink.check(self.site.config.base_path, diags, line_finder(self.site_dir), known)

    def respond(self, url_path: str, problems: list[Diagnostic]) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path: a folder's ``index.html``,
        else the problems (an HTML page that cannot be shown), else the site's 404 page."""
        path = url_path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        content = self.file(path)
        if content is not None:
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")):
                kind += "; charset=utf-8"
            return 200, kind, content
        problems = problems or self.errors
        if problems and path.endswith(".html"):  # a page that never built: why, with path:line
            return 200, "text/html; charset=utf-8", problem_page(problems)
        return 404, "text/html; charset=utf-8", self.file("404.html") or b"Not found"
