"""``python build.py`` as a writer and CI run it: exit codes, messages, --strict, --output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASIC, ROOT, copy_site, replace_in


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": "1735732800", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, text=True,
                          capture_output=True, env=full_env, timeout=120)


def test_build_writes_the_site_and_exits_zero(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    result = run("--site", str(site), "--no-search")
    assert result.returncode == 0, result.stderr
    assert (site / "output/posts/sleep-basics/index.html").is_file()
    assert "built" in result.stdout


def test_content_errors_exit_one_with_path_line_messages(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    post = site / "content/posts/2024-03-01-sleep-hygiene.md"
    replace_in(post, "author: ann", "author: anna")
    result = run("build", "--site", str(site), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert ("content/posts/2024-03-01-sleep-hygiene.md:5: error: 'author': unknown author "
            "'anna' (did you mean 'ann'?) (known: ann, doc)") in result.stderr
    assert "build failed: 1 error, 0 warnings" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    config = site / "config.yaml"
    config.write_text(config.read_text() + "titel: typo\n")
    relaxed = run("--site", str(site), "--no-search")
    assert relaxed.returncode == 0
    assert "config.yaml:21: warning: unknown key 'titel' in config.yaml (did you mean 'title'?)" \
        in relaxed.stderr
    strict = run("--site", str(site), "--strict", "--no-search")
    assert strict.returncode == 1
    assert "(--strict: warnings count as errors)" in strict.stderr


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    for name in ("a", "b"):
        (site / f"content/posts/{name}.md").write_text(f"---\ntitle: {name}\n---\nText.\n")
    result = run("--site", str(site))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 6  # description, date and author missing in each of the two posts


def test_a_bug_is_a_traceback_with_exit_two(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "import clinicpress.pipeline as p\n"
            "def boom(*a, **k): raise RuntimeError('boom')\n"
            "p.check_posts = boom\n"
            "from clinicpress.commands.cli import main\n"
            f"sys.exit(main(['--site', {str(site)!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], text=True, capture_output=True,
                            timeout=120)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr
    assert "this is a bug in clinicpress" in result.stderr


def test_refuses_to_replace_a_folder_it_did_not_create(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run("--site", str(site), "--output", str(precious), "--no-search")
    assert result.returncode == 1
    assert "was not created by this tool" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"
    for target in (site, site / "content", tmp_path):
        result = run("--site", str(site), "--output", str(target), "--no-search")
        assert result.returncode == 1, target
    assert (site / "content/posts/2024-01-05-sleep-basics.md").is_file()


def test_check_writes_nothing_and_prints_the_report(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    result = run("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / "output").exists()
    header, _rule, *rows = result.stdout.splitlines()
    assert header.split() == ["post", "words", "grade", "cited", "listed", "reviewer",
                              "last_reviewed", "review_due", "status", "warnings", "accepted"]
    sleep = next(r for r in rows if "sleep-basics" in r).split()
    assert sleep[3:5] == ["2", "2"]  # two references cited, two listed
    assert sleep[-4:] == ["2024-01-01", "2026-12-31", "ok", "0"]


def test_check_reports_every_post_even_when_some_have_errors(tmp_path: Path) -> None:
    """The report is most needed when something is wrong: posts with errors are rows
    (with their problems), the others are measured as usual, and the exit code is 1."""
    import json

    site = copy_site(BASIC, tmp_path / "site")
    night = site / "content/posts/2024-02-10-night-pain.md"
    night.write_text(night.read_text().replace("title:", "accept:\n  readability: \"quotes "
                                               "the label\"\ntitle:", 1))
    bad = site / "content/posts/2024-03-01-sleep-hygiene.md"
    bad.write_text(bad.read_text().replace("[@", "[@no-such-paper] [@", 1))
    (site / "content/posts/2024-06-01-broken.md").write_text("---\ntitle: [unclosed\n---\n")
    config = site / "config.yaml"
    config.write_text(config.read_text().replace("max_reading_grade: 14", "max_reading_grade: 1"))

    text = run("check", "--site", str(site))
    assert text.returncode == 1
    rows = {line.split()[0]: line for line in text.stdout.splitlines()[2:] if line.strip()}
    assert "1 error" in rows["content/posts/2024-03-01-sleep-hygiene.md"]
    assert "1 error" in rows["content/posts/2024-06-01-broken.md"]
    assert rows["content/posts/2024-02-10-night-pain.md"].split()[-1] == "readability"
    assert "[accepted: quotes the label]" in text.stdout
    assert "sleep-hygiene.md:" in text.stderr and "no-such-paper" in text.stderr

    report = json.loads(run("check", "--site", str(site), "--format", "json").stdout)
    by_post = {row["post"]: row for row in report["posts"]}
    assert len(by_post) == 5  # the four that built, and the one that did not parse
    assert by_post["content/posts/2024-03-01-sleep-hygiene.md"]["errors"] == 1
    assert any("no-such-paper" in line for line in report["errors"])
    assert [a["accept"] for a in report["accepted"]] == ["readability"]
    assert report["accepted"][0]["reason"] == "quotes the label"


def test_check_from_the_cache_reports_what_a_check_without_it_reports(tmp_path: Path) -> None:
    """``check`` takes unchanged posts and pages from the build's cache (at 4,000 posts:
    30 s to under 5 s), and reports exactly what it reports without it."""
    site = copy_site(BASIC, tmp_path / "site")
    bad = site / "content/posts/2024-03-01-sleep-hygiene.md"
    bad.write_text(bad.read_text().replace("[@", "[@no-such-paper] [@", 1))
    config = site / "config.yaml"
    config.write_text(config.read_text().replace("max_reading_grade: 14", "max_reading_grade: 1"))
    reports = [run("check", "--site", str(site), *more) for more in
               ([], [], ["--no-cache"], ["--format", "json"], ["--format", "json", "--no-cache"])]
    assert list((site / ".clinicpress-cache/posts").iterdir())  # the first one filled it
    assert not (site / "output").exists()
    first, cached, fresh, json_cached, json_fresh = reports
    assert first.returncode == cached.returncode == fresh.returncode == 1
    assert (first.stdout, first.stderr) == (cached.stdout, cached.stderr) == (
        fresh.stdout, fresh.stderr)
    assert "no-such-paper" in first.stderr and "reading grade" in first.stderr
    assert json_cached.stdout == json_fresh.stdout


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"],
                                     ["build", "--no-search"]])
def test_output_read_by_a_program_that_stops_reading_is_no_error(
        tmp_path: Path, command: list[str]) -> None:
    """`clinicpress check | head -1`: the reader is gone before anything is printed (its
    end of the pipe is closed before the command starts). No traceback, and no claim that
    the site could not be written; the site a build made is complete."""
    site = copy_site(BASIC, tmp_path / "site")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), *command, "--site",
                               str(site)], stdout=write_end, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1735732800"},
                              timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "cannot write" not in done.stderr, done.stderr
    if command[0] == "build":
        assert (site / "output/posts/sleep-basics/index.html").is_file()


def test_check_json_for_tools(tmp_path: Path) -> None:
    import json

    site = copy_site(BASIC, tmp_path / "site")
    result = run("check", "--site", str(site), "--format", "json")
    report = json.loads(result.stdout)
    row = next(r for r in report["posts"] if r["post"].endswith("night-pain.md"))
    assert row["reviewer"] == "Dana Doctor"
    assert row["cited"] == 1


def test_new_creates_a_complete_post_and_never_overwrites(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    first = run("new", "Pacing: doing more by doing less", "--author", "ann", "--site", str(site))
    assert first.returncode == 0, first.stderr
    created = sorted((site / "content/posts").glob("*pacing-doing-more-by-doing-less.md"))
    assert len(created) == 1
    text = created[0].read_text()
    assert 'title: "Pacing: doing more by doing less"' in text and "author: ann" in text
    again = run("new", "Pacing: doing more by doing less", "--author", "ann", "--site", str(site))
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    assert created[0].read_text() == text
    assert run("--site", str(site), "--no-search").returncode == 0  # a draft: left out
    # With drafts shown (as the preview shows them) the new post has no errors: its
    # examples are comments and a fenced box, never live citations.
    drafts = run("--site", str(site), "--no-search", "--drafts")
    assert drafts.returncode == 0, drafts.stderr
    assert "error" not in drafts.stderr
    assert [line.split(": warning: ")[1] for line in drafts.stderr.splitlines()
            if created[0].name in line] == [
        "'Pacing: doing more by doing less' has no medical reviewer (add reviewed_by and "
        "last_reviewed)",
        "'Pacing: doing more by doing less' has no references; health content should cite "
        "its sources"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--author", "anne"], "error: --author: no author has the id 'anne' (did you mean "
                           "'ann'?); the authors are the files of content/authors/: ann, doc"),
    ([], "error: the following arguments are required: --author"),
])
def test_new_needs_an_author_of_the_site(tmp_path: Path, arguments: list[str],
                                         message: str) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    result = run("new", "Pacing", *arguments, "--site", str(site))
    assert result.returncode in (1, 2) and message in result.stderr
    assert not list((site / "content/posts").glob("*pacing.md"))
