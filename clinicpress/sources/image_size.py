"""Image bytes in, (width, height) out, for PNG, GIF, JPEG, WebP and SVG.

Pages give every image its size so the text does not jump while pictures load;
reading the header is enough, so no imaging library is needed.
"""

from __future__ import annotations

import re
import struct


def image_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp(data)
    if b"<svg" in data[:1024]:
        return _svg(data)
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return int(width), int(height)
        index += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _svg(data: bytes) -> tuple[int, int] | None:
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
        return round(float(box[2])), round(float(box[3]))
    return None
