"""Rendered posts, pages and authors in, the whole ``Site`` out.

Everything that depends on more than one post is computed here, once: order,
tags, each author's posts, related posts. Templates only read from it.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from markupsafe import Markup

from clinicpress.diagnostics import Diagnostics, did_you_mean
from clinicpress.model import Author, Page, Post, Tag
from clinicpress.slugs import tag_slug
from clinicpress.sources.config import SiteConfig
from clinicpress.sources.front_matter import PostMeta

RELATED_COUNT = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class TagGroup:
    tag: Tag
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    config: SiteConfig
    posts: tuple[Post, ...]
    pages: tuple[Page, ...]
    authors: tuple[Author, ...]
    tags: tuple[TagGroup, ...]
    related: Mapping[str, tuple[Post, ...]]
    by_author: Mapping[str, tuple[Post, ...]]
    disclaimer_html: Markup
    emergency_html: Markup
    generated: datetime
    preview: bool

    def related_to(self, post: Post) -> tuple[Post, ...]:
        return self.related.get(post.slug, ())

    def posts_by(self, author: Author) -> tuple[Post, ...]:
        return self.by_author.get(author.id, ())

    def reviewed_by(self, author: Author) -> tuple[Post, ...]:
        return tuple(p for p in self.posts if p.review and p.review.reviewer.id == author.id)

    def tag_group(self, slug: str) -> TagGroup | None:
        return next((group for group in self.tags if group.tag.slug == slug), None)


def check_posts(metas: Sequence[PostMeta], diags: Diagnostics, drafts_shown: bool,
                unreadable: Iterable[str] = ()) -> None:
    """Errors for two posts with one slug and for related slugs that name no post;
    a warning for a related post that is a draft (it is left out until published).
    Slugs of ``unreadable`` posts (already reported) are not reported again."""
    skip = set(unreadable)
    first: dict[str, PostMeta] = {}
    for meta in metas:
        if meta.slug in first:
            other = first[meta.slug].document.path
            diags.error(meta.document.path, meta.line("slug") if "slug" in meta.lines else 1,
                        f"two posts have the slug '{meta.slug}' (the other is {other})")
        first.setdefault(meta.slug, meta)
    tag_names: dict[str, str] = {}
    for meta in metas:
        for tag in meta.tags:
            other = tag_names.setdefault(tag_slug(tag), tag)
            if other != tag:
                diags.error(meta.document.path, meta.line("tags"), f"the tags '{tag}' and "
                            f"'{other}' would share one page (/tags/{tag_slug(tag)}/); "
                            "write them the same way")
    for meta in metas:
        for slug in meta.related:
            if slug not in first and slug not in skip:
                diags.error(meta.document.path, meta.line("related"),
                            f"'related': no post has the slug '{slug}'"
                            f"{did_you_mean(slug, first)}")
            elif slug not in first:
                continue
            elif first[slug].draft and not drafts_shown and not meta.draft:
                diags.warning(meta.document.path, meta.line("related"),
                              f"'related': '{slug}' is a draft, so it is left out for now")
            elif slug == meta.slug:
                diags.warning(meta.document.path, meta.line("related"),
                              f"'related': a post cannot be related to itself ('{slug}')")


def sort_posts(posts: Iterable[Post]) -> tuple[Post, ...]:
    """Newest first; equal dates by slug, so the order never depends on file order."""
    by_slug = sorted(posts, key=lambda p: p.slug)
    return tuple(sorted(by_slug, key=lambda p: p.published, reverse=True))


def find_related(post: Post, by_slug: Mapping[str, Post],
                 by_tag: Mapping[str, Sequence[Post]],
                 tag_sets: Mapping[str, frozenset[str]],
                 position: Mapping[str, int]) -> tuple[Post, ...]:
    """The post's own choices, then the posts sharing the most tags (newest, then slug).

    Never padded with posts that share no tag: "related" must mean related. Posts sharing
    two or more tags are found by set intersections, then single-tag matches by merging
    the (already newest-first) tag lists, so the cost does not grow with the square of
    the site's size. ``position`` is each post's place in the site's newest-first order.
    """
    chosen = [by_slug[s] for s in post.related_slugs if s in by_slug and s != post.slug]
    if len(chosen) >= RELATED_COUNT:
        return tuple(chosen[:RELATED_COUNT])
    taken = {p.slug for p in chosen} | {post.slug}
    tags = sorted({t.slug for t in post.tags})
    pairs: Counter[str] = Counter()
    for first, second in itertools.combinations(tags, 2):
        pairs.update(tag_sets[first] & tag_sets[second])
    # A post sharing k tags is in k*(k-1)/2 of the pairwise intersections, so more pairs
    # means more shared tags: rank by pairs, then by place in the newest-first order.
    wanted = RELATED_COUNT - len(chosen)
    best = heapq.nsmallest(wanted, (slug for slug in pairs if slug not in taken),
                           key=lambda slug: (-pairs[slug], position[slug]))
    for slug in best:
        chosen.append(by_slug[slug])
        taken.add(slug)
    if len(chosen) < RELATED_COUNT:
        for other in heapq.merge(*(by_tag[t] for t in tags), key=lambda p: position[p.slug]):
            if other.slug not in taken:
                chosen.append(other)
                taken.add(other.slug)
                if len(chosen) == RELATED_COUNT:
                    break
    return tuple(chosen)


def group_tags(posts: Sequence[Post]) -> tuple[TagGroup, ...]:
    groups: dict[str, list[Post]] = defaultdict(list)
    names: dict[str, str] = {}
    for post in posts:
        for tag in post.tags:
            # Two spellings of one tag are an error in ``check_posts``, before this.
            names.setdefault(tag.slug, tag.name)
            groups[tag.slug].append(post)
    return tuple(
        TagGroup(tag=Tag(name=names[slug], slug=slug), posts=tuple(groups[slug]))
        for slug in sorted(groups)
    )


def assemble_site(config: SiteConfig, posts: Iterable[Post], pages: Iterable[Page],
                  authors: Iterable[Author], *, disclaimer_html: Markup, emergency_html: Markup,
                  generated: datetime, preview: bool, diags: Diagnostics,
                  keep_related: Mapping[str, tuple[Post, ...]] | None = None,
                  changed: Container[str] = ()) -> Site:
    """``keep_related``: related lists to reuse for every post whose slug is not in
    ``changed`` (see ``place_again``)."""
    ordered = sort_posts(p for p in posts if preview or not p.draft)
    by_slug = {post.slug: post for post in ordered}
    by_tag: dict[str, list[Post]] = defaultdict(list)
    by_author: dict[str, list[Post]] = defaultdict(list)
    for post in ordered:
        for tag in post.tags:
            by_tag[tag.slug].append(post)
        for author in post.authors:
            by_author[author.id].append(post)
    tag_sets = {tag: frozenset(p.slug for p in tagged) for tag, tagged in by_tag.items()}
    position = {post.slug: index for index, post in enumerate(ordered)}
    return Site(
        config=config,
        posts=ordered,
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        authors=tuple(sorted(authors, key=lambda a: a.id)),
        tags=group_tags(ordered),
        related={post.slug: keep_related[post.slug]
                 if keep_related is not None and post.slug in keep_related
                 and post.slug not in changed
                 else find_related(post, by_slug, by_tag, tag_sets, position)
                 for post in ordered},
        by_author={key: tuple(value) for key, value in by_author.items()},
        disclaimer_html=disclaimer_html,
        emergency_html=emergency_html,
        generated=generated,
        preview=preview,
    )


def placement(posts: Iterable[Post]) -> bytes:
    """Where every post of a site stands, as text: all that its related lists, tag and
    author lists and order depend on (``incremental.related_memo``)."""
    return repr([_place(post) for post in posts]).encode()


def _place(post: Post) -> tuple[object, ...]:
    """What decides where a post appears: order, tag pages, author pages, related lists."""
    return (post.slug, post.published, post.tags, post.related_slugs, post.draft,
            tuple(a.id for a in post.authors))


def replace_post(site: Site, old: Post, new: Post) -> Site | None:
    """The site with ``new`` in place of ``old``, when the edit moves nothing (the usual
    edit while writing: the text); None when ``assemble_site`` must place it again."""
    if _place(old) != _place(new):
        return None

    def swap(posts: tuple[Post, ...]) -> tuple[Post, ...]:
        return tuple(new if p is old else p for p in posts)

    return replace(
        site,
        posts=swap(site.posts),
        tags=tuple(TagGroup(tag=g.tag, posts=swap(g.posts)) for g in site.tags),
        related={slug: swap(posts) for slug, posts in site.related.items()},
        by_author={key: swap(posts) for key, posts in site.by_author.items()},
    )


def place_again(site: Site, old: Post | None, new: Post | None, diags: Diagnostics) -> Site:
    """The site after one post was added, removed or moved (a new date, tags, authors or
    related posts): everything is placed again, but related posts are found again only
    for the posts whose related lists it can change: those that share a tag with either
    version of it or name it; fewer when only its tags or only its date changed
    (``_narrowed``)."""

    def touches(post: Post, other: Post | None) -> bool:
        return other is not None and (
            post.slug == other.slug or other.slug in post.related_slugs
            or not {t.slug for t in post.tags}.isdisjoint(t.slug for t in other.tags))

    posts = [p for p in site.posts if p is not old] + ([new] if new is not None else [])
    changed = _narrowed(site, old, new, posts) if old is not None and new is not None else None
    if changed is None:
        changed = {p.slug for p in posts if touches(p, old) or touches(p, new)}
    # The kept lists that show the post show its new version.
    keep = {slug: tuple(new if p is old else p for p in related)
            for slug, related in site.related.items()} if old is not None and new is not None \
        else site.related
    return assemble_site(site.config, posts, site.pages, site.authors,
                         disclaimer_html=site.disclaimer_html, emergency_html=site.emergency_html,
                         generated=site.generated, preview=site.preview, diags=diags,
                         keep_related=keep, changed=changed)


def _narrowed(site: Site, old: Post, new: Post, posts: list[Post]) -> set[str] | None:
    """The lists to find again when only the post's tags changed (the site's order is the
    same: the lists with a tag it gained or lost, and those that name it), or its date,
    with or without its tags (``_moved_lists``); None when its slug or draft state
    changed."""
    if (old.slug, old.draft) != (new.slug, new.draft):
        return None
    if old.published == new.published:
        moved = {t.slug for t in old.tags} ^ {t.slug for t in new.tags}
        return {p.slug for p in posts if p.slug == new.slug or new.slug in p.related_slugs
                or not moved.isdisjoint(t.slug for t in p.tags)}
    return _moved_lists(site, old, new, posts)


def _moved_lists(site: Site, old: Post, new: Post, posts: list[Post]) -> set[str]:
    """The posts whose related lists a new date of one post (and perhaps new tags) can
    change. Candidates rank by shared tags, then by place in the newest-first order, and
    of all posts only this one's place and tags changed. So a list changes if it held the
    post, or if the post is now a candidate (it shares a tag) that ranks before the list's
    last pick (or the list is short). A list that names the post keeps it where the
    writer put it. Only those holders and candidates are looked at, not every post."""
    by_slug = {post.slug: post for post in posts}
    own = {t.slug for t in new.tags}

    def ranks_before(post: Post, first: Post, second: Post) -> bool:
        """As ``find_related`` ranks ``post``'s candidates: more pairs of shared tags, then
        the site's newest-first order (``sort_posts``)."""
        tags = {t.slug for t in post.tags}
        shared = [len(tags & {t.slug for t in other.tags}) for other in (first, second)]
        first_pairs, second_pairs = (n * (n - 1) // 2 for n in shared)
        if first_pairs != second_pairs:
            return first_pairs > second_pairs
        return sort_posts((second, first))[0] is first

    held = {slug for slug, shown in site.related.items() if any(p is old for p in shown)}
    candidates = {p.slug for group in site.tags if group.tag.slug in own for p in group.posts}
    changed = {new.slug}
    for slug in held | candidates:
        post = by_slug.get(slug)
        if post is None or slug == new.slug or new.slug in post.related_slugs:
            continue  # gone, itself, or named by the writer (its place is fixed)
        shown = site.related.get(slug, ())
        picks = [p for p in shown if p.slug not in post.related_slugs]
        if slug in held or len(shown) < RELATED_COUNT or \
                (picks and ranks_before(post, new, picks[-1])):
            changed.add(slug)
    return changed
