import struct

from clinicpress.sources.image_size import image_size


def test_png_gif_jpeg_webp_svg() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 480) + b"\x08\x02"
    gif = b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00"
    jpeg = (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 300, 400) + b"\x03")
    webp = b"RIFF" + b"\x00" * 4 + b"WEBPVP8X" + b"\x00" * 8 + (99).to_bytes(3, "little") + (49).to_bytes(3, "little")
    assert image_size(png) == (640, 480)
    assert image_size(gif) == (32, 16)
    assert image_size(jpeg) == (400, 300)
    assert image_size(webp) == (100, 50)
    assert image_size(b'<svg xmlns="x" viewBox="0 0 640 300">') == (640, 300)
    assert image_size(b'<svg width="24px" height="12" viewBox="0 0 1 1">') == (24, 12)
    assert image_size(b"not an image") is None
