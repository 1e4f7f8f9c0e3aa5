"""Rendered post HTML in, reading-level figures out (computed offline, no NLTK).

Only body prose counts: headings, code, tables, citation numbers and URLs are
left out. Flesch-Kincaid grade always; SMOG only from 30 sentences, where it
is valid. List items and table-free block elements end a sentence even without
a full stop.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

from .model import Readability

_SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "sup", "table", "script", "style",
         "figcaption"}
_BLOCKS = {"p", "li", "dd", "dt", "blockquote", "div", "td", "th"}
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
WORDS_PER_MINUTE = 200


class _ProseText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data.replace("\n", " "))


def prose_text(html: str) -> str:
    parser = _ProseText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"https?://\S+|www\.\S+", " ", text)


def count_syllables(word: str) -> int:
    """A standard heuristic: vowel groups, less a silent final e, at least one."""
    word = word.lower().strip("'’")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def sentences_of(text: str) -> list[str]:
    chunks = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [c for c in chunks if _WORD.search(c)]


def measure(html: str) -> Readability:
    text = prose_text(html)
    sentences = sentences_of(text)
    words = _WORD.findall(text)
    if not words or not sentences:
        return Readability(words=0, sentences=0, grade=0.0, smog=None, reading_minutes=1)
    syllables = [count_syllables(w) for w in words]
    grade = 0.39 * len(words) / len(sentences) + 11.8 * sum(syllables) / len(words) - 15.59
    smog = None
    if len(sentences) >= 30:
        polysyllables = sum(1 for s in syllables if s >= 3)
        smog = round(1.043 * math.sqrt(polysyllables * 30 / len(sentences)) + 3.1291, 1)
    return Readability(
        words=len(words),
        sentences=len(sentences),
        grade=round(max(0.0, grade), 1),
        smog=smog,
        reading_minutes=max(1, round(len(words) / WORDS_PER_MINUTE)),
    )
