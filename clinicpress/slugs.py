"""Text in, URL-safe slugs out; and the checks that keep slugs inside the site."""

from __future__ import annotations

import functools
import re
import unicodedata

RESERVED = frozenset({"posts", "tags", "authors", "locations", "search", "pagefind", "static",
                      "assets", "index", "404", "feed.xml", "feed.json", "sitemap.xml",
                      "robots.txt", "page", "favicon.svg"})
MAX_LENGTH = 80


def slugify(text: str) -> str:
    """'Sleep & Pain: Why?' -> 'sleep-pain-why'; accents folded to ASCII."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


@functools.lru_cache(maxsize=4096)  # a site has few tags, each named on many posts
def tag_slug(text: str) -> str:
    """A tag's slug: like ``slugify`` (accents folded: 'Café' -> 'cafe'), but letters of
    other scripts are kept ('睡眠' -> '睡眠'), as Python-Markdown's ``slugify_unicode``
    keeps them, so a tag in any language gets a page of its own."""
    out = []
    for char in unicodedata.normalize("NFKD", text).lower():
        if char.isascii() and char.isalnum():
            out.append(char)
        elif unicodedata.category(char) == "Mn":
            continue  # a combining accent: folded away
        elif not char.isascii() and unicodedata.category(char)[0] in "LN":
            out.append(char)
        else:
            out.append("-")
    return unicodedata.normalize("NFC", re.sub(r"-+", "-", "".join(out)).strip("-"))


def slug_from_filename(stem: str) -> str:
    """'2024-05-01-sleep-and-pain' -> 'sleep-and-pain'."""
    return slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem))


def slug_problem(slug: str) -> str | None:
    """Why a slug set in front matter cannot be used, or ``None`` if it can."""
    if not slug:
        return "the slug is empty"
    if len(slug) > MAX_LENGTH:
        return f"the slug is {len(slug)} characters long; keep it under {MAX_LENGTH}"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        return (f"the slug '{slug}' may only hold lower-case letters, digits and single "
                f"hyphens (try '{slugify(slug)[:MAX_LENGTH] or 'my-post'}')")
    return None
