"""Sanitized HTML in, the same HTML with responsive pictures out.

Every ``<img>`` of a picture in ``static/`` (from Markdown or from raw HTML) gets its
size, so the page does not jump while it loads, and, for photos, becomes a
``<picture>`` with AVIF and WebP copies and a ``srcset`` in its own format, so a phone
downloads the copy its screen needs. It runs after the sanitizer, which never lets a
writer's own ``srcset`` or ``<source>`` through (they could load from another site).
Templates use ``picture_html`` for the article's picture and author photos.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape, unescape

from markupsafe import Markup

from clinicpress.model import Picture
from clinicpress.sources.pictures import CONTENT_SIZES, MIME

_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')


def picture_html(picture: Picture, attributes: Mapping[str, str], base_path: str,
                 sizes: str = CONTENT_SIZES) -> Markup:
    """``<picture>`` (or a plain ``<img>`` for SVG and GIF) with ``attributes`` (alt,
    class, loading...) on its ``<img>``; width and height come from the picture unless
    given."""
    attrs = dict(attributes)
    if "width" not in attrs and "height" not in attrs:
        attrs["width"], attrs["height"] = str(picture.width), str(picture.height)
    if not picture.copies:
        attrs["src"] = base_path + picture.path
        return Markup(_tag("img", attrs))
    attrs["src"] = picture.fallback(base_path)
    attrs["srcset"] = picture.srcset(picture.kind, base_path)
    attrs["sizes"] = sizes
    sources = "".join(_tag("source", {"type": MIME[kind], "srcset": picture.srcset(kind, base_path),
                                      "sizes": sizes})
                      for kind in ("avif", "webp") if kind != picture.kind)
    return Markup(f"<picture>{sources}{_tag('img', attrs)}</picture>")


def responsive_images(html: str, pictures: Mapping[str, Picture], base_path: str) -> str:
    """Each ``<img src="{base_path}static/...">`` of a known picture, made responsive."""
    if "<img" not in html or not pictures:
        return html

    def replace(match: re.Match[str]) -> str:
        attrs = {name: unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1))}
        src = attrs.get("src", "")
        picture = pictures.get(src[len(base_path):]) if src.startswith(base_path) else None
        if picture is None:
            return match.group(0)
        del attrs["src"]
        return str(picture_html(picture, attrs, base_path))

    return _IMG.sub(replace, html)


def missing_pictures(html: str, pictures: Mapping[str, Picture] | None,
                     base_path: str) -> list[str]:
    """The ``src`` of each ``<img>`` on this site whose file does not exist."""
    if pictures is None:
        return []
    found = []
    for match in _IMG.finditer(html):
        src = dict(_ATTRIBUTE.findall(match.group(1))).get("src", "")
        if src.startswith(base_path) and not src.startswith("//") and \
                unescape(src[len(base_path):]) not in pictures:
            found.append(unescape(src))
    return found


def _tag(name: str, attrs: Mapping[str, str]) -> str:
    return "<" + name + "".join(f' {key}="{escape(value)}"' for key, value in attrs.items()) + ">"
