"""Checked front matter and Markdown in, rendered ``Post``, ``Page`` and ``Author`` out.

This is where cross-references are resolved: author and reviewer ids, cited
reference ids, and where the integrity rules (citations, medical review,
readability) produce their diagnostics.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta

from .citations import number_citations
from .config import SiteConfig
from .diagnostics import Diagnostic, Diagnostics, did_you_mean
from .front_matter import AuthorMeta, PageMeta, PostMeta
from .markdown_render import convert_markdown, line_of
from .model import Author, Page, Post, Reference, Review, Tag
from .readability import measure
from .references import parse_reference_list
from .slugs import slugify


def render_author(meta: AuthorMeta, config: SiteConfig, diags: Diagnostics) -> Author:
    doc = meta.document
    bio = convert_markdown(doc.body, path=doc.path, first_line=doc.body_line, diags=diags,
                           base_path=config.base_path)
    return Author(id=meta.id, name=meta.name, credentials=meta.credentials, role=meta.role,
                  photo=meta.photo, photo_alt=meta.photo_alt or f"Photo of {meta.name}",
                  links=meta.links, bio_html=bio.html, source=doc.path)


def render_page(meta: PageMeta, config: SiteConfig, diags: Diagnostics) -> Page:
    doc = meta.document
    converted = convert_markdown(doc.body, path=doc.path, first_line=doc.body_line, diags=diags,
                                 toc_depth=meta.toc_depth or config.toc_depth,
                                 base_path=config.base_path)
    return Page(slug=meta.slug, title=meta.title, description=meta.description,
                html=converted.html, toc=converted.toc, source=doc.path)


def _resolve_authors(meta: PostMeta, authors: Mapping[str, Author],
                     diags: Diagnostics) -> tuple[Author, ...]:
    found = []
    for author_id in meta.author_ids:
        if author_id in authors:
            found.append(authors[author_id])
        else:
            diags.error(meta.document.path, meta.line("author"), _unknown_author(author_id,
                        authors, "author"))
    return tuple(found)


def _unknown_author(author_id: str, authors: Mapping[str, Author], key: str) -> str:
    known = ", ".join(sorted(authors)) or "none: add content/authors/<id>.md"
    hint = did_you_mean(author_id, authors)
    return f"'{key}': unknown author '{author_id}'{hint} (known: {known})"


def _review(meta: PostMeta, authors: Mapping[str, Author], config: SiteConfig, today: date,
            diags: Diagnostics) -> Review | None:
    path = meta.document.path
    policy = config.review
    if meta.reviewer_id is None or meta.last_reviewed is None:
        required = policy.required_for_all or set(meta.tags) & set(policy.required_for_tags)
        message = f"'{meta.title}' has no medical reviewer (add reviewed_by and last_reviewed)"
        if required or policy.missing_is_error:
            diags.error(path, 1, message)
        else:
            diags.warning(path, 1, message)
        return None
    reviewer = authors.get(meta.reviewer_id)
    if reviewer is None:
        diags.error(path, meta.line("reviewed_by"),
                    _unknown_author(meta.reviewer_id, authors, "reviewed_by"))
        return None
    if meta.last_reviewed > today:
        diags.error(path, meta.line("last_reviewed"),
                    f"'last_reviewed' {meta.last_reviewed} is in the future")
    interval = meta.review_interval_days or config.review_interval_days
    review = Review(reviewer=reviewer, last_reviewed=meta.last_reviewed,
                    next_due=meta.last_reviewed + timedelta(days=interval))
    overdue = review.overdue_days(today)
    if overdue:
        message = (f"'{meta.title}' is overdue for medical review by {overdue} days "
                   f"(reviewer {reviewer.name}, due {review.next_due.isoformat()})")
        if policy.overdue_is_error:
            diags.error(path, meta.line("last_reviewed"), message)
        else:
            diags.warning(path, meta.line("last_reviewed"), message)
    return review


def _warn_same_source(own: tuple[Reference, ...], bibliography: Mapping[str, Reference],
                      diags: Diagnostics) -> None:
    """The same DOI or PMID under two ids is one source cited twice."""
    seen: dict[tuple[str, str], Reference] = {}
    for ref in (*bibliography.values(), *own):
        for label, value in (("DOI", ref.doi), ("PMID", ref.pmid)):
            first = seen.setdefault((label, value), ref) if value else ref
            if first is not ref and ref in own and first.id != ref.id:
                diags.warning(ref.source, ref.line, f"reference '{ref.id}' has the same "
                              f"{label} {value} as '{first.id}'; cite one id for one source")


def render_post(meta: PostMeta, authors: Mapping[str, Author],
                bibliography: Mapping[str, Reference], config: SiteConfig, today: date,
                diags: Diagnostics,
                image_sizes: Mapping[str, tuple[int, int]] | None = None) -> Post:
    doc = meta.document
    own = parse_reference_list(meta.references, meta.line("references"), doc.path, diags) \
        if meta.references else ()
    for ref in own:
        if ref.id in bibliography:
            other = bibliography[ref.id]
            diags.error(doc.path, ref.line, f"two references have the id '{ref.id}' (the other "
                        f"is at {other.source}:{other.line}); cite the shared one")
    _warn_same_source(own, bibliography, diags)
    own_by_id = {ref.id: ref for ref in own}
    # Ids of entries that were listed but invalid: already reported, so citing them is not
    # a second error.
    declared = {str(item.get("id")) for item in meta.references or () if isinstance(item, dict)}
    converted = convert_markdown(
        doc.body, path=doc.path, first_line=doc.body_line, diags=diags,
        toc_depth=meta.toc_depth or config.toc_depth, base_path=config.base_path,
        image_sizes=image_sizes, is_reference=lambda key: key in declared or key in bibliography,
    )
    known = set(own_by_id) | set(bibliography)
    for key in dict.fromkeys(converted.citations.unknown):
        diags.error(doc.path, line_of(doc.body, f"@{key}", doc.body_line),
                    f"cites [@{key}] but no reference has that id{did_you_mean(key, known)}")
    citations = number_citations(converted.citations, own, {**bibliography, **own_by_id},
                                 config.citation_style)
    for ref in own:
        if ref.id not in converted.citations.counts:
            diags.warning(doc.path, ref.line, f"reference '{ref.id}' is listed but never cited "
                          f"in the text (add [@{ref.id}] where it supports a statement)")
    if (not citations and converted.converted and not converted.citations.unknown
            and len(own) == len(declared)):
        diags.warning(doc.path, 1, f"'{meta.title}' has no references; health content should "
                      "cite its sources")
    readability = measure(converted.html)
    if readability.grade > config.max_reading_grade:
        diags.warning(doc.path, doc.body_line, f"reading grade {readability.grade} is above "
                      f"{config.max_reading_grade:g}: use shorter sentences and plainer words")
    notice = config.emergency_notice
    return Post(
        slug=meta.slug,
        title=meta.title,
        description=meta.description,
        published=meta.published,
        updated=meta.updated,
        authors=_resolve_authors(meta, authors, diags),
        review=_review(meta, authors, config, today, diags),
        tags=tuple(Tag(name=tag, slug=slugify(tag)) for tag in meta.tags),
        related_slugs=meta.related,
        html=converted.html,
        toc=converted.toc,
        citations=citations,
        further_reading=meta.further_reading,
        image=meta.image,
        image_alt=meta.image_alt,
        draft=meta.draft,
        emergency_notice=bool(notice and (not notice.tags or set(notice.tags) & set(meta.tags))),
        aliases=meta.aliases,
        readability=readability,
        source=doc.path,
    )


_POOL_MIN_POSTS = 200
_CHUNK = 50


def _render_chunk(metas: list[PostMeta], authors: Mapping[str, Author],
                  bibliography: Mapping[str, Reference], config: SiteConfig, today: date,
                  image_sizes: Mapping[str, tuple[int, int]],
                  ) -> tuple[list[Post], list[Diagnostic]]:
    diags = Diagnostics()
    posts = [render_post(meta, authors, bibliography, config, today, diags, image_sizes)
             for meta in metas]
    return posts, list(diags)


def render_posts(metas: Sequence[PostMeta], authors: Mapping[str, Author],
                 bibliography: Mapping[str, Reference], config: SiteConfig, today: date,
                 diags: Diagnostics, image_sizes: Mapping[str, tuple[int, int]],
                 progress: Callable[[int, int], None] | None = None) -> list[Post]:
    """Every post, in a process pool when there are enough to pay for it.

    The output and the diagnostics are the same as rendering one by one, in order.
    """
    chunks = [list(metas[i:i + _CHUNK]) for i in range(0, len(metas), _CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    posts: list[Post] = []
    if len(metas) < _POOL_MIN_POSTS or workers < 2:
        results: Iterable[tuple[list[Post], list[Diagnostic]]] = (
            _render_chunk(chunk, authors, bibliography, config, today, image_sizes)
            for chunk in chunks)
        return _collect(results, len(metas), posts, diags, progress)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = pool.map(_render_chunk, chunks, *(itertools.repeat(x) for x in
                                                    (authors, bibliography, config, today,
                                                     image_sizes)))
        return _collect(results, len(metas), posts, diags, progress)


def _collect(results: Iterable[tuple[list[Post], list[Diagnostic]]], total: int,
             posts: list[Post], diags: Diagnostics,
             progress: Callable[[int, int], None] | None) -> list[Post]:
    for chunk_posts, chunk_diags in results:
        posts.extend(chunk_posts)
        diags.extend(chunk_diags)
        if progress:
            progress(len(posts), total)
    return posts
