"""Rendered post HTML in, reading-level figures out (computed offline, no NLTK).

Only body prose counts: headings, code, tables, citation numbers and URLs are
left out. Each language gets a formula made for it: English the Flesch-Kincaid
grade (SMOG only from 30 sentences, where it is valid); Spanish the INFLESZ score
(Szigriszt-Pazos' perspicuity, the scale Spanish health services use: 55 and over
is "normal"), with Spanish syllables. Other languages get no score. List items and
table-free block elements end a sentence even without a full stop.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from html import unescape

from clinicpress.model import Readability

_SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "sup", "table", "script", "style",
         "figcaption"}
_BLOCKS = {"p", "li", "dd", "dt", "blockquote", "div", "td", "th"}
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_WORD_ANY = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_STRONG = set("aeoáéíóú")  # (an accented i or u is its own syllable: "día", "baúl")
_VOWELS = _STRONG | set("iuü")
WORDS_PER_MINUTE = 200


_SKIPPED = re.compile(r"<(" + "|".join(sorted(_SKIP)) + r")\b[^>]*>.*?</\1>", re.DOTALL)
_BLOCK_END = re.compile(r"</(?:" + "|".join(sorted(_BLOCKS)) + ")>")
_TAG = re.compile(r"<[^>]+>")


def prose_text(html: str) -> str:
    """The readable prose of generated HTML (well-formed, so regular expressions suffice)."""
    text = _SKIPPED.sub(" ", html.replace("\n", " "))
    text = _TAG.sub("", _BLOCK_END.sub("\n", text))
    return re.sub(r"https?://\S+|www\.\S+", " ", unescape(text))


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
def spanish_syllables(word: str) -> int:
    """Vowel nuclei: a weak vowel (i, u) beside another vowel forms a diphthong, two
    strong vowels are a hiatus (two syllables); a final y after a vowel is part of it."""
    count, previous = 0, ""
    for char in word.lower():
        if char in _VOWELS:
            if not previous or (previous in _STRONG and char in _STRONG):
                count += 1
            previous = char
        else:
            previous = ""
    return max(1, count)


def measure(html: str, language: str = "en") -> Readability:
    base = language.split("-")[0].lower()
    if base == "es":
        return _spanish(prose_text(html))
    if base != "en":
        text = prose_text(html)
        words = _WORD_ANY.findall(text)
        return Readability(words=len(words), sentences=len(sentences_of(text)), grade=0.0,
                           smog=None, reading_minutes=max(1, round(len(words) /
                                                                  WORDS_PER_MINUTE)),
                           formula="")
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


def _spanish(text: str) -> Readability:
    sentences = [c for c in re.split(r"(?<=[.!?¡¿])\s+|\n+", text) if _WORD_ANY.search(c)]
    words = _WORD_ANY.findall(text)
    if not words or not sentences:
        return Readability(words=0, sentences=0, grade=0.0, smog=None, reading_minutes=1,
                           formula="INFLESZ", score=100.0)
    syllables = sum(spanish_syllables(w) for w in words)
    score = 206.835 - 62.3 * syllables / len(words) - len(words) / len(sentences)
    return Readability(words=len(words), sentences=len(sentences), grade=0.0, smog=None,
                       reading_minutes=max(1, round(len(words) / WORDS_PER_MINUTE)),
                       formula="INFLESZ", score=round(max(0.0, min(100.0, score)), 1))
