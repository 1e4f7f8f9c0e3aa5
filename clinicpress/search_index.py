"""A folder of rendered HTML pages in, the Pagefind search bundle written beside them.

Pagefind (the Python package ships its binary; nothing is downloaded) indexes
only what is inside ``data-pagefind-body``: article text, not navigation,
footers or reference lists (``data-pagefind-ignore``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


async def _index(site: Path, language: str, folder: Path) -> None:
    config = IndexConfig(force_language=language, output_path=str(folder))
    async with PagefindIndex(config=config) as index:
        # Pagefind's own directory indexing runs in parallel in its binary; feeding pages
        # one by one through the Python API is about 50 times slower on long posts.
        await index.add_directory(str(site))
        await index.write_files(output_path=str(folder))


def _run(job: Coroutine[Any, Any, None]) -> None:
    """Run Pagefind's async API, in a thread of its own if an event loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(job)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, job).result()


def build_search_index(site: Path, language: str) -> list[str]:
    """Index the HTML pages in the folder ``site`` and write the bundle into its
    ``pagefind/`` folder; returns the bundle's file paths, relative to ``site``."""
    folder = site / BUNDLE
    _run(_index(site, language, folder))
    return sorted(file.relative_to(site).as_posix() for file in folder.rglob("*") if file.is_file())
