"""Our Python-Markdown extensions, in the idiom of the toc and footnotes extensions.

- ``CitationExtension``: ``[@key]`` and ``[@a; @b]`` as an ``InlineProcessor`` at
  priority 175 (after code spans, before links), numbered in order of first
  citation; results on ``md.citations`` and cleared by ``reset()``.
- ``PageChecksExtension``: a tree-processor that checks images (alt text) and
  heading levels, marks images below the first as lazy, and wraps tables so
  they scroll on a phone instead of widening the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

CITE_PATTERN = r"\[(@[^\]\s;@]+(?:\s*;\s*@[^\]\s;@]+)*)\]"


def anchor_for(key: str) -> str:
    return "ref-" + re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")


@dataclass
class CitationState:
    """What one document cites: keys in order of first citation, and unknown keys."""

    order: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def number(self, key: str) -> int:
        if key not in self.counts:
            self.order.append(key)
            self.counts[key] = 0
        self.counts[key] += 1
        return self.order.index(key) + 1


class CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # type: ignore[override]
        state: CitationState = self.md.citations  # type: ignore[attr-defined]
        sup = ET.Element("sup", {"class": "citation", "data-pagefind-ignore": "all"})
        keys = [k.strip().lstrip("@") for k in m.group(1).split(";")]
        for i, key in enumerate(keys):
            if not self.extension.is_known(key):
                state.unknown.append(key)
                missing = ET.SubElement(sup, "span", {"class": "citation-missing"})
                missing.text = f"[{key}?]"
                continue
            number = state.number(key)
            seen = state.counts[key]
            anchor_id = "cite-" + anchor_for(key)[4:] + ("" if seen == 1 else f"-{seen}")
            link = ET.SubElement(sup, "a", {"href": "#" + anchor_for(key), "id": anchor_id,
                                            "aria-label": f"Reference {number}"})
            link.text = str(number)
            if i < len(keys) - 1:
                link.tail = ","
        # The citation takes the white space before it: "pain [@x]." reads "pain¹.", with
        # no line break possible between the word, the number and the full stop.
        start = m.start(0)
        while start > 0 and data[start - 1] in " \t\n":
            start -= 1
        return sup, start, m.end(0)


class CitationExtension(Extension):
    """``[@key]`` citations; ``is_known`` may be changed between documents (one
    ``Markdown`` instance converts many, with ``reset()`` in between)."""

    def __init__(self, is_known: Callable[[str], bool]) -> None:
        super().__init__()
        self.is_known = is_known

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        self.reset()
        md.inlinePatterns.register(CitationProcessor(CITE_PATTERN, md, self), "citation", 175)

    def reset(self) -> None:
        self.md.citations = CitationState()  # type: ignore[attr-defined]


@dataclass
class PageProblems:
    """Problems found in the element tree, as (text to find in the source, message)."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


class PageChecks(Treeprocessor):

    def run(self, root: ET.Element) -> None:
        problems: PageProblems = self.md.page_problems  # type: ignore[attr-defined]
        self._images(root, problems)
        self._headings(root, problems)
        self._wrap_tables(root)

    def _images(self, root: ET.Element, problems: PageProblems) -> None:
        for index, img in enumerate(root.iter("img")):
            src = img.get("src", "")
            alt = img.get("alt")
            decorative = "decorative" in img.get("class", "").split()
            if (alt is None or not alt.strip()) and not decorative:
                problems.errors.append((src, f"image '{src}' has no alt text: describe it in "
                                        "![...](...), or add {.decorative} if it only decorates"))
            if decorative:
                img.set("alt", "")
            img.set("decoding", "async")
            if index > 0:
                img.set("loading", "lazy")

    def _headings(self, root: ET.Element, problems: PageProblems) -> None:
        previous = 1
        for element in root.iter():
            if not re.fullmatch(r"h[1-6]", str(element.tag)):
                continue
            level = int(str(element.tag)[1])
            title = "".join(element.itertext()).strip()
            if level == 1:
                problems.warnings.append((f"# {title}", f"heading '{title}' is a level-1 "
                                          "heading; the title is the page's only one: use ##"))
            elif level > previous + 1:
                problems.warnings.append((title, f"heading '{title}' skips from level "
                                          f"{previous} to {level}; use {'#' * (previous + 1)}"))
            previous = level

    def _wrap_tables(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    wrapper = ET.Element("div", {"class": "table-scroll", "tabindex": "0",
                                                 "role": "region", "aria-label": "Table"})
                    parent.remove(child)
                    wrapper.append(child)
                    parent.insert(index, wrapper)


SHARED_FOLDERS = ("/static/", "/pagefind/")  # one for the whole site, whatever the language


class SitePaths(Treeprocessor):
    """Site-absolute links (``/posts/x/``) get the base path, so they work under a sub-path
    (and, in another language, lead to that language's pages); pictures and other files
    of ``static/`` get the whole site's path."""

    def __init__(self, md: Markdown, base_path: str, root_path: str) -> None:
        super().__init__(md)
        self.base_path, self.root_path = base_path, root_path

    def run(self, root: ET.Element) -> None:
        if self.base_path == "/" and self.root_path == "/":
            return
        for element in root.iter():
            for name in ("href", "src"):
                value = element.get(name)
                if value and value.startswith("/") and not value.startswith("//"):
                    base = self.root_path if value.startswith(SHARED_FOLDERS) else self.base_path
                    element.set(name, base + value[1:])


class PageChecksExtension(Extension):
    def __init__(self, base_path: str = "/", root_path: str = "/") -> None:
        super().__init__()
        self.base_path, self.root_path = base_path, root_path

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        self.reset()
        # After attr_list (8), so {.decorative} is seen; before toc (5).
        md.treeprocessors.register(PageChecks(md), "page_checks", 7)
        md.treeprocessors.register(SitePaths(md, self.base_path, self.root_path), "site_paths",
                                   6)

    def reset(self) -> None:
        self.md.page_problems = PageProblems()  # type: ignore[attr-defined]
