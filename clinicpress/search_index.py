"""Rendered HTML pages in, the Pagefind search bundle (as output files) out.

Pagefind (the Python package ships its binary; nothing is downloaded) indexes
only what is inside ``data-pagefind-body``: article text, not navigation,
footers or reference lists (``data-pagefind-ignore``).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pagefind.index import IndexConfig, PagefindIndex

from .model import OutputFile

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


def build_search_index(pages: Sequence[OutputFile], language: str) -> list[OutputFile]:
    searchable = [p for p in pages
                  if p.path.endswith(".html") and b"data-pagefind-body" in p.content]
    with tempfile.TemporaryDirectory(prefix="clinicpress-search-") as tmp:
        site, folder = Path(tmp) / "site", Path(tmp) / BUNDLE
        for page in searchable:  # result URLs are relative; the page adds the base path
            target = site / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
        _run(_index(site, language, folder))
        return [
            OutputFile(path=f"{BUNDLE}/{file.relative_to(folder).as_posix()}",
                       content=file.read_bytes())
            for file in sorted(folder.rglob("*")) if file.is_file()
        ]
