"""The preview's file watcher (watchfiles): every kind of save is seen, with native
events and with polling, a burst comes as one set, and nothing outside content/,
templates/, static/ and config.yaml is reported."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from clinicpress.preview.watch import watch_site
from clinicpress.sources.files import is_input


def site(tmp_path: Path) -> Path:
    for folder in ("content/posts", "static"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("title: x\n")
    (tmp_path / "content/posts/a.md").write_text("a")
    (tmp_path / "content/posts/gone.md").write_text("b")
    return tmp_path


async def watching(root: Path, polling: bool,
                   scenario: Callable[[Callable[[set[str]], Awaitable[set[str]]]],
                                      Awaitable[None]]) -> None:
    """Run ``scenario`` with a function that waits until the watcher has reported the
    given paths (and returns all it reported meanwhile)."""
    stop = asyncio.Event()
    queue: asyncio.Queue[set[str]] = asyncio.Queue()

    async def pump(batches: AsyncIterator[set[str]]) -> None:
        async for batch in batches:
            await queue.put(batch)

    task = asyncio.ensure_future(pump(watch_site(root, stop, force_polling=polling)))
    # The watch is live once a probe file is reported: write it again until it is (the
    # wait is for that event; the 1 s is only how often the probe is written again).
    while True:
        (root / "static/probe.css").write_text(str(os.urandom(4)))
        try:
            if "static/probe.css" in await asyncio.wait_for(queue.get(), 1.0):
                break
        except TimeoutError:
            continue

    async def until(expected: set[str]) -> set[str]:
        seen: set[str] = set()
        while not expected <= seen:
            seen |= await asyncio.wait_for(queue.get(), 60)
        return seen

    try:
        await scenario(until)
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


def run_alone(job: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on an event loop of its own thread (the browser tests' Playwright
    keeps a loop running in this one)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, job).result(timeout=300)


@pytest.mark.parametrize("polling", [False, True], ids=["events", "polling"])
def test_every_kind_of_save_is_seen(tmp_path: Path, polling: bool) -> None:
    root = site(tmp_path)

    async def scenario(until: Callable[[set[str]], Awaitable[set[str]]]) -> None:
        (root / "content/posts/a.md").write_text("a, edited")
        temp = root / "content/posts/b.md.tmp"
        temp.write_text("new post")
        os.replace(temp, root / "content/posts/b.md")  # an editor's write-then-rename
        (root / "content/posts/gone.md").unlink()
        (root / "content/posts/UPPER.MD").write_text("upper-case suffix")
        (root / "config.yaml").write_text("title: y\n")
        (root / "output").mkdir()
        (root / "output/index.html").write_text("not watched")
        (root / ".clinicpress-cache").mkdir()
        (root / ".clinicpress-cache/x").write_text("not watched")
        seen = await until({"content/posts/a.md", "content/posts/b.md", "content/posts/gone.md",
                            "content/posts/UPPER.MD", "config.yaml"})
        assert all(is_input(path) for path in seen), seen
        assert not any(path.startswith(("output", ".clinicpress")) for path in seen)
        # A folder that did not exist when the preview started is watched once it appears.
        (root / "templates").mkdir()
        assert "templates/" in await until({"templates/"})
        (root / "templates/post.html").write_text("<p>")
        await until({"templates/post.html"})

    run_alone(watching(root, polling, scenario))


def test_a_replaced_config_file_is_still_watched(tmp_path: Path) -> None:
    root = site(tmp_path)

    async def scenario(until: Callable[[set[str]], Awaitable[set[str]]]) -> None:
        for text in ("title: one\n", "title: two\n"):  # an editor's save by rename, twice
            temp = root / "config.yaml.tmp"
            temp.write_text(text)
            os.replace(temp, root / "config.yaml")
            await until({"config.yaml"})

    run_alone(watching(root, False, scenario))
