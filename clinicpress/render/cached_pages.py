"""Every HTML page of a site rendered, from the page cache where its key allows.

A key covers everything the page's templates can read: the engine, the config, the
templates, assets and pictures, pages, authors and site-wide snippets, and of every post
the attributes the templates read of it (``template_reads``), plus what is the page's
own: its post (whole, by its ``identity``), its related posts and its language versions
for a post page; its path and its context (its list of posts, its author) for a list
page. So a text edit that leaves a post's title, date, tags and reading time alone
renders no list page again, and a title edit renders again every page that shows
titles. Post pages, the long paginated lists (the home page's pages and every tag's
pages) and author pages (each lists every post of its author) are cached; the rest are
few and cheap. A list that a template asks the site for (``site.posts_by(author)``) is
covered by where every post stands (``template_reads.PLACE_READS``).

What a page shows can also depend on the day of the build: the theme's post page says
when a review is overdue and when a post is only scheduled. Those two facts are part of
a post page's key. A site template that reads ``site.generated`` in any other way makes
the build's time part of every key (its pages are then rendered again by every build).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from clinicpress.content.site import Site
from clinicpress.incremental.cache import (
    engine_fingerprint,
    folder_fingerprint,
    page_key,
    site_context_key,
)
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.model import OutputFile, Post
from clinicpress.render.template_reads import other_posts_reads, read_value
from clinicpress.render.templates import PageJob, Renderer, page_jobs, render_job
from clinicpress.sources.assets import THEME_DIR

CACHED_TEMPLATES = ("post.html", "index.html", "tag.html", "author.html")


def render_site(site: Site, renderer: Renderer) -> Iterator[OutputFile]:
    """The HTML pages of the site, one at a time (so each can be written and let go)."""
    for _, job, key in keyed_jobs(site, renderer):
        file = render_job(job, renderer, key)
        if file is not None:
            yield file


def keyed_jobs(site: Site, renderer: Renderer) -> Iterator[tuple[int, PageJob, str]]:
    """(position in ``page_jobs``, job, its page key or "") of every page, not yet
    rendered."""
    keys = page_context_keys(site, renderer)
    shapes: dict[int, tuple[object, Any]] = {}
    for index, job in enumerate(page_jobs(site)):
        yield index, job, job_key(job, site, renderer, keys, shapes)


def page_context_keys(site: Site, renderer: Renderer) -> dict[str, str]:
    """The shared part of the key of each cached template's pages ({} without a cache)."""
    if renderer.pages.folder is None:
        return {}
    asset_names = renderer.env.globals["asset_names"]
    pictures = renderer.env.globals["pictures"]  # their copies' names, and so the cards'
    assert isinstance(asset_names, dict) and isinstance(pictures, dict)
    own_templates = renderer.site_dir / "templates"
    reads_time = own_templates.is_dir() and any(
        b"generated" in path.read_bytes() for path in own_templates.rglob("*") if path.is_file())
    # repr, not pickle: equal values give equal text whether or not objects are shared.
    templates = folder_fingerprint(own_templates, THEME_DIR / "templates",
                                   renderer.site_dir / "locales")
    common = (
        engine_fingerprint().encode(), repr(site.config).encode(),
        repr([(p.slug, p.title, p.description) for p in site.pages]).encode(),
        repr(site.authors).encode(), repr(sorted(asset_names.items())).encode(),
        repr(sorted(pictures.items())).encode(),
        repr((site.disclaimer_html, site.emergency_html, site.preview)).encode(),
        repr(site.generated if reads_time else None).encode(), templates,
    )
    keys = {}
    summaries: dict[tuple[str, ...], bytes] = {}  # (list templates mostly read the same)
    for template in CACHED_TEMPLATES:
        # What the template reads of posts other than a post page's own.
        reads = _remembered_reads(renderer, template, templates)
        if reads not in summaries:
            summaries[reads] = repr([tuple(read_value(p, read) for read in reads)
                                     for p in site.posts]).encode()
        keys[template] = site_context_key(template.encode(), *common, summaries[reads])
    return keys


def _remembered_reads(renderer: Renderer, template: str, templates: bytes) -> tuple[str, ...]:
    """``other_posts_reads`` of ``template``, kept in the page cache for the same engine
    and templates (reading the templates' syntax trees is a fifth of a one-post build's
    page keys)."""
    folder = renderer.pages.folder
    assert folder is not None
    name = page_key(engine_fingerprint(), b"template-reads", template.encode(), templates)
    renderer.pages.used.add(name)
    data = read_sealed(folder, name)
    try:
        kept = json.loads(data) if data is not None else None
    except ValueError:
        kept = None
    if isinstance(kept, list) and all(isinstance(read, str) for read in kept):
        return tuple(kept)
    reads = other_posts_reads(renderer.env, template)
    write_sealed(folder, name, json.dumps(reads).encode())
    return reads


def job_key(job: PageJob, site: Site, renderer: Renderer, keys: dict[str, str],
            shapes: dict[int, tuple[object, Any]] | None = None) -> str:
    """The page's key, or "" when it is rendered every time (``shapes``: the shapes of
    objects many pages share, such as a tag's posts, kept by ``id``)."""
    base = keys.get(job.template)
    if not base:
        return ""
    alternates = renderer.env.globals["alternates"](job.path)  # type: ignore[operator]
    if job.template == "post.html":
        post: Post = job.context["post"]
        today = site.generated.date()
        overdue = post.review is not None and post.review.next_due < today
        return page_key(base, (post.identity or repr(post)).encode(),
                        repr([p.slug for p in site.related_to(post)]).encode(),
                        repr(alternates).encode(),
                        repr((post.published > site.generated, overdue)).encode())
    shape = _shape(job.context, {} if shapes is None else shapes)
    return page_key(base, job.path.encode(), repr(shape).encode(), repr(alternates).encode())


def _shape(value: Any, shapes: dict[int, tuple[object, Any]]) -> Any:
    """A list page's context with each post as its slug (the summary in the shared key
    covers what the templates read of it)."""
    if isinstance(value, Post):
        return ("post", value.slug)
    if isinstance(value, dict):
        return tuple(sorted((k, _shape(v, shapes)) for k, v in value.items()))
    if isinstance(value, tuple | list):
        return tuple(_shape(v, shapes) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        known = shapes.get(id(value))
        if known is None or known[0] is not value:  # (the object is kept: its id stays its)
            known = shapes[id(value)] = (value, (type(value).__name__, tuple(
                (f.name, _shape(getattr(value, f.name), shapes)) for f in fields(value))))
        return known[1]
    return value
