"""The site as data: frozen dataclasses that templates receive.

Nothing here reads the disk or renders; every value is immutable (tuples, not
lists) so stages can share them safely and the cache can compare them.
"""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Localized:
    """A config text given per language, ``{en: ..., es: ...}``."""

    values: tuple[tuple[str, str], ...]

    def get(self, language: str, fallback: str) -> str:
        """The text in ``language``, else in the ``fallback`` language."""
        found = dict(self.values)
        return found.get(language, found.get(fallback, ""))


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageCopy:
    """One published copy of a picture: ``kind`` (avif, webp, jpeg, png) at ``width``."""

    path: str  # output path, e.g. static/images/knee.3f2a9c1e20.800w.webp
    kind: str
    width: int
    height: int
    key: str  # the cache key: the source's content, the size, the format and its settings


@dataclass(frozen=True, slots=True, kw_only=True)
class Picture:
    """A picture of ``static/`` as pages show it: its size once turned upright, and the
    copies browsers choose from (none for SVG and GIF, which are published as they are).
    ``copies`` holds the full-size copy without metadata, at ``path``, as well."""

    path: str  # output path of the full-size picture: static/images/knee.jpg
    source: str  # the file it comes from: static/images/knee.jpg
    width: int
    height: int
    kind: str = ""  # jpeg, png or webp for pictures that get copies
    copies: tuple[ImageCopy, ...] = ()

    def srcset(self, kind: str, base_path: str) -> str:
        """The copies of one format; the full-size one only when it is no wider than the
        others (a picture narrower than the largest copy width)."""
        widest = max((c.width for c in self.copies if c.path != self.path), default=0)
        return ", ".join(f"{base_path}{c.path} {c.width}w" for c in self.copies
                         if c.kind == kind and (c.path != self.path or c.width <= widest))

    def fallback(self, base_path: str, width: int = 800) -> str:
        """The copy in the original format nearest ``width`` (for ``<img src>``)."""
        same = [c for c in self.copies if c.kind == self.kind and c.path != self.path]
        best = min(same, key=lambda c: abs(c.width - width), default=None)
        return base_path + (best.path if best else self.path)


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    id: str
    name: str
    credentials: str
    role: str
    photo: str
    photo_alt: str
    links: tuple[Link, ...]
    bio_html: Markup
    source: str
    can_review: bool = False  # a clinician who may sign "Medically reviewed by"

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonName:
    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """One CSL item (the field names of CSL-JSON, in Python spelling)."""

    id: str
    type: str
    authors: tuple[PersonName, ...]
    editors: tuple[PersonName, ...] = ()
    title: str = ""
    container_title: str = ""
    container_title_short: str = ""
    publisher: str = ""
    edition: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    accessed: date | None = None
    volume: str = ""
    issue: str = ""
    page: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    source: str = ""
    line: int = 0
    csl: str = ""  # the whole CSL item as JSON text, for the CSL processor

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A reference as numbered in one post, with its formatted text."""

    number: int
    reference: Reference
    html: Markup
    anchor: str
    backlink: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    level: int
    id: str
    title: str
    children: tuple[Heading, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Tag:
    name: str
    slug: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Readability:
    """Reading level with the formula made for the text's language: for English the
    Flesch-Kincaid grade (``grade``, lower is easier) and SMOG; for Spanish the INFLESZ
    score (``score``, 0-100, higher is easier); for other languages none (``formula``
    is empty): an English formula on other text would be meaningless."""

    words: int
    sentences: int
    grade: float
    smog: float | None
    reading_minutes: int
    formula: str = "Flesch-Kincaid"
    score: float | None = None

    @property
    def summary(self) -> str:
        """'grade 6.2', 'INFLESZ 61.4', or 'no formula' (for reports)."""
        if self.formula == "Flesch-Kincaid":
            return f"{self.grade}"
        return f"{self.formula} {self.score}" if self.formula else "no formula"


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    reviewer: Author
    last_reviewed: date
    next_due: date
    line: int  # of last_reviewed in the post's file

    def overdue_days(self, today: date) -> int:
        return max(0, (today - self.next_due).days)


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    slug: str
    title: str
    description: str
    published: datetime
    updated: datetime | None
    authors: tuple[Author, ...]
    review: Review | None
    tags: tuple[Tag, ...]
    related_slugs: tuple[str, ...]
    html: Markup
    toc: tuple[Heading, ...]
    citations: tuple[Citation, ...]
    further_reading: tuple[Link, ...]
    image: str
    image_alt: str
    draft: bool
    emergency_notice: bool
    aliases: tuple[str, ...]
    readability: Readability
    source: str
    translation_key: str = ""  # links translations whose slugs differ
    # A digest of everything the post was made from (``PostCache.identity``): equal
    # identities, equal posts. Page keys use it; "" when unknown (no cache).
    identity: str = field(default="", repr=False, compare=False)

    @property
    def url_path(self) -> str:
        return f"posts/{self.slug}/"

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    slug: str
    title: str
    description: str
    html: Markup
    toc: tuple[Heading, ...]
    source: str
    translation_key: str = ""

    @property
    def url_path(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputFile:
    """A file of the built site, in memory until ``Staging.write``."""

    path: str
    content: bytes
    source: str = ""


def _rebuild(cls: type, values: tuple[object, ...]) -> object:
    """Re-create a frozen model object from its field values (used by pickle)."""
    return cls(**dict(zip(_FIELD_NAMES[cls], values, strict=True)))


def _reduce(obj: object) -> tuple[object, tuple[type, tuple[object, ...]]]:
    cls = type(obj)
    return _rebuild, (cls, tuple(getattr(obj, name) for name in _FIELD_NAMES[cls]))


# Slotted dataclasses pickle through dataclasses.fields() on every object, which dominates
# loading cached posts; a reducer with the field names computed once is several times faster.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
for _cls in (Link, Author, PersonName, Reference, Citation, Heading, Tag,
             Readability, Review, Post, Page, OutputFile):
    _FIELD_NAMES[_cls] = tuple(f.name for f in fields(_cls))
    copyreg.pickle(_cls, _reduce)  # type: ignore[arg-type]
