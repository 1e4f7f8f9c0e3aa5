"""The ``Site`` in, HTML ``OutputFile``s out (in memory), through Jinja templates.

Jinja runs with ``StrictUndefined`` and autoescape: a typo in a template is an
error naming the template and line, and no content is ever evaluated as a
template. A site's ``templates/`` overrides the default theme file by file.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from markupsafe import Markup, escape

from clinicpress.content.site import Site
from clinicpress.dates import human_date, opening_days, opening_times
from clinicpress.diagnostics import Diagnostics
from clinicpress.incremental.cache import (
    PageCache,
)
from clinicpress.markdown.extensions import SHARED_FOLDERS
from clinicpress.markdown.pictures import picture_html
from clinicpress.model import OutputFile
from clinicpress.render.cards import accent_colour, plan_cards
from clinicpress.render.hosting import content_security_policy
from clinicpress.render.structured_data import organization_jsonld, post_jsonld
from clinicpress.render.translations import load_translations
from clinicpress.sources.assets import THEME_DIR, Assets
from clinicpress.sources.files import relative_name
from clinicpress.sources.pictures import CONTENT_SIZES


def make_environment(site_dir: Path, site: Site, assets: Assets,
                     diags: Diagnostics | None = None,
                     alternates: Mapping[str, tuple[tuple[str, str], ...]] | None = None
                     ) -> jinja2.Environment:
    """The templates' environment: autoescaping, strict about undefined names, with the
    interface text in the site's language (``diags``: where missing translations go)."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(site_dir / "templates")),
        jinja2.FileSystemLoader(str(THEME_DIR / "templates")),
    ])
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    translations = load_translations(site_dir, site.config.language, diags)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    base, root = site.config.base_path, site.config.root_path  # (differ in a translation)

    def href(target: str) -> str:
        """A link written in front matter: site-absolute ones get the base path (static/:
        the whole site's), like the links in Markdown (``markdown.extensions.SitePaths``)."""
        if not target.startswith("/"):
            return target
        return (root if target.startswith(SHARED_FOLDERS) else base) + target[1:]

    env.globals.update(
        config=site.config,
        url=lambda path="": base + path.lstrip("/"),
        root=lambda path="": root + path.lstrip("/"),  # a path of the whole site
        href=href,
        absolute=site.config.absolute,
        root_absolute=site.config.root_absolute,
        asset=lambda name: root + assets.path(name),
        # This page in the site's languages: [(language, output path)], itself included.
        alternates=lambda path: (alternates or {}).get(site.config.output_prefix + path, ()),
        # Where the language switcher leads: this page in ``language``, else its home page.
        translation_of=lambda path, language: dict((alternates or {}).get(
            site.config.output_prefix + path, ())).get(language, "" if language == site.config
                                                       .languages[0] else f"{language}/"),
        language_name=lambda tag: (Locale.parse(tag, sep="-").get_display_name(tag) or tag)
        .capitalize(),
        organization_jsonld=lambda: organization_jsonld(site.config),
        asset_names=dict(assets.names),
        content_security_policy=content_security_policy(site.config, meta=True),
        pictures=assets.pictures,
        accent=accent_colour(next((f.content for f in assets.files
                                   if f.path == assets.names.get("style.css")), None)),
    )

    def picture(path: str, alt: str, sizes: str = CONTENT_SIZES, **attributes: str) -> Markup:
        """A picture from front matter (the article's, an author's photo), responsive."""
        found = assets.pictures.get(path[1:]) if path.startswith("/") else None
        if found is None:  # from an allowed origin, or missing (the link check says so)
            attrs = {"src": href(path), "alt": alt, **attributes}
            return Markup("<img" + "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
                          + ">")
        return picture_html(found, {"alt": alt, **attributes}, root, sizes)

    env.globals["picture"] = picture
    language = site.config.language
    env.filters["human_date"] = lambda value: human_date(value, language)
    env.filters["opening_days"] = lambda period, to="to": opening_days(period.days, language, to)
    env.filters["opening_times"] = lambda period: opening_times(period.opens, period.closes,
                                                                language)
    env.filters["iso"] = lambda value: value.isoformat()
    bind_site(env, site)
    return env


def compile_templates(env: jinja2.Environment) -> None:
    """Every template and partial compiled now and kept by ``env``, so that neither each
    page worker nor the preview's first save compiles them again; one with an error is
    reported with its line when a page uses it."""
    for name in env.list_templates(extensions=["html"]):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def bind_site(env: jinja2.Environment, site: Site) -> None:
    """Point an environment at a new ``Site`` with the same config (the preview's updates);
    compiled templates are kept."""
    env.globals.update(site=site, post_jsonld=lambda post: post_jsonld(site, post))
    cards = plan_cards(site.posts, site.config.title, str(env.globals["accent"]),
                       env.globals["pictures"])  # type: ignore[arg-type]
    env.globals.update(cards=cards, card=lambda post=None: cards[post.slug if post else ""])


def _template_error(exc: Exception, site_dir: Path) -> tuple[str, int | None, str]:
    """(template path, line, message) for a template error, from Jinja's traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return relative_name(site_dir, Path(exc.filename)), exc.lineno, exc.message or str(exc)
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".html", ".xml", ".txt"))]
    if frames:
        frame = frames[-1]
        return relative_name(site_dir, Path(frame.filename)), frame.lineno, str(exc)
    return "templates", None, str(exc)


class Renderer:
    """Renders templates to output files; template errors become diagnostics."""

    def __init__(self, site_dir: Path, env: jinja2.Environment, diags: Diagnostics,
                 pages: PageCache | None = None) -> None:
        self.site_dir = site_dir
        self.env = env
        self.diags = diags
        self.prefix: str = env.globals["config"].output_prefix  # type: ignore[attr-defined]
        self.failed: set[str] = set()
        self.pages = pages or PageCache(folder=None)

    def render(self, template: str, path: str, source: str = "", cache_key: str = "",
               **context: Any) -> OutputFile | None:
        if template in self.failed:
            return None
        cached = self.pages.get(cache_key) if cache_key else None
        if cached is not None:
            return OutputFile(path=self.prefix + path, content=cached, source=source)
        try:
            html = self.env.get_template(template).render(path=path, **context)
        except (jinja2.TemplateError, TypeError, AttributeError) as exc:
            where, line, message = _template_error(exc, self.site_dir)
            self.diags.error(where, line, f"template error: {message}")
            self.failed.add(template)
            return None
        content = html.encode("utf-8")
        if cache_key:
            self.pages.put(cache_key, content)
        return OutputFile(path=self.prefix + path, content=content, source=source)


def page_count(items: tuple[Any, ...], size: int) -> int:
    """How many pages of ``size`` items a list needs (at least one, even when empty)."""
    return max(1, -(-len(items) // size))


def pages_of(items: tuple[Any, ...], size: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number in range(1, page_count(items, size) + 1):
        yield number, items[(number - 1) * size : number * size]


@dataclass(frozen=True, slots=True)
class PageJob:
    """One HTML page to render: its template, output path, source file and context."""

    template: str
    path: str
    source: str
    context: dict[str, Any]


def page_jobs(site: Site) -> list[PageJob]:
    """Every HTML page of the site, not yet rendered (cheap to list). Two jobs may share
    a path (an alias naming a page); ``check_paths`` reports that after rendering."""
    jobs: list[PageJob] = []
    size = site.config.posts_per_page
    total = page_count(site.posts, size)
    for number, chunk in pages_of(site.posts, size):
        path = "index.html" if number == 1 else f"page/{number}/index.html"
        jobs.append(PageJob("index.html", path, "", {"posts": chunk, "page_number": number,
                                                     "page_count": total}))
    for post in site.posts:
        jobs.append(PageJob("post.html", f"posts/{post.slug}/index.html", post.source,
                            {"post": post}))
        for alias in post.aliases:
            jobs.append(PageJob("redirect.html", alias_path(alias), post.source,
                                {"target": post.url_path, "title": post.title}))
    for page in site.pages:
        jobs.append(PageJob("page.html", f"{page.slug}/index.html", page.source, {"page": page}))
    for author in site.authors:
        jobs.append(PageJob("author.html", f"authors/{author.id}/index.html", author.source,
                            {"author": author}))
    jobs.append(PageJob("authors.html", "authors/index.html", "", {}))
    for group in site.tags:
        tag_pages = page_count(group.posts, size)
        for number, chunk in pages_of(group.posts, size):
            base = f"tags/{group.tag.slug}/"
            path = f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"
            jobs.append(PageJob("tag.html", path, "", {"group": group, "posts": chunk,
                                                       "page_number": number,
                                                       "page_count": tag_pages}))
    jobs.append(PageJob("tags.html", "tags/index.html", "", {}))
    jobs.append(PageJob("locations.html", "locations/index.html", "config.yaml", {}))
    jobs.append(PageJob("search.html", "search/index.html", "", {}))
    if not site.config.output_prefix:  # one "not found" page for the whole site
        jobs.append(PageJob("404.html", "404.html", "", {}))
    return jobs


def render_job(job: PageJob, renderer: Renderer, cache_key: str = "") -> OutputFile | None:
    return renderer.render(job.template, job.path, job.source, cache_key, **job.context)


def alias_path(alias: str) -> str:
    """'/old/sleep-tips/' or 'old/sleep-tips.html' -> the output file that redirects."""
    clean = alias.strip().lstrip("/")
    return clean if clean.endswith(".html") else clean.rstrip("/") + "/index.html"
