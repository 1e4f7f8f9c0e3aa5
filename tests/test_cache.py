"""The on-disk cache never serves stale output: after each kind of change, a warm build is
byte-identical to a clean one and re-renders exactly the posts that depend on the change."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import random
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

import clinicpress
from conftest import BASIC, SITES, build_site, copy_site, replace_in


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    site = copy_site(BASIC, tmp_path / "site")
    (site / "content/authors/cy.md").write_text("---\nname: Cy Writer\n---\nCy's first bio.\n")
    post = site / "content/posts/2024-04-01-unrelated.md"
    replace_in(post, "author: ann", "author: cy")
    refs = site / "content/references.yaml"
    refs.write_text(refs.read_text() + "- id: only-one\n  title: Cited by one post\n"
                    "  PMID: \"123\"\n")
    night = site / "content/posts/2024-02-10-night-pain.md"
    replace_in(night, "[@shared-paper].", "[@shared-paper; @only-one].")
    return site


def warm_vs_clean(site: Path, tmp_path: Path, name: str) -> list[str]:
    """Build warm (cache on) and clean (cache off); assert equal; return re-rendered slugs."""
    warm = build_site(site, tmp_path / "warm", cache=True)
    build_site(site, tmp_path / f"clean-{name}", cache=False)
    assert files(tmp_path / "warm") == files(tmp_path / f"clean-{name}")
    assert warm.timings["cache_hits"] + warm.timings["cache_misses"] == 4
    return list(warm.rendered)


def test_warm_builds_match_clean_builds_after_every_kind_of_change(site: Path,
                                                                    tmp_path: Path) -> None:
    first = build_site(site, tmp_path / "warm", cache=True)
    assert first.timings["cache_misses"] == 4
    assert warm_vs_clean(site, tmp_path, "same") == []

    # A template: no post needs Markdown again, but every page shows the change.
    (site / "templates").mkdir()
    (site / "templates/partials").mkdir()
    (site / "templates/partials/review-dates.html").write_text(
        "<p class=\"review-dates\">Template v2</p>\n")
    assert warm_vs_clean(site, tmp_path, "template") == []
    assert b"Template v2" in (tmp_path / "warm/posts/night-pain/index.html").read_bytes()

    # An author's bio: only the post that author wrote.
    cy = site / "content/authors/cy.md"
    replace_in(cy, "first bio", "second bio")
    assert warm_vs_clean(site, tmp_path, "author") == ["unrelated"]
    assert b"second bio" in (tmp_path / "warm/posts/unrelated/index.html").read_bytes()

    # One reference: only the post that cites it.
    refs = site / "content/references.yaml"
    replace_in(refs, "Cited by one post", "Cited by exactly one post")
    assert warm_vs_clean(site, tmp_path, "reference") == ["night-pain"]

    # A related post's title: that post's own page, and the pages that list it.
    night = site / "content/posts/2024-02-10-night-pain.md"
    replace_in(night, "title: Night pain", "title: Pain at night")
    assert warm_vs_clean(site, tmp_path, "related") == ["night-pain"]
    assert b"Pain at night" in (tmp_path / "warm/posts/sleep-basics/index.html").read_bytes()

    # The config: everything.
    config = site / "config.yaml"
    replace_in(config, "Educational only", "For learning only")
    assert warm_vs_clean(site, tmp_path, "config") == ["night-pain", "sleep-basics",
                                                      "sleep-hygiene", "unrelated"]


def test_review_dates_are_checked_against_today_even_for_cached_posts(site: Path,
                                                                      tmp_path: Path) -> None:
    """A page kept in the cache never says a review is current once it is overdue, nor
    that a post is scheduled once its date has come."""
    replace_in(site / "content/posts/2024-04-01-unrelated.md", "date: 2024-04-01",
               "date: 2025-06-01")
    first = build_site(site, tmp_path / "out", cache=True, future=True)
    assert b"Scheduled: published on" in (tmp_path / "out/posts/unrelated/index.html"
                                          ).read_bytes()
    assert first.timings["page_cache_hits"] == 0
    later = datetime(2027, 6, 1, tzinfo=UTC)
    warm = build_site(site, tmp_path / "out", cache=True, future=True, now=later)
    assert warm.timings["cache_hits"] == 4
    assert any("overdue for medical review" in d.message for d in warm.diagnostics)
    build_site(site, tmp_path / "clean", cache=False, future=True, now=later)
    assert files(tmp_path / "out") == files(tmp_path / "clean")
    page = (tmp_path / "out/posts/night-pain/index.html").read_bytes()
    assert b"This article is due for review" in page
    assert b"Scheduled" not in (tmp_path / "out/posts/unrelated/index.html").read_bytes()


def build_cli(site: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from clinicpress.commands.cli import main

    code = main(["--site", str(site), "--no-search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_an_unchanged_site_is_not_built_again(site: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    code, first_out, first_err = build_cli(site, capsys)
    assert code == 0 and first_out.startswith("built ")
    before = stamps(site / "output")
    code, out, err = build_cli(site, capsys)
    assert code == 0 and "is up to date: nothing changed since the last build" in out
    assert err == first_err  # the same warnings, again
    assert stamps(site / "output") == before  # not a file touched

    # Building elsewhere (another output, the preview's cache use) keeps this record;
    # records of output folders that are gone are dropped.
    other = site.parent / "elsewhere"
    assert build_cli(site, capsys, "--output", str(other))[1].startswith("built ")
    assert "up to date" in build_cli(site, capsys)[1]
    records = site / ".clinicpress-cache"
    assert len(list(records.glob("last-build-*.json"))) == 2
    shutil.rmtree(other)
    build_cli(site, capsys, "--strict")
    assert len(list(records.glob("last-build-*.json"))) == 1
    assert build_cli(site, capsys)[1].startswith("built ")  # --strict rebuilt output/

    # Any input, an option, the date, or the output itself changing means a real build.
    post = site / "content/posts/2024-02-10-night-pain.md"
    replace_in(post, "when it is quiet", "when the house is silent")
    assert build_cli(site, capsys)[1].startswith("built ")
    assert b"when the house is silent" in (site / "output/posts/night-pain/index.html").read_bytes()
    assert "up to date" in build_cli(site, capsys)[1]
    assert build_cli(site, capsys, "--base-url", "https://other.example/")[1].startswith("built ")
    assert "up to date" in build_cli(site, capsys, "--base-url", "https://other.example/")[1]
    (site / "output/posts/night-pain/index.html").write_text("edited by hand")
    assert build_cli(site, capsys, "--base-url", "https://other.example/")[1].startswith("built ")
    assert b"when the house is silent" in (site / "output/posts/night-pain/index.html").read_bytes()
    (site / "static").mkdir(exist_ok=True)
    (site / "static/new.txt").write_text("a new static file")
    assert build_cli(site, capsys)[1].startswith("built ")
    assert (site / "output/static/new.txt").is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1735732800 + 86400))  # tomorrow
    assert build_cli(site, capsys)[1].startswith("built ")
    assert build_cli(site, capsys, "--no-cache")[1].startswith("built ")


def test_a_site_template_that_shows_more_of_other_posts_is_never_served_stale(
        tmp_path: Path) -> None:
    """The page cache's key covers what templates read of other posts, found in the
    templates themselves: a site template that shows other posts' descriptions on every
    post page sees a description edit at once."""
    site = copy_site(BASIC, tmp_path / "site")
    (site / "templates").mkdir()
    theme = Path(clinicpress.__file__).parent / "theme/templates/post.html"
    (site / "templates/post.html").write_text(theme.read_text().replace(
        "{{ post.html }}", "{{ post.html }}{% for other in site.posts %}"
        '<p class="also">{{ other.further_reading }}</p>{% endfor %}'))
    build_site(site, tmp_path / "out", cache=True)
    replace_in(site / "content/posts/2024-03-01-sleep-hygiene.md", "tags:",
               "further_reading:\n  - {title: Sleep tips, url: https://example.org/}\ntags:")
    warm = build_site(site, tmp_path / "out", cache=True)
    page = (tmp_path / "out/posts/night-pain/index.html").read_text()
    assert "Sleep tips" in page  # night-pain's page shows another post's new link
    assert warm.rendered == ("sleep-hygiene",)


def test_a_text_edit_renders_only_that_posts_page_again(tmp_path: Path) -> None:
    """What the post page reads of other posts comes only from the macros it calls: the
    article cards' reading time is not one of them, so a longer text in one post leaves
    every other post page in the page cache (and the output equal to a clean build). The
    list pages (home, tags, authors) show the reading time in minutes, which these words
    do not change, so they come from the cache too."""
    site = copy_site(BASIC, tmp_path / "site")
    build_site(site, tmp_path / "warm", cache=True)
    replace_in(site / "content/posts/2024-02-10-night-pain.md", "when it is quiet",
               "when it is quiet and there is nothing else to notice but the ache itself")
    warm = build_site(site, tmp_path / "warm", cache=True)
    assert warm.rendered == ("night-pain",)
    pages = [p.relative_to(tmp_path / "warm").parts
             for p in (tmp_path / "warm").rglob("index.html")]
    lists = [p for p in pages if p == ("index.html",) or p[0] == "page"
             or (p[0] in ("tags", "authors") and len(p) > 2)]  # and each tag's, author's
    assert len(lists) >= 5
    assert warm.timings["page_cache_hits"] == 3 + len(lists)  # and the other post pages
    build_site(site, tmp_path / "clean", cache=False)
    assert files(tmp_path / "warm") == files(tmp_path / "clean")


# Every kind of edit a writer or an engineer makes, each written as a small change that
# keeps the site valid; ``step`` makes every edit new text.
def _text(site: Path, rng: random.Random, step: int) -> None:
    post = rng.choice(sorted((site / "content").rglob("posts/*.md")))
    post.write_text(post.read_text() + f"\nOne more plain sentence, number {step}.\n")


def _title(site: Path, rng: random.Random, step: int) -> None:
    post = rng.choice(sorted((site / "content").rglob("posts/*.md")))
    text = post.read_text()
    title = re.search(r"^title: (.*)$", text, re.MULTILINE)
    assert title is not None
    post.write_text(text.replace(title.group(0), f"title: {title.group(1)} {step}", 1))


def _tags(site: Path, rng: random.Random, step: int) -> None:
    post = rng.choice(sorted((site / "content").rglob("posts/*.md")))
    text = post.read_text()
    if "tags: [" in text:
        post.write_text(text.replace("tags: [", f"tags: [topic {step}, ", 1))


def _date(site: Path, rng: random.Random, step: int) -> None:
    post = rng.choice(sorted((site / "content/posts").glob("*.md")))
    text = post.read_text()
    date = re.search(r"^date: (\d{4}-\d\d-\d\d)$", text, re.MULTILINE)
    assert date is not None
    post.write_text(text.replace(date.group(0), f"date: 2024-0{rng.randint(1, 9)}-1{step % 10}",
                                 1))


def _bio(site: Path, rng: random.Random, step: int) -> None:
    author = rng.choice(sorted((site / "content").rglob("authors/*.md")))
    author.write_text(author.read_text() + f"\nAlso writes about sleep ({step}).\n")


def _reference(site: Path, rng: random.Random, step: int) -> None:
    refs = site / "content/references.yaml"
    titles = re.findall(r"^  title: .*$", refs.read_text(), re.MULTILINE)
    old = rng.choice(titles)
    title = old.removeprefix("  title: ").strip().strip('"')
    replace_in(refs, old, f'  title: "{title} revised {step}"')


def _config(site: Path, rng: random.Random, step: int) -> None:
    config = site / "config.yaml"
    text = re.sub(r"posts_per_page: \d+", f"posts_per_page: {rng.randint(1, 3)}",
                  config.read_text())
    config.write_text(re.sub(r"Educational only[^;]*;", f"Educational only (v{step});", text))


def _template(site: Path, rng: random.Random, step: int) -> None:
    partial = site / "templates/partials/review-dates.html"
    if partial.exists() and rng.random() < 0.4:
        partial.unlink()  # back to the theme's own
        return
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(f'<p class="review-dates">Reviewed, version {step}</p>\n')


def _static(site: Path, rng: random.Random, step: int) -> None:
    (site / "static/files").mkdir(parents=True, exist_ok=True)
    (site / "static/files/opening-times.txt").write_text(f"Open 9 to 5 (update {step})\n")


def _image(site: Path, rng: random.Random, step: int) -> None:
    from PIL import Image

    colour = (rng.randrange(256), rng.randrange(256), step % 256)
    Image.new("RGB", (rng.choice((480, 640)), 400), colour).save(
        site / "static/images/room.png")


def _translation(site: Path, rng: random.Random, step: int) -> None:
    post = rng.choice(sorted((site / "content/es/posts").glob("*.md")))
    post.write_text(post.read_text() + f"\nUna frase más, la número {step}.\n")


EDITS = (_text, _title, _tags, _date, _bio, _reference, _config, _template, _static, _image,
         _translation)


@pytest.mark.slow
def test_a_random_sequence_of_every_kind_of_edit_keeps_warm_builds_identical(
        tmp_path: Path) -> None:
    """Twenty edits drawn with a fixed seed (every kind at least once): after each, the
    warm build (cache and previous output kept) writes exactly the files, byte for byte,
    that a clean build writes."""
    site = copy_site(BASIC, tmp_path / "site")
    shutil.copytree(SITES / "bilingual", site, dirs_exist_ok=True)
    (site / "static/images").mkdir(parents=True)
    _image(site, random.Random(0), 0)
    replace_in(site / "content/posts/2024-01-05-sleep-basics.md", "tags: [",
               "image: /static/images/room.png\nimage_alt: A quiet bedroom\ntags: [")
    rng = random.Random(20261130)
    kinds = [*EDITS, *(rng.choice(EDITS) for _ in range(20 - len(EDITS)))]
    rng.shuffle(kinds)
    build_site(site, tmp_path / "warm", cache=True)
    kept = []
    for step, edit in enumerate(kinds, start=1):
        edit(site, rng, step)
        warm = build_site(site, tmp_path / "warm", cache=True)
        kept.append(warm.timings["pages_kept"])
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        build_site(site, tmp_path / "clean", cache=False)
        assert files(tmp_path / "warm") == files(tmp_path / "clean"), \
            f"step {step}, {edit.__name__}: the warm build differs from a clean one"
        assert warm.timings["front_matter_hits"] > 0
    print("pages kept in place at each step:", kept)
    assert sum(1 for pages in kept if pages) >= 10  # most steps kept pages in place


def test_front_matter_from_the_cache_gives_the_same_values_lines_and_warnings(
        site: Path, tmp_path: Path) -> None:
    post = site / "content/posts/2024-03-01-sleep-hygiene.md"
    replace_in(post, "description: Small habits for better sleep.",
               "description: Small habits for better sleep, update #2")
    first = build_site(site, tmp_path / "out", cache=True)
    post.write_text(post.read_text() + "\nA new sentence in the text only.\n")
    second = build_site(site, tmp_path / "out", cache=True)
    documents = len(list((site / "content").rglob("*.md")))  # none is parsed again
    assert (first.timings["front_matter_hits"], second.timings["front_matter_hits"]) == (
        0, documents)
    warning = [d.format() for d in second.diagnostics if "YAML comment" in d.message]
    assert warning == [d.format() for d in first.diagnostics if "YAML comment" in d.message]
    assert warning and warning[0].startswith(f"content/posts/{post.name}:")
    build_site(site, tmp_path / "clean", cache=False)
    assert files(tmp_path / "out") == files(tmp_path / "clean")


def test_a_damaged_or_foreign_front_matter_entry_is_parsed_again(site: Path,
                                                                  tmp_path: Path) -> None:
    build_site(site, tmp_path / "out", cache=True)
    entries = sorted((site / ".clinicpress-cache/front-matter").iterdir())
    contents = [entry.read_bytes() for entry in entries]
    assert len(entries) > 2
    for number, entry in enumerate(entries):  # cut short, or another entry's (sealed) bytes
        entry.write_bytes(contents[number][:-5] if number % 2 else contents[number - 1])
    again = build_site(site, tmp_path / "out", cache=True)
    assert again.timings["front_matter_hits"] == 0
    build_site(site, tmp_path / "clean", cache=False)
    assert files(tmp_path / "out") == files(tmp_path / "clean")


def test_unchanged_pages_stay_in_place_and_a_page_changed_by_hand_is_written_again(
        site: Path, tmp_path: Path) -> None:
    """A warm build keeps each cached page whose file is still the one the last build wrote
    (the same file: same inode, so its time is kept too); a page somebody edited in the
    output folder, or replaced, is written again as a clean build writes it."""
    out = tmp_path / "out"
    build_site(site, out, cache=True)
    sleep, night = out / "posts/sleep-basics/index.html", out / "posts/night-pain/index.html"
    home = out / "index.html"
    inode = sleep.stat().st_ino
    night.write_bytes(night.read_bytes().replace(b"Night pain", b"Edited by hand"))
    home.unlink()
    home.write_text("replaced")
    warm = build_site(site, out, cache=True)
    assert warm.timings["pages_kept"] > 0 and warm.rendered == ()
    assert sleep.stat().st_ino == inode
    build_site(site, tmp_path / "clean", cache=False)
    assert files(out) == files(tmp_path / "clean")
    assert b"Edited by hand" not in night.read_bytes()


def test_a_foreign_or_damaged_output_ledger_keeps_nothing(site: Path, tmp_path: Path) -> None:
    """The record of which key made each page is sealed like every cache entry: one cut
    short, or another output folder's record (sealed under its own name), is ignored and
    every page is made again."""
    out = tmp_path / "out"
    build_site(site, tmp_path / "other", cache=True)
    other, = (site / ".clinicpress-cache").glob("output-ledger-*.json")
    build_site(site, out, cache=True)
    ledger, = set((site / ".clinicpress-cache").glob("output-ledger-*.json")) - {other}
    good = ledger.read_bytes()
    for damaged in (good[:-20], good.replace(b"clinicpress-sealed-1", b"clinicpress-sealed-0"),
                    other.read_bytes()):
        ledger.write_bytes(damaged)
        warm = build_site(site, out, cache=True)
        assert warm.timings["pages_kept"] == 0
        assert warm.timings["page_cache_hits"] > 0  # (served from the page cache instead)
        ledger.write_bytes(good)
    build_site(site, tmp_path / "clean", cache=False)
    assert files(out) == files(tmp_path / "clean")


def test_the_site_kept_for_reuse_is_brought_up_to_date_and_never_trusted(
        site: Path, tmp_path: Path) -> None:
    """A warm build brings the site before the current one (kept in the cache folder) up to
    date instead of writing a new folder. Whatever that folder holds, the new output is
    what a clean build writes and nothing outside it is touched: a page no longer in the
    site, pages that are other names of a file elsewhere (hard links), a link where a
    folder goes, a folder where a page goes."""
    out = tmp_path / "out"
    build_site(site, out, cache=True)
    build_site(site, out, cache=True)
    spare, = (site / ".clinicpress-cache").glob("spare-output-*")
    victim, outside = tmp_path / "victim.txt", tmp_path / "outside"
    victim.write_text("not part of the site")
    outside.mkdir()
    (spare / "stale.html").write_text("<p>a page no longer in the site</p>")
    for page in ("posts/night-pain/index.html", "posts/sleep-basics/index.html"):
        (spare / page).unlink()
        os.link(victim, spare / page)
    shutil.rmtree(spare / "tags")
    (spare / "tags").symlink_to(outside, target_is_directory=True)
    (spare / "authors/index.html").unlink()
    (spare / "authors/index.html").mkdir()
    replace_in(site / "content/posts/2024-02-10-night-pain.md", "when it is quiet",
               "when the house is silent")  # rendered again; sleep-basics is kept in place
    warm = build_site(site, out, cache=True)
    assert warm.rendered == ("night-pain",) and warm.timings["pages_kept"] > 0
    assert victim.read_text() == "not part of the site" and list(outside.iterdir()) == []
    build_site(site, tmp_path / "clean", cache=False)
    assert files(out) == files(tmp_path / "clean")
    assert not (out / "stale.html").exists()


def test_the_site_kept_for_reuse_goes_when_its_output_folder_does(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = site / ".clinicpress-cache"
    (site / "static").mkdir(exist_ok=True)
    for text in ("first", "second"):
        (site / "static/note.txt").write_text(text)
        assert build_cli(site, capsys, "--output", str(tmp_path / "first"))[0] == 0
    assert len(list(cache.glob("spare-output-*"))) == 1
    shutil.rmtree(tmp_path / "first")
    assert build_cli(site, capsys, "--output", str(tmp_path / "second"))[0] == 0
    assert list(cache.glob("spare-output-*")) == []


def test_a_list_page_template_that_asks_the_site_for_posts_is_never_served_stale(
        tmp_path: Path) -> None:
    """Which posts ``site.by_author['doc']`` lists depends on every post's authors, which
    the template itself never reads: a cached list page whose template asks the site for
    such a list is keyed by where every post stands, so moving a post to another author
    shows at once."""
    site = copy_site(BASIC, tmp_path / "site")
    (site / "templates").mkdir()
    theme = Path(clinicpress.__file__).parent / "theme/templates/index.html"
    (site / "templates/index.html").write_text(theme.read_text().replace(
        "{% block main %}", "{% block main %}<ul class=\"by-doc\">{% for other in "
        "site.by_author['doc'] %}<li>{{ other.title }}</li>{% endfor %}</ul>", 1))
    def by_doc() -> str:
        page = (tmp_path / "out/index.html").read_text()
        return page.split('<ul class="by-doc">')[1].split("</ul>")[0]

    build_site(site, tmp_path / "out", cache=True)
    assert "Sleep hygiene" not in by_doc()
    replace_in(site / "content/posts/2024-03-01-sleep-hygiene.md", "author: ann",
               "author: [ann, doc]")
    build_site(site, tmp_path / "out", cache=True)
    assert "Sleep hygiene" in by_doc()
    build_site(site, tmp_path / "clean", cache=False)
    assert files(tmp_path / "out") == files(tmp_path / "clean")


def test_posts_from_the_cache_are_the_posts_a_clean_build_makes(site: Path,
                                                                tmp_path: Path) -> None:
    """A cached post's article is decoded only when read (``lazy_posts``); read, copied,
    compared or sent to another process, it is the post a clean build makes."""
    build_site(site, tmp_path / "warm", cache=True)
    warm = build_site(site, tmp_path / "warm", cache=True)
    clean = build_site(site, tmp_path / "clean", cache=False)
    assert warm.timings["cache_hits"] == len(clean.site.posts) == 4
    for cached, fresh in zip(warm.site.posts, clean.site.posts, strict=True):
        assert type(cached) is not type(fresh)  # (else this test shows nothing)
        assert pickle.loads(pickle.dumps(cached)) == fresh
        assert copy.copy(cached) == fresh and hash(cached) == hash(fresh)
        edited = dataclasses.replace(cached, title="New title")
        assert (edited.title, edited.html, edited.citations) == (
            "New title", fresh.html, fresh.citations)
        assert cached == fresh and cached.html == fresh.html and cached.toc == fresh.toc
        with pytest.raises(dataclasses.FrozenInstanceError):
            cached.html = fresh.html  # type: ignore[misc]
