"""Planned picture copies and social cards in, their files out: resized, turned upright,
without metadata.

Each copy is looked up in the build's cache first (``cache/images/<key>``, sealed like
every cache file, so a committed file is never trusted); the missing ones are made
from one decode of their picture, on every core when there are several pictures to
make. A warm build with unchanged pictures decodes and encodes nothing. Pillow does
the work: ``ImageOps.exif_transpose`` turns a phone photo upright, and copies are
saved with no EXIF or XMP (camera, GPS, dates); only the colour profile is kept.
"""

from __future__ import annotations

import collections
import io
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from PIL import Image, ImageOps

from clinicpress.content.posts import process_pool
from clinicpress.crash_points import crash_point
from clinicpress.diagnostics import Diagnostics
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.model import ImageCopy, OutputFile, Picture
from clinicpress.output.file_sink import FileSink
from clinicpress.render.cards import Card, make_card
from clinicpress.sources.pictures import SETTINGS

_SAVE_AS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


# A job makes the files of one picture (its missing copies) or one social card.
_Job = tuple[list[ImageCopy] | Card, bytes | None]
_Made = list[tuple[str, str, bytes]]  # (path, cache key, data)


def picture_files(pictures: Mapping[str, Picture], sources: Mapping[str, bytes],
                  cache: Path | None, diags: Diagnostics, sink: FileSink,
                  stats: dict[str, float] | None = None, cards: Iterable[Card] = ()) -> None:
    """Every copy of every picture with copies, and every card, into ``sink``: kept in the
    output as it is, or from the cache, or made now."""
    started = time.perf_counter()
    folder = cache / "images" if cache is not None else None
    jobs: list[tuple[str, _Job]] = []  # (source, job)
    made = reused = 0

    def cached(path: str, key: str, source: str) -> bool:
        nonlocal reused
        if sink.keep(path, key, source):
            reused += 1
            return True
        data = read_sealed(folder, key) if folder is not None else None
        if data is None:
            return False
        reused += 1
        sink.add(OutputFile(path=path, content=data, source=source), key)
        return True

    for path in sorted(sources):
        picture = pictures[path]
        todo = [copy for copy in picture.copies
                if not cached(copy.path, copy.key, picture.source)]
        if todo:
            jobs.append((picture.source, (todo, sources[path])))
    for card in cards:
        if not cached(card.path, card.key, card.source):
            content = sources.get(card.picture.path) if card.picture else None
            jobs.append((card.source, (card, content)))
    for source, files in _make_all(jobs):
        if isinstance(files, str):
            diags.error(source, None, f"cannot be read as a picture ({files})")
            continue
        for path, key, data in files:
            made += 1
            if folder is not None:
                write_sealed(folder, key, data)
            sink.add(OutputFile(path=path, content=data, source=source), key)
    if stats is not None:
        stats["picture_files_made"], stats["picture_files_reused"] = made, reused
        stats["pictures"] = time.perf_counter() - started


def _make_all(jobs: list[tuple[str, _Job]]) -> Iterable[tuple[str, _Made | str]]:
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or sys.platform != "linux":
        return [(source, _run(job)) for source, job in jobs]
    return _in_pool(jobs, workers)


def _in_pool(jobs: list[tuple[str, _Job]], workers: int
             ) -> Iterator[tuple[str, _Made | str]]:
    with process_pool(workers) as pool:
        futures = collections.deque((source, pool.submit(_run, job)) for source, job in jobs)
        first = True
        while futures:  # each result let go once handed on (4,000 cards are 280 MB)
            source, future = futures.popleft()
            yield source, future.result()
            if first:
                crash_point("picture-pool")
                first = False


def _run(job: _Job) -> _Made | str:
    """The job's files, or why its picture cannot be read (a damaged file)."""
    what, content = job
    try:
        if isinstance(what, Card):
            return [(what.path, what.key, make_card(what, content))]
        assert content is not None
        return [(copy.path, copy.key, data) for copy, data in make_copies(content, what)]
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return str(exc)


def make_copies(content: bytes, copies: Iterable[ImageCopy]) -> list[tuple[ImageCopy, bytes]]:
    """The copies of one picture, from one decode (largest first, each from the last)."""
    with Image.open(io.BytesIO(content)) as opened:
        icc = opened.info.get("icc_profile")
        upright = ImageOps.exif_transpose(opened)
    results = []
    current = upright
    for copy in sorted(copies, key=lambda c: -c.width):
        if current.size != (copy.width, copy.height):
            current = current.resize((copy.width, copy.height), Image.Resampling.LANCZOS,
                                     reducing_gap=3.0)
        results.append((copy, _encode(current, copy.kind, icc)))
    return results


def _encode(image: Image.Image, kind: str, icc: bytes | None) -> bytes:
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "P" or (kind != "png" and image.mode not in ("RGB", "RGBA", "L")):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode in (
            "P", "LA", "PA") else "RGB")
    out = io.BytesIO()
    options: dict[str, object] = dict(SETTINGS[kind])
    if icc and kind != "png":
        options["icc_profile"] = icc
    image.save(out, _SAVE_AS[kind], **options)  # no exif=, no xmp=: metadata stays behind
    return out.getvalue()
