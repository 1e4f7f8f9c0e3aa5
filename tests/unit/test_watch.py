"""The preview's file watcher: every kind of save is seen, with inotify and with polling,
and nothing outside content/, templates/, static/ and config.yaml is."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from clinicpress import watch
from clinicpress.watch import Watcher


def site(tmp_path: Path) -> Path:
    for folder in ("content/posts", "templates", "static"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("title: x\n")
    (tmp_path / "content/posts/a.md").write_text("a")
    (tmp_path / "content/posts/gone.md").write_text("b")
    return tmp_path


def settle(watcher: Watcher) -> set[str]:
    """What the watcher reports once the file system has caught up (polling compares
    modification times, which need a moment to differ)."""
    seen: set[str] = set()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        seen |= watcher.changes()
        time.sleep(0.05)
    return seen


@pytest.fixture(params=["inotify", "polling"])
def make_watcher(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    if request.param == "inotify" and sys.platform != "linux":
        pytest.skip("inotify is Linux-only")
    if request.param == "polling":
        monkeypatch.setattr(watch, "_inotify_functions", lambda: None)
    return lambda root: Watcher(root)


def test_every_kind_of_save_is_seen(tmp_path: Path, make_watcher) -> None:  # type: ignore[no-untyped-def]
    root = site(tmp_path)
    watcher = make_watcher(root)
    assert (watcher.fileno() is None) == (watch._inotify_functions() is None)
    time.sleep(0.05)
    (root / "content/posts/a.md").write_text("a, edited")
    temp = root / "content/posts/b.md.tmp"
    temp.write_text("new post")
    os.replace(temp, root / "content/posts/b.md")  # an editor's write-then-rename
    (root / "content/posts/gone.md").unlink()
    (root / "content/posts/2025").mkdir()
    (root / "content/posts/2025/c.md").write_text("in a new folder")
    (root / "templates/post.html").write_text("<p>")
    (root / "config.yaml").write_text("title: y\n")
    (root / "output").mkdir()
    (root / "output/index.html").write_text("not watched")
    seen = settle(watcher)
    for path in ("content/posts/a.md", "content/posts/b.md", "content/posts/gone.md",
                 "content/posts/2025/c.md", "templates/post.html", "config.yaml"):
        assert path in seen, path
    assert not any(path.startswith("output") for path in seen)
    assert settle(watcher) == set()  # reported once
    watcher.close()
