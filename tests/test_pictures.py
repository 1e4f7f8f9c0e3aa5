"""Pictures as patients receive them: responsive copies from one source file, upright and
without metadata, made once and reused, a preview card for every page, and the checks."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, build_site, failure_lines, replace_in, soup

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_photo import photo_bytes

POST = "content/posts/2024-01-05-sleep-basics.md"


@pytest.fixture()
def photo_site(basic_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLINICPRESS_CACHE_KEY", "a key for the tests")
    images = basic_site / "static/images"
    images.mkdir(parents=True)
    gps = Image.Exif()
    gps[0x010F] = "PhoneMaker"
    gps[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    (images / "walk.jpg").write_bytes(photo_bytes(1800, 1200, exif=gps))
    (images / "chart.png").write_bytes(photo_bytes(900, 600, seed=2, kind="PNG"))
    (images / "face.jpg").write_bytes(photo_bytes(600, 600, seed=3))
    replace_in(basic_site / POST, "tags: [sleep, pain]", "tags: [sleep, pain]\nimage: "
               "/static/images/walk.jpg\nimage_alt: A path through fields")
    post = basic_site / POST
    post.write_text(post.read_text() + "\n![A green path for a short walk](/static/images/walk.jpg)"
                    '\n\n<img src="/static/images/chart.png" alt="A chart of sleep and pain">\n')
    replace_in(basic_site / "content/authors/ann.md", "name: Ann Writer",
               "name: Ann Writer\nphoto: /static/images/face.jpg\nphoto_alt: Ann smiling")
    return basic_site


def test_every_picture_becomes_responsive_copies(photo_site: Path, tmp_path: Path) -> None:
    build_site(photo_site, tmp_path / "out")
    page = soup(tmp_path / "out", "posts/sleep-basics/index.html")
    pictures = page.select(".post-body picture")
    assert len(pictures) == 3  # the front-matter picture, the Markdown one and the raw HTML one
    for picture in pictures:
        types = [s["type"] for s in picture.select("source")]
        img = picture.select_one("img")
        assert img is not None and img["alt"] and img["sizes"]
        assert all(f"{w}w" in img["srcset"] for w in (200, 400))
        assert set(types) == {"image/avif", "image/webp"} - {"image/" + str(img["src"]).rsplit(
            ".", 1)[-1].replace("jpg", "jpeg")}
    markdown = pictures[1].select_one("img")
    assert markdown is not None and (markdown["width"], markdown["height"]) == ("1800", "1200")
    assert "1800w" not in markdown["srcset"]  # the full size is for links, not for pages
    photo = page.select_one(".author-box picture img")
    assert photo is not None and photo["sizes"] == "96px" and photo["width"] == "96"
    for file in (tmp_path / "out/static/images").iterdir():  # nothing carries the GPS
        with Image.open(file) as image:
            assert dict(image.getexif()) == {}, file.name
    with Image.open(tmp_path / "out/static/images/walk.jpg") as full:
        assert full.size == (1800, 1200)  # the original address still works, without metadata


def test_a_warm_build_makes_no_copies_and_matches_a_clean_one(photo_site: Path,
                                                               tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    clean = build_site(photo_site, tmp_path / "one", cache=True, cache_dir=cache)
    assert clean.timings["picture_files_made"] > 40 and clean.timings["picture_files_reused"] == 0
    warm = build_site(photo_site, tmp_path / "two", cache=True, cache_dir=cache)
    assert warm.timings["picture_files_made"] == 0
    assert warm.timings["picture_files_reused"] == clean.timings["picture_files_made"]
    files = {p.relative_to(tmp_path / "one"): p.read_bytes()
             for p in (tmp_path / "one").rglob("*") if p.is_file()}
    assert files == {p.relative_to(tmp_path / "two"): p.read_bytes()
                     for p in (tmp_path / "two").rglob("*") if p.is_file()}


def test_every_page_has_a_large_preview_card(photo_site: Path, tmp_path: Path) -> None:
    build_site(photo_site, tmp_path / "out")
    for path, drawn in (("posts/sleep-basics/index.html", False),
                        ("posts/night-pain/index.html", True), ("index.html", True)):
        page = soup(tmp_path / "out", path)
        meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta")
                if (m.get("property") or m.get("name") or "").startswith(("og:image", "twitter"))}
        assert meta["twitter:card"] == "summary_large_image"
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert str(meta["og:image"]).startswith("https://test.example.org/static/cards/")
        file = tmp_path / "out" / str(meta["og:image"]).removeprefix("https://test.example.org/")
        with Image.open(file) as card:
            # A drawn card is a PNG (its letters sharp), a post's photo a JPEG.
            assert card.size == (1200, 630) and card.format == ("PNG" if drawn else "JPEG")
            corner = card.convert("RGB").getpixel((10, 10))
            if drawn:  # white letters on the accent, smoothed edges between the two
                colours = {c for _, c in card.convert("RGB").getcolors(1 << 16) or []}
                assert (255, 255, 255) in colours and 2 < len(colours) <= 256
        is_accent = max(abs(a - b) for a, b in zip(corner, (15, 107, 92), strict=True)) < 8
        assert is_accent == drawn, path  # drawn in the site's colour, or the post's photo
    article = json.loads(soup(tmp_path / "out", "posts/sleep-basics/index.html").select_one(
        'script[type="application/ld+json"]').string)
    assert article["mainEntity"]["image"] == "https://test.example.org/static/images/walk.jpg"


def test_missing_and_oversized_pictures_are_reported(photo_site: Path) -> None:
    config = photo_site / "config.yaml"
    config.write_text(config.read_text() + "picture_max_kb: 100\n")
    replace_in(photo_site / POST, "(/static/images/walk.jpg)", "(/static/images/walks.jpg)")
    line = next(n for n, text in enumerate((photo_site / POST).read_text().splitlines(), 1)
                if "walks.jpg" in text)
    problems = failure_lines(photo_site)
    assert problems[0] == (f"{POST}:{line}: error: no picture '/static/images/walks.jpg': "
                           "there is no such file in static/ (check the name and the folder)")
    assert [p for p in problems[1:] if "walk.jpg" in p] == [
        f"static/images/walk.jpg: warning: this picture is "
        f"{(photo_site / 'static/images/walk.jpg').stat().st_size / 1024:,.0f} KB and 1800x1200 "
        "pixels, over the budget of 100 KB and 6,000 pixels wide (picture_max_kb, "
        "picture_max_width): save a smaller copy, 2,400 pixels wide is plenty for any screen"]


def test_pictures_from_other_sites_stay_errors_and_alt_text_stays_required(
        photo_site: Path) -> None:
    replace_in(photo_site / POST, "image_alt: A path through fields\n", "")
    assert failure_lines(photo_site)[0].endswith(
        "error: 'image' needs 'image_alt': a short description for people who cannot see it")


def test_copies_decode_to_their_planned_sizes(photo_site: Path, tmp_path: Path) -> None:
    build_site(photo_site, tmp_path / "out")
    for file in (tmp_path / "out/static/images").glob("walk.*w.*"):
        width = int(file.name.split(".")[-2].removesuffix("w"))
        with Image.open(io.BytesIO(file.read_bytes())) as image:
            assert image.size == (width, round(1200 * width / 1800)), file.name
