"""The preview's file watcher: every kind of save is seen, with inotify and with polling,
and nothing outside content/, templates/, static/ and config.yaml is."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from clinicpress.preview import watch
from clinicpress.preview.watch import Watcher


def site(tmp_path: Path) -> Path:
    for folder in ("content/posts", "templates", "static"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("title: x\n")
    (tmp_path / "content/posts/a.md").write_text("a")
    (tmp_path / "content/posts/gone.md").write_text("b")
    return tmp_path


def collect_until(watcher: Watcher, expected: set[str], timeout: float = 60.0) -> set[str]:
    """Everything the watcher reports until it has reported all of ``expected``."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while not expected <= seen and time.monotonic() < deadline:
        seen |= watcher.changes()
        time.sleep(0.02)  # a poll interval, not a wait for time to pass
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
    expected = {"content/posts/a.md", "content/posts/b.md", "content/posts/gone.md",
                "content/posts/2025/c.md", "templates/post.html", "config.yaml"}
    seen = collect_until(watcher, expected)
    assert expected <= seen, expected - seen
    assert not any(path.startswith("output") for path in seen)
    # Reported once: after one more save is seen, nothing of the first ones comes again.
    (root / "static").joinpath("marker.css").write_text("x")
    assert collect_until(watcher, {"static/marker.css"}) == {"static/marker.css"}
    watcher.close()
