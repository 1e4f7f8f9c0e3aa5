"""A picture file's bytes in, its ``Picture`` out: its size once turned upright (EXIF
orientation) and the plan of its published copies, without decoding it.

Raster photos (JPEG, PNG, WebP) get copies at the widths the theme's layout needs, never
wider than the picture itself, as AVIF and WebP and in their own format as the fallback,
plus a full-size copy at the original address. Every copy is encoded from the upright
picture without its metadata (camera, GPS), by ``output.picture_files``. SVG and GIF are
published as they are. Copy names carry a hash of the source and the settings, so
browsers may cache them forever and the build's cache can key on them.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import PurePosixPath

import PIL
from PIL import Image, UnidentifiedImageError

from clinicpress.model import ImageCopy, Picture

# Widths in CSS pixels x device pixels the theme shows pictures at: author photos (96 and
# 128 px), a phone's column (about 360 px, on 1x to 3x screens) and the article column
# (640 px, on 1x and 2x screens).
WIDTHS = (200, 400, 800, 1200, 1600)
# The article column: 40rem beside the contents on wide screens, 38rem on tablets, the
# screen less its margins on phones (style.css .post-layout).
CONTENT_SIZES = "(min-width: 64rem) 40rem, (min-width: 40rem) 38rem, calc(100vw - 2rem)"
SETTINGS: dict[str, dict[str, int | bool]] = {  # encoder settings; part of each cache key
    "avif": {"quality": 50, "speed": 9},
    "webp": {"quality": 76, "method": 2},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"compress_level": 6},  # (optimize=True takes seconds on a photo)
}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
_KINDS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
_SUFFIX = {"avif": ".avif", "webp": ".webp", "jpeg": ".jpg", "png": ".png"}
_TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class PictureError(Exception):
    """The file cannot be read as a picture; the message says why."""


def plan_picture(path: str, source: str, content: bytes) -> Picture | None:
    """``path``: the output path (``static/images/knee.jpg``); ``source``: the site file.
    None for an SVG that gives no size (it is published as it is)."""
    header = _header(content, source)
    if header is None:
        return None
    kind, width, height = header
    if kind not in ("jpeg", "png", "webp"):
        return Picture(path=path, source=source, width=width, height=height)
    digest = hashlib.sha256(content).hexdigest()
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    pure = PurePosixPath(path)
    copies = [_copy(path, kind, width, height, digest)]
    for target in widths:
        scaled = max(1, round(height * target / width))
        for each in ("avif", "webp", kind):
            if each == kind and target == width:
                continue  # the full-size copy serves this width
            key = _key(digest, each, target)
            name = f"{pure.stem}.{key[:10]}.{target}w{_SUFFIX[each]}"
            copies.append(ImageCopy(path=str(pure.with_name(name)), kind=each, width=target,
                                    height=scaled, key=key))
    return Picture(path=path, source=source, width=width, height=height, kind=kind,
                   copies=tuple(copies))


def _copy(path: str, kind: str, width: int, height: int, digest: str) -> ImageCopy:
    return ImageCopy(path=path, kind=kind, width=width, height=height,
                     key=_key(digest, kind, width, "full"))


def _key(digest: str, kind: str, width: int, *extra: str) -> str:
    settings = repr((sorted(SETTINGS[kind].items()), PIL.__version__, extra))
    return hashlib.sha256(f"{digest}|{kind}|{width}|{settings}".encode()).hexdigest()


def _header(content: bytes, source: str) -> tuple[str, int, int] | None:
    """(kind, upright width, upright height) from the header: nothing is decoded."""
    if PurePosixPath(source).suffix.lower() == ".svg":
        size = _svg_size(content)
        return ("svg", *size) if size else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = _KINDS.get(image.format or "", (image.format or "").lower())
                width, height = image.size
                # (PNG keeps EXIF after its pixels: reading it would decode the picture.)
                orientation = image.getexif().get(0x0112, 1) if kind in ("jpeg", "webp") else 1
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError("has too many pixels to be a picture for a web page") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PictureError(f"cannot be read as a picture ({exc})") from None
    if orientation in _TURNED:
        width, height = height, width
    return kind, width, height


def _svg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of an SVG's root element, or of its viewBox."""
    head = data[:2048].decode("utf-8", "replace")
    tag = re.search(r"<svg\b[^>]*>", head)
    if not tag:
        return None
    attrs = dict(re.findall(r'\s([\w:-]+)="([^"]*)"', tag.group(0)))
    width, height = attrs.get("width", ""), attrs.get("height", "")
    number = re.compile(r"\d+(?:\.\d+)?(?:px)?")
    if number.fullmatch(width) and number.fullmatch(height):
        return round(float(width.removesuffix("px"))), round(float(height.removesuffix("px")))
    box = attrs.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            return None
    return None
