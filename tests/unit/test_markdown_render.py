from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clinicpress.diagnostics import Diagnostics
from clinicpress.markdown.convert import convert_markdown


def convert(body: str, known: set[str] = frozenset({"a", "b"}), **kw: object):  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    result = convert_markdown(body, path="p.md", first_line=10, diags=diags,
                              is_reference=lambda key: key in known, **kw)  # type: ignore[arg-type]
    return result, [d.format() for d in diags]


def test_citations_are_numbered_by_first_use_and_link_to_entries() -> None:
    result, problems = convert("One [@b]. Two [@a; @b].")
    assert problems == []
    assert result.citations.order == ["b", "a"]
    assert '<a aria-label="Reference 1" href="#ref-b" id="cite-b">1</a>' in result.html
    assert 'href="#ref-a" id="cite-a">2</a>' in result.html
    assert 'id="cite-b-2"' in result.html


def test_citation_syntax_inside_code_stays_literal() -> None:
    result, _ = convert("Write `[@a]` to cite.\n\n    [@b]\n")
    assert result.citations.order == []
    assert "<code>[@a]</code>" in result.html


def test_unknown_keys_are_collected() -> None:
    result, _ = convert("See [@nope].")
    assert result.citations.unknown == ["nope"]


def test_state_never_leaks_between_documents() -> None:
    first, _ = convert("A [@a].")
    second, _ = convert("B [@b].")
    assert second.citations.order == ["b"]
    assert first.citations.order == ["a"]


RICH = """## Pain {#pain}

*[NSAID]: non-steroidal anti-inflammatory drug

An NSAID helps some people [@a]. <span onclick="x()">raw</span>

!!! note "Ask first"
    Talk to your doctor.

Term
: Definition

| a | b |
|---|---|
| 1 | 2 |

## Pain
"""
PLAIN = "## Pain\n\nAn NSAID is a medicine [@b]; see [@nope].\n\n## Sleep\n"


def test_a_reused_converter_gives_what_a_fresh_one_gives() -> None:
    from clinicpress.markdown.convert import _converter

    for first, second in ((RICH, PLAIN), (PLAIN, RICH)):
        _converter.cache_clear()
        fresh, fresh_problems = convert(second)
        convert(first)  # leaves abbreviations, stashed HTML, ids, citations behind if any leak
        reused, reused_problems = convert(second)
        assert (reused.html, reused.toc, reused.citations) == (fresh.html, fresh.toc,
                                                               fresh.citations)
        assert reused_problems == fresh_problems
    assert "<abbr" not in convert(PLAIN)[0].html  # RICH's abbreviation stays in RICH


def test_toc_from_headings_with_depth() -> None:
    result, _ = convert("## One\n\n### Two\n\n#### Three\n\n## References\n")
    assert [(h.id, h.title) for h in result.toc] == [("one", "One"),
                                                     ("section-references", "References")]
    assert [c.id for c in result.toc[0].children] == ["two"]
    deeper, _ = convert("## One\n\n### Two\n\n#### Three\n", toc_depth=4)
    assert deeper.toc[0].children[0].children[0].id == "three"


def test_sanitizer_keeps_ids_and_code_classes_but_removes_scripts() -> None:
    body = ('## Title {#custom}\n\n```python\nx = 1\n```\n\n<script>alert(1)</script>\n\n'
            '<a href="javascript:alert(1)" onclick="x()">click</a>\n\n'
            '<img src="data:image/png;base64,xx" alt="x">\n')
    result, problems = convert(body)
    assert 'id="custom"' in result.html
    assert 'class="language-python"' in result.html
    assert "<script" not in result.html and "javascript:" not in result.html
    assert "onclick" not in result.html and "data:" not in result.html
    assert "p.md:16: warning: raw HTML <script> removed (not allowed in posts)" in problems
    assert "p.md:18: warning: a link to a 'javascript:' address was removed" in problems
    assert "p.md:18: warning: raw HTML attribute 'onclick' on <a> removed" in problems
    assert "p.md:20: warning: a link to a 'data:' address was removed" in problems


def test_jinja_syntax_in_content_is_never_evaluated() -> None:
    result, _ = convert("Seven times seven is {{ 7*7 }} {% if x %}.")
    assert "{{ 7*7 }}" in result.html and "49" not in result.html


def test_images_need_alt_text_unless_decorative() -> None:
    _, problems = convert("Intro.\n\n![](/a.png)\n\n![](/b.png){.decorative}\n\n![A chart](/c.png)")
    assert problems == ["p.md:12: error: image '/a.png' has no alt text: describe it in "
                        "![...](...), or add {.decorative} if it only decorates"]


def test_images_after_the_first_are_lazy() -> None:
    result, _ = convert("![One](/1.png)\n\n![Two](/2.png)")
    first, second = result.html.split("<img")[1:]
    assert 'loading="lazy"' not in first and 'loading="lazy"' in second


def test_heading_level_problems_are_warnings() -> None:
    _, problems = convert("# Big\n\n## Fine\n\n#### Skipped\n")
    assert problems == [
        "p.md:10: warning: heading 'Big' is a level-1 heading; the title is the page's only "
        "one: use ##",
        "p.md:14: warning: heading 'Skipped' skips from level 2 to 4; use ###",
    ]


def test_site_links_get_the_base_path_and_tables_scroll() -> None:
    result, _ = convert("[About](/about/) and [ext](https://x.org/)\n\n|a|b|\n|-|-|\n|1|2|\n",
                        base_path="/blog/")
    assert 'href="/blog/about/"' in result.html and 'href="https://x.org/"' in result.html
    assert '<div aria-label="Table" class="table-scroll" role="region" tabindex="0">' in result.html


FRAGMENTS = [
    "## Pain {#pain .big}", "Term\n: A definition", "Term\n:\tA tabbed definition",
    "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n--|--\n1 | 2", "*[NSAID]: a pain medicine",
    "An NSAID helps [@a].", '!!! note "Ask first"\n    Talk to your doctor.',
    "```python\nprint(1)\n```", "~~~\nplain\n~~~", '<div markdown="1">*soft*</div>',
    "<span>raw</span> and <https://example.org>", "- one\n- two\n\n1. three",
    "Text with {braces} and | a pipe.", "    indented code | not a table", "`` `{x}` ``",
    "Para\n{: .note }", "* [ ] not a link", "A line: with a colon", ": lonely colon",
    "*soft* and **strong** and ***both***", "_soft_ and __strong__", "a * b _ c",
    "A [link](https://example.org) and [ref][r]\n\n[r]: https://example.org",
    "![a picture](/static/x.png) and ![ref][p]\n\n[p]: /static/y.png", "[short] ref",
    "Escaped \\*stars\\* and \\[@a\\]", "AT&amp;T &copy; &#169; & alone",
    "Line one  \nline two", "<mail@example.org> and <b>bold</b> <!-- note -->",
    "`code *not em*` and ``two `ticks` ``", "[@a] and [see @b]", "Text with ` one tick",
]


def convert_with_everything(body: str):  # type: ignore[no-untyped-def]
    """``convert`` with every extension and every inline pattern of Python-Markdown on."""
    import clinicpress.markdown.convert as module

    chosen = module.extensions_used, module.inline_patterns_unused
    try:
        module.extensions_used = lambda body: tuple(module._EXTENSIONS)
        module.inline_patterns_unused = lambda body: ()
        return convert(body)
    finally:
        module.extensions_used, module.inline_patterns_unused = chosen


@given(parts=st.lists(st.sampled_from(FRAGMENTS), max_size=6),
       joiner=st.sampled_from(["\n\n", "\n"]))
@settings(max_examples=600, deadline=None)
def test_leaving_out_unused_extensions_never_changes_the_output(parts: list[str],
                                                                joiner: str) -> None:
    body = joiner.join(parts) + "\n"
    chosen = convert(body)
    every = convert_with_everything(body)
    assert (chosen[0].html, chosen[0].toc, chosen[1]) == (every[0].html, every[0].toc, every[1])


def test_every_markdown_file_of_the_project_converts_the_same_with_fewer_extensions() -> None:
    from clinicpress.sources.documents import split_document
    from clinicpress.sources.files import SourceFile

    root = Path(__file__).resolve().parent.parent.parent
    paths = [p for folder in ("content", "tests/sites", "clinicpress/starter", "docs")
             for p in sorted((root / folder).rglob("*.md"))]
    assert len(paths) > 40
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        document = split_document(SourceFile(path=str(path), text=text), Diagnostics())
        body = document.body if document else text
        chosen = convert(body)
        every = convert_with_everything(body)
        assert (chosen[0].html, chosen[1]) == (every[0].html, every[1]), path


def test_every_inline_pattern_left_out_is_one_python_markdown_has() -> None:
    from markdown import Markdown

    from clinicpress.markdown.convert import _INLINE_NEEDS

    assert set(_INLINE_NEEDS) <= {item.name for item in Markdown().inlinePatterns._priority}


def test_markdown_without_raw_html_is_sanitized_too() -> None:
    """Markdown writes dangerous markup with no raw HTML at all: an attribute from
    attr_list, and a link whose character reference a browser reads as a tab and drops
    ("java&#9;script:" runs as "javascript:")."""
    result, problems = convert('[Call us](https://example.org/){onclick="steal()"}\n\n'
                               "[Open](java&#9;script:alert(1))\n")
    assert "onclick" not in result.html and "script:" not in result.html
    assert 'href="https://example.org/"' in result.html
    assert "p.md:10: warning: raw HTML attribute 'onclick' on <a> removed" in problems
    assert any(problem.endswith("warning: a link to a 'javascript:' address was removed")
               for problem in problems)
