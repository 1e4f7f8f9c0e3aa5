"""Markdown text in, sanitized HTML, contents headings and problems out.

One ``Markdown`` instance per set of options converts many documents, with
``reset()`` before each (building an instance costs as much as a short post);
the tests convert documents in both orders and compare with fresh instances.
Raw HTML is allowed in Markdown but always passes through nh3 with an allowlist
that keeps heading ids and code classes; whatever nh3 removes is reported as a
warning at the line where it stands.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown import Markdown
from markdown.extensions.toc import TocExtension
from markupsafe import Markup

from clinicpress.diagnostics import Diagnostics
from clinicpress.markdown.extensions import (
    CitationExtension,
    CitationState,
    PageChecksExtension,
    PageProblems,
)
from clinicpress.markdown.pictures import missing_pictures, responsive_images
from clinicpress.markdown.same_site import foreign_message, foreign_sources
from clinicpress.model import Heading, Picture
from clinicpress.slugs import slugify

_TAGS = set(nh3.ALLOWED_TAGS) | {"section"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
          "tabindex"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align", "headers"},
    "th": {"colspan", "rowspan", "align", "scope", "headers"},
    "abbr": {"title"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "sup": {"data-pagefind-ignore"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_EXTENSIONS = ["tables", "fenced_code", "attr_list", "def_list", "admonition", "sane_lists",
               "abbr", "md_in_html"]
# An extension is loaded only for a text that has the characters its syntax needs: an
# extension with nothing to do still costs time on every block or element. Without these
# characters an extension cannot change the output (tests/unit/test_markdown_render.py
# converts texts both ways and compares).
_NEEDS: dict[str, re.Pattern[str]] = {
    "tables": re.compile(r"\|"),
    "fenced_code": re.compile(r"```|~~~"),
    "attr_list": re.compile(r"\{"),
    "def_list": re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE),
    "admonition": re.compile(r"!!!"),
    "abbr": re.compile(r"\*\["),
    "md_in_html": re.compile(r"<"),
}


# Likewise Python-Markdown's inline patterns, each tried on every piece of text: a
# pattern whose characters a text does not have is left out for it (a third of the time
# Markdown takes on plain prose). Inline patterns only ever see pieces of the text itself
# and Python-Markdown's placeholders (made of other characters).
_INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "autolink": ("<",), "automail": ("<",),
    "html": ("<",), "entity": ("&",), "linebreak": ("  \n",), "image_link": ("![",),
    "image_reference": ("![",), "short_image_ref": ("![",), "em_strong": ("*", "_"),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
}


def extensions_used(body: str) -> tuple[str, ...]:
    """The optional extensions whose syntax could be in ``body`` (``sane_lists`` is always
    on: it changes how every list is read)."""
    return tuple(name for name in _EXTENSIONS
                 if name not in _NEEDS or _NEEDS[name].search(body))


def inline_patterns_unused(body: str) -> tuple[str, ...]:
    """Python-Markdown's inline patterns that cannot match anywhere in ``body``."""
    return tuple(name for name, needs in _INLINE_NEEDS.items()
                 if not any(chars in body for chars in needs))


@dataclass(frozen=True, slots=True, kw_only=True)
class Converted:
    html: Markup
    toc: tuple[Heading, ...]
    citations: CitationState
    converted: bool = True  # False when the body was refused (and the reason reported)


def line_of(body: str, needle: str, first_line: int) -> int:
    """The file line where ``needle`` first appears in ``body`` (else the body's first)."""
    index = body.lower().find(needle.lower()) if needle else -1
    return first_line + (body.count("\n", 0, index) if index >= 0 else 0)


MAX_BRACKETS_PER_BLOCK = 300


def pathological_block(body: str) -> tuple[int, str] | None:
    """(offset, character) of a paragraph whose brackets would make Python-Markdown run
    for minutes (its inline parsing is quadratic in unmatched '[' and '<')."""
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", body):
        for char in "[<(":
            if block.count(char) > MAX_BRACKETS_PER_BLOCK:
                return offset, char
        offset += len(block)
    return None


# Definitions a document may hold (each becomes work for every paragraph: abbreviations
# are one big pattern); far above any real article, far below what could hang a build.
LIMITS = (
    ("abbreviation", re.compile(r"^\*\[[^\]\n]+\]:", re.MULTILINE), 500),
    ("definition", re.compile(r"^:[ \t]", re.MULTILINE), 2000),
    ("footnote", re.compile(r"^\[\^[^\]\n]+\]:", re.MULTILINE), 1000),
)


def over_limit(body: str) -> tuple[int, str] | None:
    """(offset, message) where a document has more definitions of a kind than allowed."""
    for name, pattern, limit in LIMITS:
        found = pattern.findall(body)
        if len(found) > limit:
            match = list(pattern.finditer(body))[limit]
            return match.start(), (f"more than {limit} {name}s in one document; split it up")
    return None


def convert_markdown(
    body: str,
    *,
    path: str,
    first_line: int,
    diags: Diagnostics,
    toc_depth: int = 3,
    base_path: str = "/",
    root_path: str | None = None,
    pictures: Mapping[str, Picture] | None = None,
    is_reference: Callable[[str], bool] = lambda key: False,
    origins: tuple[str, ...] = (),
) -> Converted:
    """``origins``: the sites pictures may come from (the site's own and those the config
    allows); a picture from anywhere else is an error at its line."""
    too_many = over_limit(body)
    if too_many is not None:
        diags.error(path, first_line + body.count("\n", 0, too_many[0]), too_many[1])
        return Converted(html=Markup(""), toc=(), citations=CitationState(), converted=False)
    bad = pathological_block(body)
    if bad is not None:
        offset, char = bad
        diags.error(path, first_line + body.count("\n", 0, offset),
                    f"this paragraph has more than {MAX_BRACKETS_PER_BLOCK} '{char}' characters; "
                    "split it up or put the text in a code block (it would take minutes to "
                    "convert)")
        return Converted(html=Markup(""), toc=(), citations=CitationState(), converted=False)
    root = root_path or base_path  # where static/ is: the whole site's path
    md, citations = _converter(toc_depth, base_path, root, extensions_used(body),
                               inline_patterns_unused(body))
    citations.is_known = is_reference
    md.reset()
    raw_html = md.convert(body)
    problems: PageProblems = md.page_problems  # type: ignore[attr-defined]
    for needle, message in problems.errors:
        diags.error(path, line_of(body, needle, first_line), message)
    for needle, message in problems.warnings:
        diags.warning(path, line_of(body, needle, first_line), message)
    clean = sanitize_html(raw_html)
    # Markdown's own markup comes out of nh3 as it went in; raw HTML, an attribute from
    # attr_list ({onclick=...}) or a link's address can have been removed, and only then
    # does the (slow) comparison run.
    if clean != raw_html:
        for needle, message in removed_by_sanitizer(raw_html, clean):
            diags.warning(path, line_of(body, needle, first_line), message, code="markup")
    for tag in re.finditer(r"<img\b(?![^>]*\salt=)[^>]*>", clean):
        src = re.search(r'\ssrc="([^"]*)"', tag.group(0))
        needle = src.group(1) if src else "<img"
        diags.error(path, line_of(body, needle, first_line), "a picture needs alt text: "
                    'alt="what it shows" (or alt="" if it is only decoration)')
    foreign = foreign_sources(clean, origins)
    for url, host in foreign:
        diags.error(path, line_of(body, url, first_line), foreign_message(url, host))
    for missing in set(missing_pictures(clean, pictures, root)) - {u for u, _ in foreign}:
        diags.error(path, line_of(body, "/" + missing[len(root):], first_line),
                    f"no picture '{missing}': there is no such file in static/ (check the "
                    "name and the folder)")
    return Converted(
        html=Markup(responsive_images(clean, pictures or {}, root)),
        toc=tuple(_heading(token) for token in md.toc_tokens),  # type: ignore[attr-defined]
        citations=md.citations,  # type: ignore[attr-defined]
    )


@functools.lru_cache(maxsize=128)
def _converter(toc_depth: int, base_path: str, root_path: str,
               extensions: tuple[str, ...] = tuple(_EXTENSIONS), unused: tuple[str, ...] = (),
               ) -> tuple[Markdown, CitationExtension]:
    citations = CitationExtension(lambda key: False)
    md = Markdown(
        extensions=[
            *extensions,
            TocExtension(toc_depth=f"2-{toc_depth}", slugify=_heading_slug, permalink=False),
            citations,
            PageChecksExtension(base_path, root_path),
        ],
        output_format="html",
    )
    for name in unused:
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    return md, citations


def _heading_slug(value: str, separator: str) -> str:
    slug = slugify(value) or "section"
    # Ids the page layout uses itself get a prefix so headings never collide with them.
    reserved = {"main", "contents", "references", "top", "search"}
    return f"section-{slug}" if slug in reserved else slug


def _heading(token: dict[str, object]) -> Heading:
    children = token.get("children") or []
    assert isinstance(children, list)
    # Python-Markdown gives the name HTML-escaped; templates escape it themselves.
    return Heading(level=int(str(token["level"])), id=str(token["id"]),
                   title=html.unescape(str(token["name"])),
                   children=tuple(_heading(c) for c in children))


def sanitize_html(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel=None, strip_comments=True)


class _Inventory(HTMLParser):
    """Counts elements, attributes and URL schemes, to see what sanitizing removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[("tag", tag, "")] += 1
        for name, value in attrs:
            self.items[("attr", tag, name)] += 1
            if name in ("href", "src") and value:
                # (as a browser reads it: tabs and line breaks dropped, "java&#9;script:")
                value = value.replace("\t", "").replace("\n", "").replace("\r", "")
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                if scheme:
                    self.items[("url", tag, scheme.group(1).lower())] += 1


def _inventory(html: str) -> Counter[tuple[str, str, str]]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


def removed_by_sanitizer(before: str, after: str) -> list[tuple[str, str]]:
    """(text to find in the source, warning) for each kind of thing nh3 removed."""
    lost = _inventory(before) - _inventory(after)
    messages = []
    for kind, tag, name in sorted(lost):
        if kind == "tag":
            messages.append((f"<{tag}", f"raw HTML <{tag}> removed (not allowed in posts)"))
        elif kind == "url":
            messages.append((f"{name}:", f"a link to a '{name}:' address was removed"))
        elif name not in ("href", "src") and ("tag", tag, "") not in lost:
            messages.append((name, f"raw HTML attribute '{name}' on <{tag}> removed"))
    return messages
