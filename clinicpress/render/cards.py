"""Social preview cards: the 1200x630 picture a link shows in messages and social posts.

A post with a picture gets that picture, turned upright and cropped to the card's
shape (a JPEG); any other page gets a card drawn with Pillow: its title and the site's
name, in the site's accent colour, in the font shipped with the theme (nothing fetched).
A drawn card has two colours and the shades between them (the letters' smoothed edges),
so it is drawn as one 8-bit channel and saved as a PNG with a palette running from the
background to the text colour: exactly the pixels a full-colour drawing has, with no
JPEG blur around the letters, in a file a third the size, made in less time.
Card names carry a hash of everything drawn on them, so a card is made once and
cached like the pictures' copies (``output.picture_files``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, ImageOps

from clinicpress.model import Picture, Post

SIZE = (1200, 630)
FONT = Path(__file__).resolve().parent.parent / "theme" / "fonts" / "DejaVuSans-Bold.ttf"
DEFAULT_ACCENT = "#0f6b5c"
_QUALITY = 85  # a photo card's JPEG
_PNG_LEVEL = 1  # zlib's fastest: a drawn card is mostly flat rows, which it packs well
_DRAWING = (_QUALITY, _PNG_LEVEL, "palette", PIL.__version__, FONT.stat().st_size)


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    path: str  # static/cards/<name>.<key>.png (drawn) or .jpg (a post's picture)
    key: str
    source: str  # the file the card is for (a post), for messages
    title: str
    site_name: str
    accent: str
    picture: Picture | None  # a post's own picture, cropped instead of drawing
    alt: str  # what the card shows, for og:image:alt


def plan_cards(posts: Iterable[Post], site_name: str, accent: str,
               pictures: Mapping[str, Picture]) -> dict[str, Card]:
    """A card per post (by slug) and the site's own (under ``""``)."""
    cards = {"": plan_card("site", "config.yaml", site_name, site_name, accent, None, site_name)}
    for post in posts:
        picture = pictures.get(post.image.lstrip("/")) if post.image.startswith("/") else None
        alt = post.image_alt if picture and picture.copies else f"{post.title} · {site_name}"
        cards[post.slug] = plan_card(post.slug, post.source, post.title, site_name, accent,
                                     picture, alt)
    return cards


@functools.lru_cache(maxsize=65536)  # the preview plans every card again on each save
def plan_card(name: str, source: str, title: str, site_name: str, accent: str,
              picture: Picture | None, alt: str) -> Card:
    made_from = picture.copies[0].key if picture and picture.copies else ""
    key = hashlib.sha256(repr((title, site_name, accent, made_from, _DRAWING)).encode()
                         ).hexdigest()
    suffix = "jpg" if made_from else "png"
    return Card(path=f"static/cards/{name}.{key[:10]}.{suffix}", key=key, source=source,
                title=title, site_name=site_name, accent=accent,
                picture=picture if made_from else None, alt=alt)


def accent_colour(stylesheet: bytes | None) -> str:
    """The site's ``--accent`` colour from its stylesheet (the theme's, or its own)."""
    found = re.search(rb"--accent:\s*(#[0-9a-fA-F]{6})\b", stylesheet or b"")
    return found.group(1).decode() if found else DEFAULT_ACCENT


def make_card(card: Card, content: bytes | None) -> bytes:
    """The card's file: a JPEG of the post's picture (``content``, its bytes) when the
    card is made from one, else the drawn PNG."""
    out = io.BytesIO()
    if card.picture is not None and content is not None:
        with Image.open(io.BytesIO(content)) as opened:
            image = ImageOps.fit(ImageOps.exif_transpose(opened).convert("RGB"), SIZE,
                                 Image.Resampling.LANCZOS)
        image.save(out, "JPEG", quality=_QUALITY, subsampling=0)
    else:
        _drawn(card).save(out, "PNG", compress_level=_PNG_LEVEL)
    return out.getvalue()


def _drawn(card: Card) -> Image.Image:
    """The card as a palette image: each pixel's value is how much of the text colour
    it has (0: background, 255: text), and the palette says which colour that is."""
    background = _colours(card.accent)
    image = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(image)
    size, lines = next(((size, lines) for size, width in ((68, 26), (58, 31), (50, 36))
                        if len(lines := textwrap.wrap(card.title, width=width)) <= 4),
                       (50, textwrap.wrap(card.title, width=36)))
    if len(lines) > 4:  # the largest type that fits, or the smallest with an ellipsis
        lines = [*lines[:3], lines[3].rstrip(" ,.;:") + "…"]
    font = _font(size)
    y = 90
    for line in lines:
        draw.text((80, y), line, font=font, fill=255)
        y += int(size * 1.25)
    draw.rectangle((80, 500, 200, 506), fill=255)
    draw.text((80, 528), card.site_name, font=_font(36), fill=255)
    image.putpalette(background.palette)
    return image


@functools.lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


class _Colours:
    """The accent as background, with white or near-black text, whichever reads better."""

    def __init__(self, accent: str) -> None:
        red, green, blue = (int(accent[i:i + 2], 16) for i in (1, 3, 5))
        self.fill = (red, green, blue)

        def linear(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        white = 1.05 / (luminance + 0.05)
        dark = (luminance + 0.05) / 0.0597
        self.text = (255, 255, 255) if white >= dark else (27, 31, 35)
        # 256 colours from the background (0) to the text colour (255), as Pillow blends
        # a letter's edge into the background when it draws in full colour.
        self.palette = [round(b + (t - b) * shade / 255) for shade in range(256)
                        for b, t in zip(self.fill, self.text, strict=True)]


@functools.lru_cache(maxsize=8)  # a site has one accent: its palette is worked out once
def _colours(accent: str) -> _Colours:
    return _Colours(accent)
