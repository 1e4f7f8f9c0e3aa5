"""The ``Site`` in, machine-readable files out: Atom and JSON feeds, per-tag Atom
feeds, ``sitemap.xml`` and ``robots.txt``.

XML is built with ElementTree, so it is well-formed whatever a title holds.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from clinicpress.content.site import Site
from clinicpress.incremental.cache import engine_fingerprint, page_key, site_context_key
from clinicpress.model import OutputFile, Post

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Characters XML 1.0 cannot hold at all; the inputs reject them, this is the last guard.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


_RELATIVE = re.compile(r'(href|src)="(#|/(?!/))([^"]*)"')


def feed_html(site: Site, post: Post) -> str:
    """A post as a feed reader shows it: with the same safety details as the page (the
    emergency notice, who reviewed it, the references, the disclaimer), and every link
    absolute, so that citation numbers and site links work outside the site."""
    config = site.config
    url = config.absolute(post.url_path)
    parts = []
    if post.emergency_notice and site.emergency_html:
        parts.append(f"<aside><strong>Urgent help:</strong> {site.emergency_html}</aside>")
    if post.review is not None:
        reviewer = html.escape(post.review.reviewer.display_name)
        parts.append(f"<p><strong>Medically reviewed by {reviewer} on "
                     f"{post.review.last_reviewed.isoformat()}.</strong></p>")
    else:
        parts.append("<p><strong>Not yet medically reviewed.</strong></p>")
    parts.append(str(post.html))
    if post.citations:
        items = "".join(f'<li id="{c.anchor}">{c.html}</li>' for c in post.citations)
        parts.append(f'<h2 id="references">References</h2><ol>{items}</ol>')
    if site.disclaimer_html:
        parts.append(f"<aside>{site.disclaimer_html}</aside>")

    def absolute(match: re.Match[str]) -> str:
        attribute, first, rest = match.groups()
        if first == "#":
            return f'{attribute}="{url}#{rest}"'
        return f'{attribute}="{config.origin}/{rest}"'

    return _RELATIVE.sub(absolute, "\n".join(parts))


def atom_feed(site: Site, posts: Sequence[Post], path: str, title: str,
              content: Callable[[Post], str]) -> OutputFile:
    config = site.config
    ET.register_namespace("", ATOM)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _sub(feed, "title", title)
    _sub(feed, "subtitle", config.description)
    _sub(feed, "id", config.absolute(path))
    _sub(feed, "link", rel="self", href=config.absolute(path))
    _sub(feed, "link", rel="alternate", href=config.base_url)
    updated = max((p.modified for p in posts), default=site.generated)
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", config.organization.name)
    for post in posts[: config.feed_items]:
        entry = _sub(feed, "entry")
        url = config.absolute(post.url_path)
        _sub(entry, "title", post.title)
        _sub(entry, "id", url)
        _sub(entry, "link", rel="alternate", href=url)
        _sub(entry, "published", _stamp(post.published))
        _sub(entry, "updated", _stamp(post.modified))
        for person in post.authors:
            element = _sub(entry, "author")
            _sub(element, "name", person.name)
            _sub(element, "uri", config.absolute(f"authors/{person.id}/"))
        for tag in post.tags:
            _sub(entry, "category", term=tag.name)
        _sub(entry, "summary", post.description)
        _sub(entry, "content", content(post), type="html")
    return OutputFile(path=path, content=_xml(feed))


def json_feed(site: Site, posts: Sequence[Post], path: str, title: str,
              content: Callable[[Post], str]) -> OutputFile:
    config = site.config
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": config.description,
        "home_page_url": config.base_url,
        "feed_url": config.absolute(path),
        "language": config.language,
        "items": [
            {
                "id": config.absolute(post.url_path),
                "url": config.absolute(post.url_path),
                "title": post.title,
                "summary": post.description,
                "content_html": content(post),
                "date_published": post.published.isoformat(),
                "date_modified": post.modified.isoformat(),
                "authors": [{"name": a.name, "url": config.absolute(f"authors/{a.id}/")}
                            for a in post.authors],
                "tags": [t.name for t in post.tags],
            }
            for post in posts[: config.feed_items]
        ],
    }
    text = json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return OutputFile(path=path, content=text.encode("utf-8"))


def sitemap(sites: Sequence[Site], html_paths: Sequence[str],
            alternates: Mapping[str, tuple[tuple[str, str], ...]]) -> OutputFile:
    """Every public page (not the 404 page, redirects or drafts) of every language, with
    its lastmod and, for a page in several languages, each version as an
    ``xhtml:link`` alternate."""
    config = sites[0].config
    modified = {f"{s.config.output_prefix}posts/{p.slug}/index.html": p.modified
                for s in sites for p in s.posts}
    newest = max((p.modified for s in sites for p in s.posts), default=sites[0].generated)
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for path in sorted(html_paths):
        entry = _sub(root, "url")
        _sub(entry, "loc", config.absolute(path.removesuffix("index.html")))
        _sub(entry, "lastmod", _stamp(modified.get(path, newest)))
        for language, other in alternates.get(path, ()):
            ET.SubElement(entry, f"{{{XHTML}}}link", {
                "rel": "alternate", "hreflang": language,
                "href": config.absolute(other.removesuffix("index.html"))})
    return OutputFile(path="sitemap.xml", content=_xml(root))


def robots(site: Site) -> OutputFile:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.absolute('sitemap.xml')}\n"
    return OutputFile(path="robots.txt", content=text.encode("utf-8"))


def render_feeds(site: Site) -> list[OutputFile]:
    return [job.make() for job in feed_jobs(site)]


@dataclass(frozen=True, slots=True)
class FeedJob:
    path: str
    title: str
    posts: Sequence[Post]  # all it lists (the newest ``feed_items`` are shown)
    make: Callable[[], OutputFile]


def feed_jobs(site: Site) -> list[FeedJob]:
    """Every feed of the site, not yet made: the site's, and each tag's."""
    made: dict[str, str] = {}  # a post is in the site's feeds and in each of its tags'

    def content(post: Post) -> str:
        if post.slug not in made:
            made[post.slug] = feed_html(site, post)
        return made[post.slug]

    title = site.config.title
    jobs = [FeedJob("feed.xml", title, site.posts,
                    partial(atom_feed, site, site.posts, "feed.xml", title, content)),
            FeedJob("feed.json", title, site.posts,
                    partial(json_feed, site, site.posts, "feed.json", title, content))]
    for group in site.tags:
        tag_title = f"{title}: {group.tag.name}"
        base = f"tags/{group.tag.slug}/"
        for name, make in (("feed.xml", atom_feed), ("feed.json", json_feed)):
            jobs.append(FeedJob(base + name, tag_title, group.posts,
                                partial(make, site, group.posts, base + name, tag_title,
                                        content)))
    return jobs


def feed_keys(site: Site, jobs: Sequence[FeedJob]) -> list[str]:
    """Each feed's key for the page cache: everything it shows (the site's settings and
    snippets, the engine, its title, the identity of each post shown, the newest date);
    "" for a feed with a post of unknown identity (no cache)."""
    common = site_context_key(b"feed", engine_fingerprint().encode(), repr(site.config).encode(),
                              repr((site.emergency_html, site.disclaimer_html)).encode())
    keys = []
    for job in jobs:
        shown = job.posts[: site.config.feed_items]
        newest = max((p.modified for p in job.posts), default=site.generated)
        keys.append("" if any(not p.identity for p in shown) else page_key(
            common, job.path.encode(), job.title.encode(),
            repr([p.identity for p in shown]).encode(), repr(newest).encode()))
    return keys
