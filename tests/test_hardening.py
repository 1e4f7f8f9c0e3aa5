"""Hostile and broken input never crashes the build or writes outside the output folder,
and a build killed at any moment leaves the previous site intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicpress.diagnostics import BuildFailed
from conftest import BASIC, ROOT, build_site, copy_site

KEYS = ["title", "description", "date", "updated", "author", "reviewed_by", "last_reviewed",
        "tags", "related", "references", "further_reading", "draft", "toc_depth", "image",
        "image_alt", "slug", "aliases", "zzz"]
SCALARS = st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none(),
                    st.sampled_from(["2024-02-30", "2024-01-01", "ann", "../../x", "NO", "12:30",
                                     "javascript:alert(1)", "/about/", "<script>", "[@shared-paper]",
                                     "sleep-basics", "tags", "a" * 200]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from([*KEYS, "id", "DOI", "PMID", "URL"]),
                                        inner, max_size=4), max_leaves=12)
MARKDOWN = st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from(["## Heading", "# Big", "#### Deep", "[@shared-paper]", "[@nope; @x]",
                     "<script>alert(1)</script>", "[x](javascript:alert(1))", "![](/a.png)",
                     "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "---", "| a |\n|---|\n| 1 |",
                     "```\n[@shared-paper]\n```", "[[[[[[[[", "<div>", "\x00", "\ufeff"]),
), max_size=12).map("\n\n".join)


def outside_snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if "site" not in p.parts[:1]
            and "out" not in p.parts[:1]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=10), body=MARKDOWN,
       name=st.sampled_from(["post.md", "2024-01-01-x.md", "..md", "Ünïcode.md", "-.md"]))
def test_generated_posts_never_crash_or_escape(tmp_path_factory: pytest.TempPathFactory,
                                                meta: dict[str, object], body: str,
                                                name: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    site = copy_site(BASIC, root / "site")
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    (site / "content/posts" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    before = outside_snapshot(root)
    try:
        build_site(site, root / "out")
    except BuildFailed as failed:
        assert failed.diagnostics and all(d.level in ("error", "warning")
                                          for d in failed.diagnostics)
    assert outside_snapshot(root) == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    site = copy_site(BASIC, tmp_path_factory.mktemp("bytes") / "site")
    (site / "content/posts/raw.md").write_bytes(b"---\ntitle: " + data)
    try:
        build_site(site)
    except BuildFailed as failed:
        assert failed.diagnostics


def test_symlinks_out_of_the_site_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\nprivate\n")
    site = copy_site(BASIC, tmp_path / "site")
    (site / "content/posts/link.md").symlink_to(secret)
    (site / "static").mkdir(exist_ok=True)
    (site / "static/passwd").symlink_to("/etc/passwd")
    with pytest.raises(BuildFailed) as failed:
        build_site(site, tmp_path / "out")
    assert [d.format() for d in failed.value.diagnostics] == [
        "content/posts/link.md: error: is a link to a file outside the site folder; refusing "
        "to read it",
        "static/passwd: error: is a link to a file outside static/; refusing to copy it",
    ]


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(
        tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_corpus import write_site

    site = tmp_path / "site"
    write_site(site, posts=300, seed=3)
    output = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output",
               str(output), "--no-search", "--no-cache"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    duration = time.monotonic() - started
    expected = {p.relative_to(output) for p in output.rglob("*")}
    kills = 0
    # Moments spread over a whole build: loading, the post pool, the page pool, the swap.
    for delay in (duration * f for f in (0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.97)):
        for sig in (signal.SIGKILL, signal.SIGINT):
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, env=env)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(sig)
                kills += 1
            process.wait(timeout=60)
            # Whatever moment it died at, output/ is a complete site: the old or the new one.
            assert {p.relative_to(output) for p in output.rglob("*")} == expected
            assert (output / "posts/post-7/index.html").read_text().rstrip().endswith("</html>")
    assert kills >= 8
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
    time.sleep(0.5)
    assert stray_processes(str(site)) == []  # no orphaned render workers left behind


def stray_processes(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in command:
            found.append(command)
    return found
