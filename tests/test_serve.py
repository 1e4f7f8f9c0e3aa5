"""The preview server as a writer uses it: real server, real HTTP, real file edits."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import BASIC, ROOT, copy_site, replace_in

POST = "content/posts/2024-02-10-night-pain.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")


class Preview:
    def __init__(self, site: Path, port: int) -> None:
        self.site, self.port = site, port
        self.url = f"http://127.0.0.1:{port}"

    def status(self) -> dict[str, object]:
        return dict(json.loads(get(self.url + "/__clinicpress/status")))

    def edit(self, old: str, new: str) -> None:
        path = self.site / POST
        replace_in(path, old, new)


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[Preview]:
    site = copy_site(BASIC, tmp_path / "site")
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site",
                                str(site), "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "SOURCE_DATE_EPOCH": "1735732800"})
    server = Preview(site, port)
    try:
        wait_for(lambda: "Night pain" in get(server.url + "/posts/night-pain/"))
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_edit_reloads_with_the_new_text(preview: Preview) -> None:
    page = get(preview.url + "/posts/night-pain/")
    assert "livereload.js" in page  # the reload client is injected
    preview.edit("when it is quiet", "when the house is silent")
    seconds = wait_for(lambda: "when the house is silent" in get(preview.url + "/posts/night-pain/"))
    assert seconds < 5


def test_drafts_are_shown_with_a_banner(preview: Preview) -> None:
    page = get(preview.url + "/posts/draft/")
    assert "Secret draft text." in page and "Draft: not published" in page


def test_broken_front_matter_keeps_the_last_good_page_and_recovers(preview: Preview) -> None:
    preview.edit("date: 2024-02-10", "date: 2024-02-30")
    wait_for(lambda: bool(preview.status()["problems"]))
    assert preview.status()["problems"] == [
        f"{POST}:4: error: 'date': '2024-02-30' is not a real date (day is out of range for month)"]
    page = get(preview.url + "/posts/night-pain/")  # server alive, last good page intact
    assert "Night pain" in page and page.rstrip().endswith("</html>")
    preview.edit("date: 2024-02-30", "date: 2024-02-11")
    wait_for(lambda: not preview.status()["problems"])
    assert "11 February 2024" in get(preview.url + "/posts/night-pain/")


def test_a_burst_of_saves_gives_one_rebuild(preview: Preview) -> None:
    before = int(str(preview.status()["rebuilds"]))
    path = preview.site / POST
    text = path.read_text()
    for i in range(10):  # an editor's write-temp-then-rename pattern, ten times
        temp = path.with_suffix(".tmp")
        temp.write_text(text.replace("when it is quiet", f"when it is quiet ({i})"))
        os.replace(temp, path)
        time.sleep(0.01)
    wait_for(lambda: "quiet (9)" in get(preview.url + "/posts/night-pain/"))
    time.sleep(0.5)
    assert int(str(preview.status()["rebuilds"])) == before + 1


def raw_request(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                break
            if not data:
                break
            chunks.append(data)
            if b"\r\n\r\n" in b"".join(chunks) and b"101" in chunks[0][:20]:
                break
        return b"".join(chunks)


def websocket_handshake(port: int, origin: str) -> bytes:
    key = base64.b64encode(os.urandom(16))
    request = (b"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
               b"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
               b"Origin: %s\r\n\r\n") % (port, key, origin.encode())
    return raw_request(port, request).split(b"\r\n", 1)[0]


def test_cross_origin_websockets_are_refused(preview: Preview) -> None:
    assert b"101" in websocket_handshake(preview.port, preview.url)
    assert b"403" in websocket_handshake(preview.port, "http://evil.example")
    assert b"403" in websocket_handshake(preview.port, "null")


@pytest.mark.parametrize("path", [b"/../../../../etc/passwd", b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                  b"/static/..%2f..%2f..%2fetc/passwd", b"/..\\..\\etc\\passwd"])
def test_no_file_outside_the_output_is_served(preview: Preview, path: bytes) -> None:
    response = raw_request(preview.port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n"
                           b"Connection: close\r\n\r\n")
    assert response.split(b" ", 2)[1] in (b"403", b"404", b"400")
    assert b"root:" not in response
