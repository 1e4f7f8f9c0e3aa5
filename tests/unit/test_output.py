import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import OutputFile
from clinicpress.output import staging
from clinicpress.output.output_folder import MARKER, OutputRefused, clean_leftovers
from clinicpress.output.staging import Staging, check_paths


def write_site(files: Iterable[OutputFile], output: Path, site_dir: Path) -> None:
    """What a build does at its end: ``files`` become the new content of ``output``, all
    or nothing."""
    with Staging(output, site_dir) as staging:
        for file in files:
            staging.write(file)
        staging.commit()


def files(**contents: str) -> list[OutputFile]:
    """files(index_html="x", a__b_html="y") -> index.html and a/b.html."""
    return [OutputFile(path=k.replace("__", "/").replace("_", "."), content=v.encode())
            for k, v in contents.items()]


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    write_site(files(index_html="one", old_html="gone soon"), out, site)
    write_site(files(index_html="two"), out, site)
    assert (out / "index.html").read_text() == "two"
    assert not (out / "old.html").exists()
    assert (out / MARKER).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_unchanged_files_are_linked_from_the_previous_output_not_written(tmp_path: Path) -> None:
    site, out, outside = tmp_path / "site", tmp_path / "out", tmp_path / "outside.html"
    site.mkdir()
    write_site(files(same_html="same", changed_html="v1", edited_html="ours", a__deep_html="d",
                     linked_html="secret"), out, site)
    before = {name: (out / name).stat().st_ino for name in ("same.html", "a/deep.html")}
    (out / "edited.html").write_text("edited by hand")  # same name, other bytes
    outside.write_text("secret")
    (out / "linked.html").unlink()
    (out / "linked.html").symlink_to(outside)  # same bytes, but a link out of the folder
    write_site(files(same_html="same", changed_html="v2", edited_html="ours", a__deep_html="d",
                     linked_html="secret"), out, site)
    assert {name: (out / name).stat().st_ino for name in before} == before
    assert (out / "changed.html").read_text() == "v2"
    assert (out / "edited.html").read_text() == "ours"
    assert not (out / "linked.html").is_symlink()
    assert (out / "linked.html").stat().st_ino != outside.stat().st_ino


def test_refuses_folders_it_did_not_create(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    for target in (site, tmp_path, Path("/"), Path.home()):
        with pytest.raises(OutputRefused):
            write_site(files(index_html="x"), target, site)
    other = tmp_path / "docs"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="not created by this tool"):
        write_site(files(index_html="x"), other, site)
    assert (other / "notes.txt").read_text() == "mine"


def test_never_writes_outside_the_output_folder(tmp_path: Path) -> None:
    diags = Diagnostics()
    check_paths([OutputFile(path="../evil.html", content=b""),
                 OutputFile(path="/etc/x", content=b"")], diags)
    assert len(diags.errors) == 2
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(OutputRefused):
        write_site([OutputFile(path="../escape.html", content=b"x")], tmp_path / "out", site)
    assert not (tmp_path / "escape.html").exists()


def test_case_and_unicode_collisions_are_errors() -> None:
    diags = Diagnostics()
    check_paths([OutputFile(path="About/index.html", content=b"", source="a.md"),
                 OutputFile(path="about/index.html", content=b"", source="b.md"),
                 OutputFile(path="caf\u00e9/index.html", content=b"", source="c.md"),
                 OutputFile(path="cafe\u0301/index.html", content=b"", source="d.md")], diags)
    assert [d.path for d in diags.errors] == ["b.md", "d.md"]


def test_leftovers_of_a_killed_build_are_cleaned_or_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    staging = tmp_path / "out.staging-999"
    staging.mkdir()
    (staging / MARKER).write_text("")
    old = tmp_path / "out.old-999"
    old.mkdir()
    (old / MARKER).write_text("")
    (old / "index.html").write_text("previous site")
    clean_leftovers(out)  # killed between the two renames: output missing, old present
    assert (out / "index.html").read_text() == "previous site"
    assert not staging.exists() and not old.exists()


def test_disk_full_midway_leaves_the_previous_site(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    write_site(files(index_html="one", a_html="a"), out, site)
    real = staging._create
    written: list[str] = []

    def fill_up(target: str, data: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", target)
        written.append(target)
        real(target, data)

    monkeypatch.setattr(staging, "_create", fill_up)
    with pytest.raises(OSError, match="No space left"):
        write_site(files(index_html="two", a_html="b"), out, site)
    monkeypatch.undo()
    assert (out / "index.html").read_text() == "one" and (out / "a.html").read_text() == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """A folder nobody can add to: read-only for a user, immutable (chattr +i) for root,
    who ignores permissions (CI runs as root)."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("root, and this file system has no immutable attribute (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_an_unwritable_output_parent_is_an_oserror_and_the_old_site_stays(
        tmp_path: Path) -> None:
    site, parent = tmp_path / "site", tmp_path / "ro"
    site.mkdir()
    out = parent / "out"
    write_site(files(index_html="one"), out, site)
    with unwritable(parent), pytest.raises(OSError):
        write_site(files(index_html="two"), out, site)
    assert (out / "index.html").read_text() == "one"
    assert sorted(p.name for p in parent.iterdir()) == ["out"]


def test_links_and_ids_are_found_after_any_white_space() -> None:
    from clinicpress.output.links import _ids_and_links

    for space in (" ", "\n", "\t", "\r\n", "\n  "):
        html = f'<p{space}id="top"><a{space}href="/a/">a</a><img{space}src="/b.png" alt=""></p>'
        assert _ids_and_links(html) == ({"top"}, ["/a/", "/b.png"]), repr(space)
