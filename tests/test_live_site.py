"""The preview's in-memory site: after any sequence of saves, every URL serves exactly what
a clean build of the same files would write, and problems stay until their file is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.preview.live_site import LiveSite
from clinicpress.sources.files import is_input as affects_site
from conftest import BASIC, build_site, copy_site, replace_in

POST = "content/posts/2024-02-10-night-pain.md"
BASE_URL = "http://127.0.0.1:8000/"


@pytest.fixture()
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LiveSite:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")  # the build's "today" in both
    site = LiveSite(copy_site(BASIC, tmp_path / "site"), BASE_URL)
    assert not [d for d in site.reload() if d.level == "error"]
    return site


def edit(live: LiveSite, path: str, old: str, new: str) -> list[str]:
    replace_in(live.options.site_dir / path, old, new)
    return [d.format() for d in live.update({path})]


def page(live: LiveSite, url: str) -> str:
    status, _, body = live.respond(url)
    assert status == 200, url
    return body.decode()


def assert_same_as_a_clean_build(live: LiveSite) -> None:
    clean = build_site(live.options.site_dir, drafts=True, base_url=BASE_URL, now=None)
    for file in clean.files:
        assert live.file(file.path) == file.content, f"{file.path} differs from a clean build"
    assert live.file("no/such/page.html") is None


def test_a_text_edit_is_served_and_matches_a_clean_build(live: LiveSite) -> None:
    edit(live, POST, "when it is quiet", "when the house is silent")
    assert "when the house is silent" in page(live, "/posts/night-pain/")
    assert live.site is not None and live.posts[POST][1] in live.site.posts
    assert_same_as_a_clean_build(live)


def test_a_new_title_reaches_every_page_that_shows_it(live: LiveSite) -> None:
    edit(live, POST, "title: Night pain", "title: Pain at night")
    assert "Pain at night" in page(live, "/page/2/")  # two posts a page; drafts shown
    assert "Pain at night" in page(live, "/tags/pain/")
    assert "Pain at night" in page(live, "/authors/ann/")
    assert "Pain at night" in live.file("feed.xml").decode()  # type: ignore[union-attr]
    assert_same_as_a_clean_build(live)


def test_moving_a_post_to_another_tag_places_it_again(live: LiveSite) -> None:
    edit(live, POST, "tags: [pain]", "tags: [pain, nights]")
    assert "Night pain" in page(live, "/tags/nights/")
    assert_same_as_a_clean_build(live)


def test_new_and_deleted_posts(live: LiveSite) -> None:
    new = live.options.site_dir / "content/posts/2024-06-01-walking.md"
    new.write_text((live.options.site_dir / POST).read_text()
                   .replace("title: Night pain", "title: Walking with pain"))
    live.update({"content/posts/2024-06-01-walking.md"})
    assert "Walking with pain" in page(live, "/posts/walking/")
    assert_same_as_a_clean_build(live)
    new.unlink()
    live.update({"content/posts/2024-06-01-walking.md"})
    assert live.respond("/posts/walking/")[0] == 404
    assert_same_as_a_clean_build(live)


def test_an_error_stays_until_its_own_file_is_fixed(live: LiveSite) -> None:
    shown = edit(live, POST, "date: 2024-02-10", "date: 2024-02-30")
    assert shown == [f"{POST}:4: error: 'date': '2024-02-30' is not a real date (day is out of "
                     "range for month)"]
    other = "content/posts/2024-01-05-sleep-basics.md"
    edit(live, other, "title: Sleep basics", "title: Sleep, the basics")
    assert [d.format() for d in live.problems] == shown  # still there after another save
    # The other post's save is shown; the broken one keeps its last good version, and
    # every page carries the problem until it is fixed.
    assert "Sleep, the basics" in page(live, "/posts/sleep-basics/")
    night = page(live, "/posts/night-pain/")
    assert "10 February 2024" in night and "clinicpress-problems" in night
    assert "2024-02-30" in page(live, "/")
    edit(live, POST, "date: 2024-02-30", "date: 2024-02-11")
    assert live.problems == []
    assert "Sleep, the basics" in page(live, "/posts/sleep-basics/")
    assert "11 February 2024" in page(live, "/posts/night-pain/")
    assert "clinicpress-problems" not in page(live, "/")
    assert_same_as_a_clean_build(live)


def test_a_post_broken_from_the_start_leaves_the_rest_served(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview started on a site whose one draft is broken serves every other page
    (with the problem laid over it); the broken post's URL says what is wrong, with
    path:line; once fixed, it is served like the rest."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    site = copy_site(BASIC, tmp_path / "site")
    draft = "content/posts/2024-05-01-draft.md"
    replace_in(site / draft, "Secret draft text.", "Secret draft text [@smith-2024].")
    live = LiveSite(site, BASE_URL)
    problem = f"{draft}:9: error: cites [@smith-2024] but no reference has that id"
    assert [d.format() for d in live.reload() if d.level == "error"] == [problem]
    night = page(live, "/posts/night-pain/")
    assert "Night pain" in night and "clinicpress-problems" in night and problem in night
    broken = page(live, "/posts/draft/")
    assert "This page cannot be shown yet" in broken and problem in broken
    assert live.respond("/__clinicpress/problems.css")[1].startswith("text/css")
    edit(live, draft, "Secret draft text [@smith-2024].", "Secret draft text.")
    assert live.problems == []
    assert "Secret draft text." in page(live, "/posts/draft/")
    assert_same_as_a_clean_build(live)


def test_a_related_slug_that_names_no_post_is_an_error_until_fixed(live: LiveSite) -> None:
    edit(live, POST, "tags: [pain]", "tags: [pain]\nrelated: [sleep-basic]")
    assert [d.message for d in live.problems] == [
        "'related': no post has the slug 'sleep-basic' (did you mean 'sleep-basics'?)"]
    edit(live, POST, "related: [sleep-basic]", "related: [sleep-basics]")
    assert live.problems == []
    assert_same_as_a_clean_build(live)


def test_a_template_change_reloads_everything(live: LiveSite) -> None:
    templates = live.options.site_dir / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "404.html").write_text("<!doctype html><title>Lost</title><p>Nothing here")
    live.update({"templates/404.html"})
    status, _, body = live.respond("/no-such-page/")
    assert status == 404 and b"Nothing here" in body


def test_only_files_the_build_reads_cause_an_update() -> None:
    assert affects_site("content/posts/a.md") and affects_site("config.yaml")
    assert affects_site("templates/post.html") and affects_site("static/x.png")
    assert affects_site("content/references.yaml") and affects_site("content/posts/sub/")
    for ignored in ("content/posts/.a.md.swp", "content/posts/a.md~", "content/posts/a.tmp",
                    "content/posts/4913", "content/posts/#a.md#", "content/notes.txt"):
        assert not affects_site(ignored), ignored


def test_a_broken_config_keeps_the_last_good_site_until_it_is_fixed(live: LiveSite) -> None:
    config = live.options.site_dir / "config.yaml"
    good = config.read_text()
    config.write_text(good.replace("posts_per_page: 2", "posts_per_page: two"))
    live.update({"config.yaml"})
    assert [d.path for d in live.problems] == ["config.yaml"]
    assert "Night pain" in page(live, "/posts/night-pain/")  # still served
    edit(live, POST, "when it is quiet", "when the house is silent")  # a post saved meanwhile
    config.write_text(good)
    live.update({"config.yaml"})
    assert live.problems == []
    assert "when the house is silent" in page(live, "/posts/night-pain/")
    assert_same_as_a_clean_build(live)


def git_repo(site: Path) -> None:
    """Commit the site with fixed dates, so --dates-from-git has a history to read."""
    import subprocess

    env = {"GIT_AUTHOR_DATE": "2024-06-01T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-06-01T12:00:00+00:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "site"]):
        subprocess.run(command, cwd=site, env=env, check=True, capture_output=True)


OPTION_SETS = {
    "published only": {"drafts": False},
    "drafts": {"drafts": True},
    "sub-path": {"drafts": True, "base_url": "https://example.github.io/clinic/"},
    "dates from git": {"drafts": True, "dates_from_git": True},
    "vancouver": {"drafts": True, "config": ("posts_per_page: 2",
                                             "posts_per_page: 2\ncitation_style: vancouver")},
}


@pytest.mark.parametrize("name", OPTION_SETS)
def test_every_option_serves_what_a_clean_build_writes_after_each_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The preview runs the build's own steps: with each option, after every kind of
    save, every URL is byte for byte what a clean build with that option writes."""
    from clinicpress.pipeline import BuildOptions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    settings = dict(OPTION_SETS[name])
    site_dir = copy_site(BASIC, tmp_path / "site")
    if "config" in settings:
        replace_in(site_dir / "config.yaml", *settings.pop("config"))  # type: ignore[misc]
    if settings.get("dates_from_git"):
        git_repo(site_dir)
    options = BuildOptions(site_dir=site_dir, search=False, cache=True, **settings)  # type: ignore[arg-type]
    live = LiveSite(site_dir, BASE_URL, options=options)
    assert not [d for d in live.reload() if d.level == "error"]

    def same_as_clean() -> None:
        clean = build_site(site_dir, now=None, **settings)
        assert live.pages is not None
        assert sorted(live.pages.jobs) == sorted(f.path for f in clean.files if f.path in live.pages.jobs)
        for file in clean.files:
            assert live.file(file.path) == file.content, f"{name}: {file.path} differs"

    saves = [
        (POST, "when it is quiet", "when the house is silent"),
        (POST, "title: Night pain", "title: Pain at night"),
        (POST, "tags: [pain]", "tags: [pain, sleep]"),
        (POST, "date: 2024-02-10", "date: 2024-02-12"),
    ]
    for path, old, new in saves:
        edit(live, path, old, new)
        same_as_clean()
    upper = "content/posts/2024-07-01-shouting.MD"  # the build reads .MD; so must the preview
    (site_dir / upper).write_text((site_dir / POST).read_text().replace(
        "title: Pain at night", "title: Shouting"))
    live.update({upper})
    assert "Shouting" in page(live, "/posts/shouting/")
    same_as_clean()
    (site_dir / upper).unlink()
    live.update({upper})
    same_as_clean()
