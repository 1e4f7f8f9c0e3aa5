"""Checked front matter and Markdown in, rendered ``Post``, ``Page`` and ``Author`` out.

This is where cross-references are resolved: author and reviewer ids, cited
reference ids, and where the integrity rules (citations, medical review,
readability) produce their diagnostics.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import timedelta

from clinicpress.content.citations import number_citations
from clinicpress.content.csl import csl_locale
from clinicpress.content.readability import measure
from clinicpress.content.references import parse_reference_list
from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostic, Diagnostics, did_you_mean
from clinicpress.incremental.cache import PostCache
from clinicpress.libc import c_function
from clinicpress.markdown.convert import convert_markdown, line_of
from clinicpress.markdown.same_site import foreign_host, foreign_message
from clinicpress.model import Author, Page, Picture, Post, Reference, Review, Tag
from clinicpress.slugs import tag_slug
from clinicpress.sources.config import SiteConfig
from clinicpress.sources.documents import Document
from clinicpress.sources.front_matter import AuthorMeta, PageMeta, PostMeta


def compile_author(meta: AuthorMeta, config: SiteConfig, diags: Diagnostics,
                   pictures: Mapping[str, Picture] | None = None) -> Author:
    doc = meta.document
    bio = convert_markdown(doc.body, path=doc.path, first_line=doc.body_line, diags=diags,
                           base_path=config.base_path, root_path=config.root_path,
                           origins=config.origins, pictures=pictures)
    check_same_site(meta.photo, doc, "photo", config, diags, pictures)
    return Author(id=meta.id, name=meta.name, credentials=meta.credentials, role=meta.role,
                  photo=meta.photo, photo_alt=meta.photo_alt or f"Photo of {meta.name}",
                  links=meta.links, bio_html=bio.html, source=doc.path,
                  can_review=meta.can_review)


def compile_page(meta: PageMeta, config: SiteConfig, diags: Diagnostics,
                 pictures: Mapping[str, Picture] | None = None) -> Page:
    doc = meta.document
    converted = convert_markdown(doc.body, path=doc.path, first_line=doc.body_line, diags=diags,
                                 toc_depth=meta.toc_depth or config.toc_depth,
                                 base_path=config.base_path, root_path=config.root_path,
                                 origins=config.origins, pictures=pictures)
    return Page(slug=meta.slug, title=meta.title, description=meta.description,
                html=converted.html, toc=converted.toc, source=doc.path,
                translation_key=meta.translation_key)


def check_same_site(url: str, doc: Document, key: str, config: SiteConfig,
                    diags: Diagnostics, pictures: Mapping[str, Picture] | None = None) -> None:
    """A picture named in front matter must be a file of the site (or an allowed origin)."""
    host = foreign_host(url, config.origins) if url else None
    if host is not None:
        diags.error(doc.path, doc.meta.line_of(key), f"'{key}': {foreign_message(url, host)}")
    elif pictures is not None and url.startswith("/") and url[1:] not in pictures:
        diags.error(doc.path, doc.meta.line_of(key), f"'{key}': there is no picture '{url}' "
                    "in static/ (check the name and the folder)")


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


def _review(meta: PostMeta, authors: Mapping[str, Author], config: SiteConfig,
            diags: Diagnostics) -> Review | None:
    """The post's review, if it has one; date checks are ``review.check_reviews``'s."""
    if meta.reviewer_id is None or meta.last_reviewed is None:
        return None
    reviewer = authors.get(meta.reviewer_id)
    if reviewer is None:
        diags.error(meta.document.path, meta.line("reviewed_by"),
                    _unknown_author(meta.reviewer_id, authors, "reviewed_by"))
        return None
    line = meta.line("reviewed_by")
    if not (reviewer.credentials and reviewer.can_review) and \
            reviewer.id not in config.review.reviewers:
        diags.error(meta.document.path, line, f"'reviewed_by': {reviewer.name} is not a medical "
                    f"reviewer: give {reviewer.source} 'credentials' and 'can_review: true', "
                    "or list the id under review.reviewers in config.yaml")
        return None
    if meta.author_ids == (reviewer.id,) and not config.review.allow_self_review:
        diags.error(meta.document.path, line, f"'reviewed_by': {reviewer.name} wrote this "
                    "article alone and cannot also be its medical reviewer (another clinician "
                    "must review it, or set review.allow_self_review: true)")
        return None
    interval = meta.review_interval_days or config.review_interval_days
    return Review(reviewer=reviewer, last_reviewed=meta.last_reviewed,
                  next_due=meta.last_reviewed + timedelta(days=interval),
                  line=meta.line("last_reviewed"))


def _warn_same_source(own: tuple[Reference, ...], bibliography: Mapping[str, Reference],
                      diags: Diagnostics) -> None:
    """The same DOI or PMID under two ids is one source cited twice (a post's own entry
    against the bibliography and the post's other entries)."""
    if not own:  # (most posts: nothing to compare the site's bibliography with)
        return
    seen: dict[tuple[str, str], Reference] = {}
    for ref in (*bibliography.values(), *own):
        for label, value in (("DOI", ref.doi.lower()), ("PMID", ref.pmid)):
            first = seen.setdefault((label, value), ref) if value else ref
            if first is not ref and ref in own and first.id != ref.id:
                diags.warning(ref.source, ref.line, f"reference '{ref.id}' has the same "
                              f"{label} {value} as '{first.id}'; cite one id for one source",
                              code="same-reference")


def compile_post(meta: PostMeta, authors: Mapping[str, Author],
                bibliography: Mapping[str, Reference], config: SiteConfig,
                diags: Diagnostics,
                pictures: Mapping[str, Picture] | None = None) -> Post:
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
        root_path=config.root_path,
        pictures=pictures, is_reference=lambda key: key in declared or key in bibliography,
        origins=config.origins,
    )
    check_same_site(meta.image, doc, "image", config, diags, pictures)
    known = set(own_by_id) | set(bibliography)
    for key in dict.fromkeys(converted.citations.unknown):
        diags.error(doc.path, line_of(doc.body, f"@{key}", doc.body_line),
                    f"cites [@{key}] but no reference has that id{did_you_mean(key, known)}")
    citations = number_citations(converted.citations, own, {**bibliography, **own_by_id},
                                 config.citation_style_file, diags, csl_locale(config.language))
    for ref in own:
        if ref.id not in converted.citations.counts:
            diags.warning(doc.path, ref.line, f"reference '{ref.id}' is listed but never cited "
                          f"in the text (add [@{ref.id}] where it supports a statement)",
                          code="unused-reference")
    if (not citations and converted.converted and not converted.citations.unknown
            and len(own) == len(declared)):
        diags.warning(doc.path, 1, f"'{meta.title}' has no references; health content should "
                      "cite its sources", code="no-references")
    readability = measure(converted.html, config.language)
    if readability.formula == "INFLESZ" and readability.score is not None and \
            readability.score < config.min_reading_ease:
        diags.warning(doc.path, doc.body_line, f"INFLESZ score {readability.score} is below "
                      f"{config.min_reading_ease:g} ('algo difícil' or harder): use shorter "
                      "sentences and plainer words", code="readability")
    elif readability.formula == "Flesch-Kincaid" and \
            readability.grade > config.max_reading_grade:
        diags.warning(doc.path, doc.body_line, f"reading grade {readability.grade} is above "
                      f"{config.max_reading_grade:g}: use shorter sentences and plainer words",
                      code="readability")
    notice = config.emergency_notice
    return Post(
        slug=meta.slug,
        title=meta.title,
        description=meta.description,
        published=meta.published,
        updated=meta.updated,
        authors=_resolve_authors(meta, authors, diags),
        review=_review(meta, authors, config, diags),
        tags=tuple(Tag(name=tag, slug=tag_slug(tag)) for tag in meta.tags),
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
        translation_key=meta.translation_key,
    )


_POOL_MIN_POSTS = 200
_CHUNK = 50


def _compile_chunk(metas: list[PostMeta], authors: Mapping[str, Author],
                  bibliography: Mapping[str, Reference], config: SiteConfig,
                  pictures: Mapping[str, Picture],
                  ) -> list[tuple[Post, list[Diagnostic]]]:
    results = []
    for meta in metas:
        diags = Diagnostics()
        post = compile_post(meta, authors, bibliography, config, diags, pictures)
        results.append((post, list(diags)))
    return results


def process_pool(workers: int) -> ProcessPoolExecutor:
    """The build's process pools: forked on Linux (workers inherit what the build holds;
    nothing is pickled to them), workers that end with the build."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=die_with_parent, initargs=(os.getpid(),))


def die_with_parent(parent: int) -> None:
    """Pool workers end when the build is killed, instead of waiting forever (Linux).

    ``parent``: the build's process id, taken before the fork. A build killed while this
    worker was starting died before the kernel was asked to tell it: the worker then
    sees another parent and ends at once (otherwise it would keep the build's output
    pipes open forever)."""
    prctl = c_function("prctl")
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def compile_posts(metas: list[PostMeta], authors: Mapping[str, Author],
                 bibliography: Mapping[str, Reference], config: SiteConfig,
                 diags: Diagnostics, pictures: Mapping[str, Picture],
                 cache: PostCache,
                 progress: Callable[[int, int], None] | None = None) -> list[Post]:
    """Every post: from the cache when nothing it depends on changed, else rendered, in a
    process pool when there are enough to pay for it. Same output and diagnostics either way.

    Each post's Markdown text is let go as soon as the post is rendered: ``metas`` is
    updated in place with body-less copies, so a big site is not held twice in memory.
    """
    results: dict[int, tuple[Post, list[Diagnostic]]] = {}
    todo = []
    for index, meta in enumerate(metas):
        hit = cache.get(meta)
        if hit is None:
            todo.append(index)
        else:
            results[index] = hit
            metas[index] = meta.without_body()
    chunks = [todo[i:i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
    args = (authors, bibliography, config, pictures)
    workers = min(os.cpu_count() or 1, len(chunks))
    if len(todo) < _POOL_MIN_POSTS or workers < 2:
        rendered: Iterable[list[tuple[Post, list[Diagnostic]]]] = (
            _compile_chunk([metas[i] for i in chunk], *args) for chunk in chunks)
        _collect(rendered, chunks, metas, results, cache, progress)
    else:
        with process_pool(workers) as pool:
            rendered = pool.map(_compile_chunk, [[metas[i] for i in chunk] for chunk in chunks],
                                *(itertools.repeat(arg) for arg in args))
            shared = ([(share_objects(post, bibliography, authors), post_diags)
                       for post, post_diags in chunk] for chunk in rendered)
            _collect(shared, chunks, metas, results, cache, progress,
                     lambda: crash_point("post-pool"))
    posts = []
    for index in range(len(metas)):
        post, post_diags = results[index]
        posts.append(post)
        diags.extend(post_diags)
    return posts


def share_objects(post: Post, bibliography: Mapping[str, Reference],
                  authors: Mapping[str, Author]) -> Post:
    """A post from a pool worker with its authors and references replaced by the site's
    own (equal) objects, so that thousands of posts do not each carry copies of them."""

    def person(author: Author) -> Author:
        return author if authors.get(author.id) != author else authors[author.id]

    citations = tuple(
        replace(c, reference=bibliography[c.reference.id])
        if bibliography.get(c.reference.id) == c.reference else c for c in post.citations)
    review = replace(post.review, reviewer=person(post.review.reviewer)) if post.review else None
    return replace(post, citations=citations, authors=tuple(map(person, post.authors)),
                   review=review)


def _collect(rendered: Iterable[list[tuple[Post, list[Diagnostic]]]], chunks: list[list[int]],
             metas: list[PostMeta], results: dict[int, tuple[Post, list[Diagnostic]]],
             cache: PostCache, progress: Callable[[int, int], None] | None,
             arrived: Callable[[], None] | None = None) -> None:
    for chunk, chunk_results in zip(chunks, rendered, strict=True):
        for index, (post, post_diags) in zip(chunk, chunk_results, strict=True):
            if not any(d.level == "error" for d in post_diags):
                post = cache.put(metas[index], post, post_diags,
                                 (c.reference.id for c in post.citations))
            results[index] = (post, post_diags)
            metas[index] = metas[index].without_body()
        if progress:
            progress(len(results), len(metas))
        if arrived:
            arrived()
