"""Planning and making picture copies: sizes, orientation, formats and metadata."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PIL import Image

from clinicpress.output.picture_files import make_copies
from clinicpress.sources.pictures import PictureError, plan_picture

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from make_photo import photo_bytes


def exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    data = Image.Exif()
    data[0x0112] = orientation
    data[0x010F] = "PhoneMaker"  # camera make
    if gps:
        data[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    return data


def test_copies_are_never_wider_than_the_picture() -> None:
    picture = plan_picture("static/p.png", "static/p.png", photo_bytes(640, 480, kind="PNG"))
    assert picture is not None and (picture.width, picture.height) == (640, 480)
    widths = sorted({c.width for c in picture.copies if c.path != picture.path})
    assert widths == [200, 400, 640]
    assert {c.kind for c in picture.copies} == {"avif", "webp", "png"}
    full = [c for c in picture.copies if c.path == picture.path]
    assert [(c.kind, c.width) for c in full] == [("png", 640)]
    big = plan_picture("static/b.jpg", "static/b.jpg", photo_bytes(2400, 1600))
    assert big is not None
    assert sorted({c.width for c in big.copies}) == [200, 400, 800, 1200, 1600, 2400]


def test_a_turned_phone_photo_is_measured_and_published_upright_without_its_gps() -> None:
    content = photo_bytes(400, 300, exif=exif(orientation=6))  # stored sideways
    picture = plan_picture("static/p.jpg", "static/p.jpg", content)
    assert picture is not None and (picture.width, picture.height) == (300, 400)
    made = make_copies(content, picture.copies)
    assert len(made) == len(picture.copies)
    for copy, data in made:
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (copy.width, copy.height)
            assert image.height > image.width  # upright
            assert dict(image.getexif()) == {}, copy.path  # no camera, no GPS
            assert image.format.lower() == {"jpeg": "jpeg", "webp": "webp",
                                            "avif": "avif"}[copy.kind]


def test_svg_and_gif_are_published_as_they_are() -> None:
    gif = io.BytesIO()
    Image.new("P", (32, 16)).save(gif, "GIF")
    picture = plan_picture("static/a.gif", "static/a.gif", gif.getvalue())
    assert picture is not None and (picture.width, picture.height, picture.copies) == (32, 16, ())
    svg = plan_picture("static/w.svg", "static/w.svg", b'<svg width="24px" height="12" '
                       b'viewBox="0 0 1 1"></svg>')
    assert svg is not None and (svg.width, svg.height) == (24, 12)
    boxed = plan_picture("static/v.svg", "static/v.svg", b'<svg viewBox="0 0 640 300">')
    assert boxed is not None and (boxed.width, boxed.height) == (640, 300)
    assert plan_picture("static/n.svg", "static/n.svg", b"<svg></svg>") is None


def test_a_file_that_is_not_a_picture_says_so() -> None:
    with pytest.raises(PictureError, match="cannot be read as a picture"):
        plan_picture("static/x.jpg", "static/x.jpg", b"not a picture at all")
