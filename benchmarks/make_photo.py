"""Synthetic photographs for the sample site, tests and the picture benchmark.

There is no network here to fetch real photos, and a test must not depend on one: this
draws a deterministic landscape (sky, hills, a path, leaves and grain) that encodes
like a real photo (no large flat areas), from a seed.

    python benchmarks/make_photo.py OUT.jpg [--width 2400 --height 1600 --seed 1]
"""

from __future__ import annotations

import argparse
import io
import random

from PIL import Image, ImageDraw, ImageFilter


def photo(width: int, height: int, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.6))
    for y in range(horizon):  # sky
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(110 + 90 * t), int(160 + 60 * t), int(215 + 25 * t)))
    for layer in range(3):  # hills, far to near
        base = horizon + layer * height // 12
        colour = (50 + 25 * layer + rng.randint(0, 20), 110 + 20 * layer, 60 + 10 * layer)
        points = [(0, height)]
        for x in range(0, width + 50, 50):
            points.append((x, base - int(rng.uniform(0.02, 0.09) * height
                                         * (1 + 0.5 * ((x / width - 0.5) ** 2)))))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    draw.polygon([(width * 0.45, height), (width * 0.55, height), (width * 0.51, horizon + 40),
                  (width * 0.5, horizon + 40)], fill=(196, 178, 140))  # a path
    for _ in range(width * height // 900):  # leaves and grain
        x, y = rng.randrange(width), rng.randrange(horizon - 20, height)
        r = rng.randint(2, 7)
        green = rng.randint(80, 170)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(green // 3, green, green // 2))
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    return Image.blend(image, noise, 0.06)


def photo_bytes(width: int, height: int, seed: int = 1, kind: str = "JPEG",
                exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90} if kind == "JPEG" else {}
    if exif is not None:
        options["exif"] = exif
    photo(width, height, seed).save(out, kind, **options)
    return out.getvalue()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=2400)
    parser.add_argument("--height", type=int, default=1600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    kind = "PNG" if args.out.lower().endswith(".png") else "JPEG"
    with open(args.out, "wb") as file:
        file.write(photo_bytes(args.width, args.height, args.seed, kind))
