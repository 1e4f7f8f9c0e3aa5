from datetime import UTC, datetime

from markupsafe import Markup

from clinicpress.content.site import Site, find_related, sort_posts
from clinicpress.model import Post, Readability, Tag


def post(slug: str, tags: tuple[str, ...], day: int, related: tuple[str, ...] = ()) -> Post:
    return Post(slug=slug, title=slug, description="", published=datetime(2024, 1, day, tzinfo=UTC),
                updated=None, authors=(), review=None,
                tags=tuple(Tag(name=t, slug=t) for t in tags), related_slugs=related,
                html=Markup(""), toc=(), citations=(), further_reading=(), image="", image_alt="",
                draft=False, emergency_notice=False, aliases=(),
                readability=Readability(words=0, sentences=0, grade=0, smog=None,
                                        reading_minutes=1), source=f"{slug}.md")


def related_of(target: Post, posts: list[Post]) -> list[str]:
    by_slug = {p.slug: p for p in posts}
    by_tag: dict[str, list[Post]] = {}
    for p in sort_posts(posts):
        for t in p.tags:
            by_tag.setdefault(t.slug, []).append(p)
    tag_sets = {tag: frozenset(p.slug for p in ps) for tag, ps in by_tag.items()}
    position = {p.slug: i for i, p in enumerate(sort_posts(posts))}
    return [p.slug for p in find_related(target, by_slug, by_tag, tag_sets, position)]


def test_own_choices_first_then_most_shared_tags_then_newest_then_slug() -> None:
    me = post("me", ("a", "b", "c"), 1, related=("chosen",))
    posts = [me, post("chosen", ("z",), 2), post("two-tags", ("a", "b"), 3),
             post("one-tag-old", ("c",), 4), post("one-tag-new", ("a",), 9),
             post("one-tag-new-b", ("b",), 9), post("unrelated-newest", ("z",), 28)]
    assert related_of(me, posts) == ["chosen", "two-tags", "one-tag-new"]
    # Same score and date: the slug decides, so the result never depends on file order.
    assert related_of(me, list(reversed(posts))) == ["chosen", "two-tags", "one-tag-new"]


def test_never_filled_with_merely_the_latest_posts() -> None:
    lonely = post("lonely", ("rare",), 1)
    posts = [lonely, post("new", ("other",), 20), post("newer", ("other",), 21)]
    assert related_of(lonely, posts) == []


def test_sorting_is_newest_first_with_a_stable_tie_break() -> None:
    posts = [post("b", (), 1), post("a", (), 1), post("c", (), 2)]
    assert [p.slug for p in sort_posts(posts)] == ["c", "a", "b"]


def test_ranking_matches_a_plain_count_and_sort() -> None:
    import random

    rng = random.Random(5)
    tags = [f"t{i}" for i in range(6)]
    posts = [post(f"p{i:02d}", tuple(rng.sample(tags, rng.randint(1, 4))), rng.randint(1, 5))
             for i in range(60)]
    for target in posts:
        own = {t.slug for t in target.tags}
        scored = [(len(own & {t.slug for t in p.tags}), p) for p in posts if p is not target]
        expected = [p.slug for n, p in sorted(
            (x for x in scored if x[0] > 0),
            key=lambda x: (-x[0], -x[1].published.timestamp(), x[1].slug))][:3]
        assert related_of(target, posts) == expected


def test_placing_one_post_again_gives_what_a_full_assembly_gives() -> None:
    import random
    from dataclasses import replace

    from clinicpress.content.site import assemble_site, place_again
    from clinicpress.diagnostics import Diagnostics
    from clinicpress.sources.config import SiteConfig

    def assemble(posts: list[Post]) -> Site:
        return assemble_site(SiteConfig.__new__(SiteConfig), posts, (), (),
                             disclaimer_html=Markup(""), emergency_html=Markup(""),
                             generated=datetime(2024, 2, 1, tzinfo=UTC), preview=True,
                             diags=Diagnostics())

    def related(site: Site) -> dict[str, list[str]]:
        return {slug: [p.slug for p in posts] for slug, posts in site.related.items()}

    rng = random.Random(11)
    tags = [f"t{i}" for i in range(8)]
    for _ in range(300):
        posts = [post(f"p{i:02d}", tuple(rng.sample(tags, rng.randint(1, 3))), rng.randint(1, 9),
                      related=tuple(f"p{rng.randrange(30):02d}" for _ in range(rng.randint(0, 1))))
                 for i in range(30)]
        before = assemble(posts)
        old = rng.choice(posts)
        moved = replace(old, tags=tuple(Tag(name=t, slug=t) for t in rng.sample(tags, 2)),
                        published=datetime(2024, 1, rng.randint(1, 9), tzinfo=UTC))
        after = [moved if p is old else p for p in posts]
        assert related(place_again(before, old, moved, Diagnostics())) == related(assemble(after))
        removed = [p for p in posts if p is not old]
        assert related(place_again(before, old, None, Diagnostics())) == related(assemble(removed))
        # Only its tags (and title) changed: fewer lists are found again, with the same result,
        # and every list that shows the post shows its new version.
        retagged = replace(old, tags=tuple(Tag(name=t, slug=t) for t in rng.sample(tags, 2)),
                           title=f"{old.title} (revised)")
        placed = place_again(before, old, retagged, Diagnostics())
        assert related(placed) == related(assemble([retagged if p is old else p for p in posts]))
        assert all(p is not old for shown in placed.related.values() for p in shown)
        # Only its date changed: the same.
        redated = replace(old, published=datetime(2024, 1, rng.randint(1, 9), tzinfo=UTC),
                          title=f"{old.title} (moved)")
        placed = place_again(before, old, redated, Diagnostics())
        assert related(placed) == related(assemble([redated if p is old else p for p in posts]))
        assert all(p is not old for shown in placed.related.values() for p in shown)
