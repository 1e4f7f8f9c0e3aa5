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


async def _index(pages: Sequence[OutputFile], base_path: str, language: str,
                 folder: Path) -> None:
    config = IndexConfig(force_language=language, output_path=str(folder))
    async with PagefindIndex(config=config) as index:
        for page in pages:
            url = base_path + page.path.removesuffix("index.html")
            await index.add_html_file(content=page.content.decode("utf-8"), url=url)
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


def build_search_index(pages: Sequence[OutputFile], base_path: str,
                       language: str) -> list[OutputFile]:
    searchable = [p for p in pages
                  if p.path.endswith(".html") and b"data-pagefind-body" in p.content]
    with tempfile.TemporaryDirectory(prefix="clinicpress-search-") as tmp:
        folder = Path(tmp) / BUNDLE
        _run(_index(searchable, base_path, language, folder))
        return [
            OutputFile(path=f"{BUNDLE}/{file.relative_to(folder).as_posix()}",
                       content=file.read_bytes())
            for file in sorted(folder.rglob("*")) if file.is_file()
        ]
