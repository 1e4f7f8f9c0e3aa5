"""Time the picture work: a site with 200 photos, built clean and then warm.

    python benchmarks/pictures.py [--photos 200] [--repeat 3]

The photos are generated (``make_photo.py``, fixed seeds): 2400x1600 and 1600x2400 JPEGs
of about 400 KB, one per post, as a clinic's writers would drop them in. "clean" has an
empty cache and makes every copy and card; "warm" has the cache of the previous build and
no previous output (as CI with a kept cache), so it makes none. Medians; search off.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from make_photo import photo_bytes

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "pictures"


def make_site(photos: int) -> Path:
    site = WORK / f"site-{photos}"
    if site.exists():
        return site
    shutil.copytree(ROOT / "tests" / "sites" / "basic", site)
    images = site / "static" / "images"
    images.mkdir(parents=True)
    for n in range(photos):
        size = (2400, 1600) if n % 3 else (1600, 2400)
        (images / f"photo-{n:03d}.jpg").write_bytes(photo_bytes(*size, seed=n))
        (site / "content" / "posts" / f"2024-07-{n % 28 + 1:02d}-photo-{n:03d}.md").write_text(
            f"---\ntitle: Photo {n}\ndescription: A post with a photo.\ndate: 2024-07-01\n"
            f"author: ann\nreviewed_by: doc\nlast_reviewed: 2024-07-01\ntags: [sleep]\n"
            f"image: /static/images/photo-{n:03d}.jpg\nimage_alt: A generated landscape\n---\n"
            f"A walk helps [@shared-paper].\n\n![A generated landscape, again]"
            f"(/static/images/photo-{n:03d}.jpg)\n")
    return site


def build(site: Path, cache: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "CLINICPRESS_CACHE_KEY": "benchmark", "SOURCE_DATE_EPOCH": "1735732800"}
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output",
                    str(output), "--no-search", "--cache-dir", str(cache)], check=True,
                   env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site = make_site(args.photos)
    cache, output = WORK / "cache", WORK / "output"
    clean, warm = [], []
    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        clean.append(build(site, cache, output))
        warm.append(build(site, cache, output))
    size = sum(p.stat().st_size for p in (site / "static" / "images").iterdir()) / 2**20
    copies = sum(1 for _ in (output / "static" / "images").iterdir())
    print(f"{args.photos} photos ({size:.0f} MB of JPEG), {os.cpu_count()} cores, "
          f"{copies} picture files and {args.photos + 1} cards written")
    print(f"| build | median of {args.repeat} |\n|---|---:|")
    print(f"| clean (empty cache) | {statistics.median(clean):.2f} s |")
    print(f"| warm (cache kept, no output) | {statistics.median(warm):.2f} s |")


if __name__ == "__main__":
    main()
