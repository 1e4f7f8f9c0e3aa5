"""A ``Reference`` in, its entry in AMA (11th ed.) or Vancouver/NLM style out, as HTML.

AMA: up to six authors, otherwise the first three and "et al"; initials
without periods; journal abbreviation in italics; ``2000;85(3):483-491``;
``doi:10...`` in lower case with no final period. Vancouver: up to six authors
then "et al.", plain journal, abbreviated page ranges (483-91).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from clinicpress.model import PersonName, Reference

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def initials(given: str) -> str:
    """'C. J.' -> 'CJ', 'Jean-Paul' -> 'J-P', 'Mary Ann' -> 'MA'."""
    result = []
    for word in re.split(r"[\s.]+", given.strip()):
        if not word:
            continue
        parts = [p for p in word.split("-") if p]
        result.append("-".join(p[0].upper() for p in parts))
    return "".join(result)


def format_name(name: PersonName) -> str:
    if name.literal:
        return name.literal
    family = f"{name.particle} {name.family}".strip()
    text = f"{family} {initials(name.given)}".strip()
    return f"{text} {name.suffix}".strip() if name.suffix else text


def format_authors(names: tuple[PersonName, ...], style: str) -> str:
    if not names:
        return ""
    if style == "vancouver":
        shown = names if len(names) <= 6 else names[:6]
        tail = ", et al." if len(names) > 6 else ""
    else:
        shown = names if len(names) <= 6 else names[:3]
        tail = ", et al" if len(names) > 6 else ""
    return ", ".join(format_name(n) for n in shown) + tail


def abbreviate_pages(page: str) -> str:
    """Vancouver/NLM page ranges: 483-491 -> 483-91, 1539-1552 -> 1539-52."""
    match = re.fullmatch(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)", page)
    if not match:
        return page
    prefix, start, prefix2, end = match.groups()
    if prefix != prefix2 or len(start) != len(end):
        return page
    keep = 0
    while keep < len(end) - 1 and start[keep] == end[keep]:
        keep += 1
    return f"{prefix}{start}-{end[keep:]}"


def _sentence(text: str) -> str:
    """Text that ends with exactly one terminal punctuation mark."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _locator(ref: Reference, style: str) -> str:
    """``2000;85(3):483-491`` with the parts that are known."""
    text = str(ref.year) if ref.year else ""
    if ref.volume or ref.issue:
        text += ";" + ref.volume + (f"({ref.issue})" if ref.issue else "")
    if ref.page:
        page = abbreviate_pages(ref.page) if style == "vancouver" else ref.page
        text += (":" if (ref.volume or ref.issue) else (";" if text else "")) + page
    return text


def format_reference(ref: Reference, style: str) -> Markup:
    """The entry's text (without its number) as escaped HTML."""
    parts: list[Markup] = []
    authors = format_authors(ref.authors, style)
    if authors:
        parts.append(escape(_sentence(authors)))
    if ref.type == "book":
        parts.append(_book(ref, style))
    elif ref.type in ("webpage", "post-weblog", "post"):
        parts.append(_webpage(ref))
    else:
        parts.append(_article(ref, style))
    if ref.doi:
        label = f"doi:{ref.doi}" if style == "ama" else f"doi: {ref.doi}"
        parts.append(Markup('<a href="%s">%s</a>') % (ref.doi_url, label))
    if ref.pmid:
        parts.append(Markup('PMID: <a href="%s">%s</a>') % (ref.pubmed_url, ref.pmid))
    if ref.url and ref.type not in ("webpage", "post-weblog", "post") and not ref.doi:
        parts.append(Markup('<a href="%s">%s</a>') % (ref.url, ref.url))
    return Markup(" ").join(parts)


def _article(ref: Reference, style: str) -> Markup:
    journal = ref.container_title_short or ref.container_title
    text = escape(_sentence(ref.title))
    if journal:
        journal_html = escape(_sentence(journal) if style == "vancouver" else journal)
        text += Markup(" <i>%s</i>.") % journal_html if style == "ama" else " " + journal_html
    locator = _locator(ref, style)
    if locator:
        text += " " + escape(_sentence(locator))
    return Markup(text)


def _book(ref: Reference, style: str) -> Markup:
    title = Markup("<i>%s</i>") % _sentence(ref.title) if style == "ama" else escape(
        _sentence(ref.title))
    bits = [title]
    if ref.edition:
        edition = ref.edition if not ref.edition.isdigit() else _ordinal(int(ref.edition))
        bits.append(escape(f"{edition} ed."))
    tail = "; ".join(x for x in (ref.publisher, str(ref.year or "")) if x)
    if tail:
        bits.append(escape(_sentence(tail)))
    return Markup(" ").join(bits)


def _webpage(ref: Reference) -> Markup:
    bits = [escape(_sentence(ref.title))]
    if ref.container_title:
        bits.append(escape(_sentence(ref.container_title)))
    if ref.year:
        month = f"{MONTHS[ref.month - 1]} " if ref.month else ""
        day = f"{ref.day}, " if ref.day and ref.month else ""
        bits.append(escape(f"Published {month}{day}{ref.year}."))
    if ref.accessed:
        a = ref.accessed
        bits.append(escape(f"Accessed {MONTHS[a.month - 1]} {a.day}, {a.year}."))
    if ref.url:
        bits.append(Markup('<a href="%s">%s</a>') % (ref.url, ref.url))
    return Markup(" ").join(bits)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
