"""Documents in, checked front matter out: one typed schema per kind of source.

``PostMeta``, ``PageMeta`` and ``AuthorMeta`` hold converted values and the
line of every key, so later stages (unknown author, unknown related slug) can
still point at the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from clinicpress.diagnostics import ACCEPTABLE, Acceptance, Diagnostics, did_you_mean
from clinicpress.model import Link
from clinicpress.slugs import RESERVED, slug_from_filename, slug_problem, tag_slug
from clinicpress.sources.documents import Document
from clinicpress.sources.schema import (
    AlreadyReported,
    Field,
    FieldError,
    Where,
    boolean,
    calendar_date,
    integer,
    link_target,
    list_of,
    mapping_of,
    one_or_more,
    optional_text,
    read_fields,
    text,
    text_list,
    timestamp,
)
from clinicpress.sources.yamldata import YamlMap


def _acceptances(value: Any, where: Where) -> tuple[Acceptance, ...]:
    """``accept: {readability: "quotes the FDA label verbatim"}``: warnings this one post
    accepts, each with the reason an editor gave."""
    if not isinstance(value, YamlMap):
        raise FieldError('expected warning names with reasons, like '
                         '{readability: "quotes the FDA label verbatim"}')
    accepted, failed = [], False
    for code, reason in value.items():
        line = value.line_of(code)
        if code not in ACCEPTABLE:
            where.diags.error(where.path, line, f"'accept': no warning is called '{code}'"
                              f"{did_you_mean(str(code), ACCEPTABLE)}; a post can accept "
                              f"{', '.join(ACCEPTABLE)}")
            failed = True
        elif not isinstance(reason, str) or not reason.strip():
            where.diags.error(where.path, line, f"'accept': '{code}' needs a reason in words, "
                              "for the editors who read `check`")
            failed = True
        else:
            accepted.append(Acceptance(path=where.path, line=line, code=code,
                                       reason=" ".join(reason.split())))
    if failed:
        raise AlreadyReported
    return tuple(accepted)


_LINK = (
    Field("title", text, required=True),
    Field("url", link_target, required=True),
    Field("note", optional_text, default=""),
)
POST_FIELDS = (
    Field("title", text, required=True,
          help="The article's title. Put it in quotes if it contains `: ` or ` #`."),
    Field("description", text, required=True,
          help="One or two plain sentences: shown under the title, in search results and feeds."),
    Field("date", timestamp, required=True,
          help="Date published, `2025-03-10` (a time is allowed: `2025-03-10T09:30:00+01:00`)."),
    Field("updated", timestamp,
          help="Date of the last real change to the article."),
    Field("author", one_or_more, required=True,
          help=("An author id (the file name in `content/authors/`), or a list: `[maria-lopez, "
                "sam-okafor]`.")),
    Field("reviewed_by", text,
          help="Author id of the medical reviewer. Needs `last_reviewed`."),
    Field("last_reviewed", calendar_date,
          help=("Date of the medical review (required with `reviewed_by`). \"Next review due\" is "
                "this plus `review_interval_days`.")),
    Field("review_interval_days", integer(30, 3650),
          help="Overrides the site's review interval for this article."),
    Field("tags", text_list, default=(),
          help="A list: `[fibromyalgia, exercise]`. Each tag gets its page and feed."),
    Field("related", text_list, default=(),
          help=("Up to three post slugs for \"You might also enjoy\". The rest are filled with the"
                " posts that share the most tags.")),
    Field("references", lambda value, where: value, default=(),
          help="Sources in CSL-YAML (the format Zotero, Pandoc and Quarto use); see below."),
    Field("further_reading", list_of(mapping_of(_LINK, "further_reading item")), default=(),
          help="A list of `{title, url, note}` links shown after the references."),
    Field("draft", boolean, default=False,
          help="`true` keeps the article out of the built site (it shows in the preview)."),
    Field("toc_depth", integer(2, 6),
          help="How deep the contents list goes: 3 (default) lists `##` and `###` headings."),
    Field("image", link_target, default="",
          help=("A picture for the article (a file of this site, such as "
                "`/static/images/x.jpg`): shown at the top, and cropped to make its preview "
                "card.")),
    Field("image_alt", optional_text, default="",
          help="What the picture shows, for people who cannot see it (required with `image`)."),
    Field("slug", text,
          help=("The web address part: `/posts/<slug>/`. By default, the file name without its "
                "date.")),
    Field("aliases", text_list, default=(),
          help="Old addresses that should redirect here: `[/old/back-pain/]`."),
    Field("translation_key", text, default="",
          help=("In a translation (`content/<language>/posts/`): the slug of the original "
                "when this one's differs (`dolor-cronico` translating `chronic-pain`).")),
    Field("accept", _acceptances, default=(),
          help=("Warnings this article accepts, each with a reason: `accept: {readability: "
                "\"quotes the FDA label verbatim\"}`. They no longer fail `--strict`; `check` "
                "lists them. Names: " + ", ".join(f"`{code}`" for code in ACCEPTABLE) + ".")),
)
PAGE_FIELDS = (
    Field("title", text, required=True),
    Field("description", text, required=True),
    Field("slug", text),
    Field("toc_depth", integer(2, 6)),
    Field("translation_key", text, default=""),
)
AUTHOR_FIELDS = (
    Field("name", text, required=True),
    Field("credentials", optional_text, default=""),
    Field("role", optional_text, default=""),
    Field("photo", link_target, default=""),
    Field("photo_alt", optional_text, default=""),
    Field("links", list_of(mapping_of(_LINK, "link")), default=()),
    Field("can_review", boolean, default=False),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PostMeta:
    slug: str
    title: str
    description: str
    published: datetime
    updated: datetime | None
    author_ids: tuple[str, ...]
    reviewer_id: str | None
    last_reviewed: date | None
    review_interval_days: int | None
    tags: tuple[str, ...]
    related: tuple[str, ...]
    references: Any
    further_reading: tuple[Link, ...]
    draft: bool
    toc_depth: int | None
    image: str
    image_alt: str
    aliases: tuple[str, ...]
    lines: dict[str, int]
    document: Document
    accept: tuple[Acceptance, ...] = ()
    translation_key: str = ""

    def line(self, key: str) -> int:
        return self.lines.get(key, 2)

    def without_body(self) -> PostMeta:
        """The same front matter without the Markdown text (let go once it is rendered)."""
        return replace(self, document=replace(self.document, body=""))


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    slug: str
    title: str
    description: str
    toc_depth: int | None
    document: Document
    translation_key: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorMeta:
    id: str
    name: str
    credentials: str
    role: str
    photo: str
    photo_alt: str
    links: tuple[Link, ...]
    document: Document
    can_review: bool = False


def _slug(doc: Document, values: dict[str, Any], diags: Diagnostics) -> str | None:
    stem = PurePosixPath(doc.path).stem
    if values.get("slug") is not None:
        slug = values["slug"]
        problem = slug_problem(slug)
        if problem:
            diags.error(doc.path, doc.meta.line_of("slug"), f"'slug': {problem}")
            return None
        return str(slug)
    slug = slug_from_filename(stem)
    problem = slug_problem(slug)
    if problem:
        diags.error(doc.path, 1, f"the file name gives no usable slug ({problem}); rename the "
                    "file or set 'slug:'")
        return None
    return slug


# Top-level names of files and folders the build writes itself (aliases may not take them).
GENERATED_NAMES = frozenset({"pagefind", "static", "_headers", "_redirects", "robots.txt",
                             "sitemap.xml", "feed.xml", "feed.json", ".nojekyll", "404.html",
                             "index.html", ".clinicpress-output"})


def parse_post(doc: Document, diags: Diagnostics) -> PostMeta | None:
    values = read_fields(doc.meta, POST_FIELDS, doc.path, diags, "post front matter")
    if values is None:
        return None
    slug = _slug(doc, values, diags)
    if values["reviewed_by"] and values["last_reviewed"] is None:
        diags.error(doc.path, doc.meta.line_of("reviewed_by"),
                    "'last_reviewed' is required with 'reviewed_by' (the date of the review)")
        return None
    if values["updated"] is not None and values["updated"] < values["date"]:
        diags.error(doc.path, doc.meta.line_of("updated"), "'updated' is before 'date': an "
                    "article cannot change before it is published")
        return None
    related = values["related"]
    if len(set(related)) < len(related):
        twice = sorted({slug for slug in related if related.count(slug) > 1})
        diags.error(doc.path, doc.meta.line_of("related"),
                    f"'related' names {', '.join(twice)} twice")
        return None
    if len(related) > 3:
        diags.warning(doc.path, doc.meta.line_of("related"), f"'related' has {len(related)} "
                      "posts; only the first three are shown", code="related")
    for tag in values["tags"]:
        if not tag_slug(tag):
            diags.error(doc.path, doc.meta.line_of("tags"), f"the tag '{tag}' has no letters "
                        "or digits to make its web address from")
            return None
    if values["image"] and not values["image_alt"]:
        diags.error(doc.path, doc.meta.line_of("image"),
                    "'image' needs 'image_alt': a short description for people who cannot see it")
        return None
    for alias in values["aliases"]:
        parts = alias.replace("\\", "/").strip("/").split("/")
        if not alias.strip("/") or any(p in ("", ".", "..") or not re.fullmatch(r"[\w.~-]+", p)
                                       for p in parts):
            diags.error(doc.path, doc.meta.line_of("aliases"), f"'aliases': '{alias}' must be "
                        "a path on this site, like /old/back-pain/")
            return None
        if parts[0].lower() in GENERATED_NAMES:
            diags.error(doc.path, doc.meta.line_of("aliases"), f"'aliases': '{alias}' would "
                        f"replace '{parts[0]}', which the build makes itself; choose another path")
            return None
    if slug is None:
        return None
    return PostMeta(
        slug=slug,
        title=values["title"],
        description=values["description"],
        published=values["date"],
        updated=values["updated"],
        author_ids=values["author"],
        reviewer_id=values["reviewed_by"],
        last_reviewed=values["last_reviewed"],
        review_interval_days=values["review_interval_days"],
        tags=values["tags"],
        related=values["related"],
        references=values["references"],
        further_reading=tuple(Link(**link) for link in values["further_reading"]),
        draft=values["draft"],
        toc_depth=values["toc_depth"],
        image=values["image"],
        image_alt=values["image_alt"],
        aliases=values["aliases"],
        lines=dict(doc.meta.key_lines),
        document=doc,
        accept=values["accept"],
        translation_key=values["translation_key"],
    )


def parse_page(doc: Document, diags: Diagnostics) -> PageMeta | None:
    values = read_fields(doc.meta, PAGE_FIELDS, doc.path, diags, "page front matter")
    if values is None:
        return None
    slug = _slug(doc, values, diags)
    if slug is None:
        return None
    if slug in RESERVED:
        diags.error(doc.path, doc.meta.line_of("slug"), f"the page slug '{slug}' is used by "
                    "the site itself; choose another (set 'slug:' or rename the file)")
        return None
    return PageMeta(slug=slug, title=values["title"], description=values["description"],
                    toc_depth=values["toc_depth"], document=doc,
                    translation_key=values["translation_key"])


def parse_author(doc: Document, diags: Diagnostics) -> AuthorMeta | None:
    values = read_fields(doc.meta, AUTHOR_FIELDS, doc.path, diags, "author front matter")
    if values is None:
        return None
    author_id = PurePosixPath(doc.path).stem
    problem = slug_problem(author_id)
    if problem:
        diags.error(doc.path, 1, f"an author's file name is their id: {problem}")
        return None
    return AuthorMeta(id=author_id, name=values["name"], credentials=values["credentials"],
                      role=values["role"], photo=values["photo"], photo_alt=values["photo_alt"],
                      links=tuple(Link(**link) for link in values["links"]), document=doc,
                      can_review=values["can_review"])
