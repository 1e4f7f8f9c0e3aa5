"""--dates-from-git: 'updated' from each post's last commit; a shallow clone is a clear error."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import BASIC, build_site, copy_site, failure_lines, soup


def git(repo: Path, *args: str, date: str = "2024-06-01T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    site = copy_site(BASIC, tmp_path / "repo")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "first", date="2024-06-01T10:00:00+00:00")
    post = site / "content/posts/2024-03-01-sleep-hygiene.md"
    post.write_text(post.read_text() + "\nA later edit.\n")
    git(site, "commit", "-q", "-am", "edit", date="2024-09-15T08:30:00+00:00")
    return site


def test_updated_comes_from_the_last_commit(repo: Path, tmp_path: Path) -> None:
    build_site(repo, tmp_path / "out", dates_from_git=True)
    edited = soup(tmp_path / "out", "posts/sleep-hygiene/index.html")
    assert edited.select_one(".post-meta time:nth-of-type(2)")["datetime"] == \
        "2024-09-15T08:30:00+00:00"
    untouched = soup(tmp_path / "out", "posts/night-pain/index.html")
    assert untouched.select_one(".post-meta time:nth-of-type(2)")["datetime"] == \
        "2024-06-01T10:00:00+00:00"


def test_a_shallow_clone_is_a_clear_error(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    assert failure_lines(clone, dates_from_git=True) == [
        "config.yaml: error: dates from git: this is a shallow clone, so every post would get "
        "the same date; fetch the full history (GitHub Actions: actions/checkout with "
        "'fetch-depth: 0'; GitLab: GIT_DEPTH: 0)"]


def test_a_cached_post_gets_a_new_date_from_a_commit_that_left_its_text_alone(
        repo: Path, tmp_path: Path) -> None:
    build_site(repo, tmp_path / "out", dates_from_git=True, cache=True)
    os.chmod(repo / "content/posts/2024-02-10-night-pain.md", 0o755)  # a commit, same text
    git(repo, "commit", "-q", "-am", "mode only", date="2024-11-01T09:00:00+00:00")
    warm = build_site(repo, tmp_path / "out", dates_from_git=True, cache=True)
    assert "night-pain" in warm.rendered  # not served from the cache with the old date
    page = soup(tmp_path / "out", "posts/night-pain/index.html")
    assert page.select_one(".post-meta time:nth-of-type(2)")["datetime"] == \
        "2024-11-01T09:00:00+00:00"
