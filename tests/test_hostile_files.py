"""A pull request is untrusted: what it commits never runs, and the build never reads,
writes or deletes through a link out of the site."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from clinicpress.commands.cli import main
from conftest import BASIC, ROOT, build_site, copy_site, failure_lines

POST = "content/posts/2024-02-10-night-pain.md"


class _RunsCode:
    """A pickle that, when loaded, creates a file: proof that code ran."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.proof), "code from a cache file ran"))  # type: ignore[return-value]


def build_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_committed_cache_files_never_run_and_are_never_trusted(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    build_site(site, tmp_path / "warm", cache=True)
    cache = site / ".clinicpress-cache"
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert any(p.parent.name == "posts" for p in entries)
    assert any(p.parent.name == "pages" for p in entries)
    proof = tmp_path / "proof.txt"
    for entry in entries:  # a pull request replaces every cache file with its own
        if entry.parent.name == "pages":  # a page with a script, as text
            entry.write_bytes(entry.read_bytes().replace(b"</body>",
                                                         b"<script>alert(1)</script></body>"))
        elif entry.parent.name == "posts":
            entry.write_bytes(pickle.dumps(_RunsCode(proof)))
        else:  # the up-to-date record: claims the output is current
            entry.write_bytes(entry.read_bytes().replace(b'"posts": ', b'"posts":'))
    result = build_site(site, tmp_path / "after", cache=True)
    assert not proof.exists()
    assert sorted(result.rendered) == ["night-pain", "sleep-basics", "sleep-hygiene",
                                       "unrelated"]  # nothing was taken from the cache
    clean = build_site(copy_site(BASIC, tmp_path / "clean"), tmp_path / "clean-out")
    assert build_files(tmp_path / "after") == build_files(tmp_path / "clean-out")
    assert clean.file_count == result.file_count


def test_a_cache_made_with_another_key_is_not_trusted(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from clinicpress.incremental import sealed

    site = copy_site(BASIC, tmp_path / "site")
    monkeypatch.setenv("CLINICPRESS_CACHE_KEY", "the attacker's key")
    sealed._key.cache_clear()
    build_site(site, tmp_path / "one", cache=True)
    monkeypatch.setenv("CLINICPRESS_CACHE_KEY", "the clinic's CI secret")
    sealed._key.cache_clear()
    try:
        again = build_site(site, tmp_path / "two", cache=True)
        assert len(again.rendered) == 4
        assert len(build_site(site, tmp_path / "three", cache=True).rendered) == 0
    finally:
        monkeypatch.undo()
        sealed._key.cache_clear()


@pytest.mark.parametrize("link", [".clinicpress-cache", ".clinicpress-cache/pages"])
def test_a_linked_cache_folder_is_an_error_and_nothing_there_is_touched(
        tmp_path: Path, link: str) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / ("a" * 64)).write_text("keep me")
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(victim)
    assert failure_lines(site, tmp_path / "out", cache=True) == [
        f"{link}: error: is a link; the build never follows a link out of the site (delete "
        "it, or choose a folder with --cache-dir)"]
    assert sorted(p.name for p in victim.iterdir()) == ["a" * 64]


def test_the_cache_can_live_outside_the_site(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    cache = tmp_path / "elsewhere"
    build_site(site, tmp_path / "out", cache=True, cache_dir=cache)
    assert not (site / ".clinicpress-cache").exists()
    assert (cache / "posts").is_dir()
    assert build_site(site, tmp_path / "out", cache=True, cache_dir=cache).rendered == ()


def test_a_linked_output_folder_is_refused_and_its_target_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / ".clinicpress-output").write_text("")  # looks generated
    (victim / "keep.txt").write_text("keep me")
    (site / "output").symlink_to(victim)
    assert main(["build", "--site", str(site), "--no-search"]) == 1
    assert "is a link" in capsys.readouterr().err
    assert sorted(p.name for p in victim.iterdir()) == [".clinicpress-output", "keep.txt"]


@pytest.mark.parametrize("folder", ["static", "content", "templates"])
def test_a_site_folder_that_is_a_link_is_an_error(tmp_path: Path, folder: str) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    target = ROOT / ".git" if folder == "static" else tmp_path / "elsewhere"
    if folder != "static":
        (site / folder).rename(target) if (site / folder).exists() else target.mkdir()
    else:
        assert not (site / "static").exists()
    (site / folder).symlink_to(target)
    lines = failure_lines(site, tmp_path / "out")
    assert f"{folder}: error: is a link; the build never follows a link out of the site " \
           "folder (make it a real folder)" in lines
    assert not (tmp_path / "out").exists()


def test_links_into_git_and_out_of_the_site_are_refused(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[remote]\n url = secret")
    (site / "static").mkdir()
    (site / "static/config.txt").symlink_to(site / ".git/config")
    (site / "templates").mkdir()
    (site / "templates/post.html").symlink_to("/etc/hostname")
    (site / "config.yaml").rename(tmp_path / "config.yaml")
    (site / "config.yaml").symlink_to(tmp_path / "config.yaml")
    assert failure_lines(site, tmp_path / "out") == [
        "config.yaml: error: is a link to a file outside the site folder; refusing to read it",
        "static/config.txt: error: is a link to a file outside static/; refusing to copy it",
        "templates/post.html: error: is a link to a file outside the site folder; refusing to "
        "read it",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_or_device_is_refused_without_waiting(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    os.mkfifo(site / "content/posts/pipe.md")
    # In a child process with a time limit: a build that waited for a writer would hang.
    code = ("import sys; from clinicpress.commands.cli import main; "
            f"sys.exit(main(['build', '--site', {str(site)!r}, '--no-search']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert ("content/posts/pipe.md: error: is not a regular file (a device, FIFO or socket); "
            "refusing to read it") in done.stderr.splitlines()
