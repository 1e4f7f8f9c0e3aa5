"""Hostile and broken input never crashes the build or writes outside the output folder,
and a build killed at any moment leaves the previous site intact."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicpress.diagnostics import BuildFailed
from clinicpress.markdown.same_site import foreign_host
from clinicpress.sources.front_matter import POST_FIELDS
from conftest import BASIC, build_site, copy_site

KEYS = [*(field.name for field in POST_FIELDS), "zzz"]
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


def outside_snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (the site included) but the output folder, with its bytes:
    a build may write nothing anywhere else, at any depth."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in root.rglob("*") if p.relative_to(root).parts[0] != "out"}


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


URLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["https://tracker.example/p.gif", "//evil.example/x.png", "/\\evil.example/",
                     " https://x.example/", "\thttps://x.example/", "javascript:alert(1)",
                     "data:image/png;base64,AAAA", "/static/ok.png", "ok.png", "../../etc/passwd",
                     "https://test.example.org/static/a.png", "HTTPS://EVIL.EXAMPLE/a",
                     "http:/\\evil.example", "\\\\evil.example\\x.png", "mailto:a@b", "#top"]),
)
LANGUAGES = st.one_of(st.text(max_size=12), st.sampled_from(
    ["en", "es", "pt-BR", "zh-Hant", "../x", "en\" onload=\"x", "xx", "und", "en_US", "",
     "e" * 40, "fr-CA-x-private", "sr-Latn"]))
NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                min_size=1, max_size=20)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(image=URLS, link=URLS, raw=URLS, language=LANGUAGES, name=NAMES, static_name=NAMES)
def test_generated_links_paths_and_languages_never_crash_leak_or_escape(
        tmp_path_factory: pytest.TempPathFactory, image: str, link: str, raw: str,
        language: str, name: str, static_name: str) -> None:
    root = tmp_path_factory.mktemp("links")
    site = copy_site(BASIC, root / "site")
    config = site / "config.yaml"
    config.write_text(config.read_text() + "language: " + json.dumps(language) + "\n")
    body = (f"---\ntitle: Links\ndescription: d\ndate: 2024-06-01\nauthor: ann\n---\n"
            f"Text [@shared-paper].\n\n![alt]({image})\n\n[link]({link})\n\n"
            f'<img src="{html.escape(raw)}" alt="raw">\n')
    try:
        (site / "content/posts" / (name + ".md")).write_text(body)
        (site / "static").mkdir()
        (site / "static" / static_name).write_bytes(b"\x89PNG")
    except OSError:
        return  # a name this file system cannot hold
    before = outside_snapshot(root)
    try:
        build_site(site, root / "out")
    except BuildFailed as failed:
        assert failed.diagnostics and all(d.level in ("error", "warning")
                                          for d in failed.diagnostics)
    else:
        for page in (root / "out").rglob("*.html"):
            for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', page.read_text()):
                assert foreign_host(html.unescape(src), ("https://test.example.org",)) is None
    assert outside_snapshot(root) == before
