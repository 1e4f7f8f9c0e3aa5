"""The preview server as a writer uses it: real server, real HTTP, real file edits."""

from __future__ import annotations

import base64
import json
import os
import signal
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
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> float:
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
    def __init__(self, site: Path, port: int, pid: int) -> None:
        self.site, self.port, self.pid = site, port, pid
        self.url = f"http://127.0.0.1:{port}"

    def status(self) -> dict[str, object]:
        return dict(json.loads(get(self.url + "/__clinicpress/status")))

    def edit(self, old: str, new: str) -> None:
        path = self.site / POST
        replace_in(path, old, new)


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[Preview]:
    yield from start_preview(copy_site(BASIC, tmp_path / "site"))


@pytest.fixture(scope="module")
def idle_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for the tests that only ask it things (no file of the site is edited)."""
    yield from start_preview(copy_site(BASIC, tmp_path_factory.mktemp("idle") / "site"))


def start_preview(site: Path) -> Iterator[Preview]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site",
                                str(site), "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "SOURCE_DATE_EPOCH": "1735732800"})
    server = Preview(site, port, process.pid)
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
    wait_for(lambda: "when the house is silent" in get(preview.url + "/posts/night-pain/"))


def test_drafts_are_shown_with_a_banner(idle_preview: Preview) -> None:
    page = get(idle_preview.url + "/posts/draft/")
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


def save(path: Path, text: str) -> None:
    """An editor's save: write a temporary file, then rename it over the post."""
    temp = path.with_suffix(".tmp")
    temp.write_text(text)
    os.replace(temp, path)


def test_a_burst_of_saves_gives_one_rebuild(preview: Preview) -> None:
    before = int(str(preview.status()["rebuilds"]))
    path = preview.site / POST
    text = path.read_text()
    # The server is paused while ten saves land, so they arrive as one burst however
    # loaded the machine is (no timing between them to race against the quiet window).
    os.kill(preview.pid, signal.SIGSTOP)
    try:
        for i in range(10):
            save(path, text.replace("when it is quiet", f"when it is quiet ({i})"))
    finally:
        os.kill(preview.pid, signal.SIGCONT)
    wait_for(lambda: "quiet (9)" in get(preview.url + "/posts/night-pain/"))
    assert int(str(preview.status()["rebuilds"])) == before + 1
    # One more save is the next rebuild: nothing of the burst was left to take in later.
    save(path, text.replace("when it is quiet", "when all is calm"))
    wait_for(lambda: "all is calm" in get(preview.url + "/posts/night-pain/"))
    assert int(str(preview.status()["rebuilds"])) == before + 2


def raw_request(port: int, request: bytes) -> bytes:
    """Send bytes exactly as given (no client-side URL clean-up); read until the server
    closes the connection (the request says ``Connection: close``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
        return b"".join(chunks)


def websocket_handshake(port: int, origin: str, host: bytes | None = None) -> bytes:
    """The status line the server answers a WebSocket handshake from ``origin`` with
    (addressed to ``host``, by default the preview's own name)."""
    key = base64.b64encode(os.urandom(16))
    request = (b"GET /livereload HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
               b"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
               b"Origin: %s\r\n\r\n") % (host if host is not None else b"127.0.0.1:%d" % port, key, origin.encode())
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while b"\r\n" not in received:
            data = sock.recv(4096)
            if not data:
                break
            received += data
    return received.split(b"\r\n", 1)[0]


def livereload_says(preview: Preview, page: str) -> str:
    """What the preview tells a page at ``page`` whose livereload client has just connected:
    "reload" or "nothing". The client says hello and which page it shows (livereload.js's
    handshake), then hello again: the server answers in order, so if the second answer is
    its hello, it sent no reload in between."""
    from tornado.httpclient import HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    async def talk() -> str:
        connection = await websocket_connect(HTTPRequest(
            preview.url.replace("http", "ws") + "/livereload", headers={"Origin": preview.url}))
        hello = json.dumps({"command": "hello", "protocols": []})
        try:
            connection.write_message(hello)
            assert json.loads(str(await connection.read_message()))["command"] == "hello"
            connection.write_message(json.dumps({"command": "info", "plugins": {},
                                                 "url": preview.url + page}))
            connection.write_message(hello)
            said = json.loads(str(await connection.read_message()))["command"]
            return "nothing" if said == "hello" else str(said)
        finally:
            connection.close()

    return str(IOLoop(make_current=False).run_sync(talk, timeout=30))


def test_a_page_still_loading_during_a_save_is_reloaded_when_it_connects(
        preview: Preview) -> None:
    """A save taken in while the page was loading (served, its reload client not yet
    connected) is not lost: the page is told to reload as soon as it connects."""
    page = "/posts/night-pain/"
    get(preview.url + page)  # the page, as the browser loads it
    assert livereload_says(preview, page) == "nothing"  # up to date
    before = int(str(preview.status()["rebuilds"]))
    preview.edit("when it is quiet", "when the house is silent")
    wait_for(lambda: int(str(preview.status()["rebuilds"])) > before)
    assert livereload_says(preview, page) == "reload"  # served before the save
    assert "when the house is silent" in get(preview.url + page)  # the reload
    assert livereload_says(preview, page) == "nothing"  # no reload loop


def test_cross_origin_websockets_are_refused(idle_preview: Preview) -> None:
    assert b"101" in websocket_handshake(idle_preview.port, idle_preview.url)
    assert b"403" in websocket_handshake(idle_preview.port, "http://evil.example")
    assert b"403" in websocket_handshake(idle_preview.port, "null")


@pytest.mark.parametrize("path", [
    b"/../secret.txt", b"/static/../../secret.txt", b"/%2e%2e/secret.txt",
    b"/static/..%2f..%2fsecret.txt", b"/..%5csecret.txt", b"/..\\secret.txt",
    b"/../site/config.yaml", b"/config.yaml", b"/content/posts/2024-05-01-draft.md",
    b"/../../../../etc/passwd", b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd"])
def test_no_file_outside_the_site_is_served(idle_preview: Preview, path: bytes) -> None:
    """The real ``serve`` process: a file beside the site, the site's own sources and
    system files are never answered, however the path climbs."""
    (idle_preview.site.parent / "secret.txt").write_text("SECRET-BESIDE-THE-SITE")
    response = raw_request(idle_preview.port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1:"
                           + str(idle_preview.port).encode() + b"\r\nConnection: close\r\n\r\n")
    assert response.split(b" ", 2)[1] in (b"403", b"404", b"400")
    for secret in (b"SECRET-BESIDE-THE-SITE", b"root:", b"base_url:", b"Secret draft text."):
        assert secret not in response


@pytest.mark.parametrize("host", [b"evil.example", b"evil.example:8000", b"127.0.0.1.evil.example",
                                  b"localhost.evil.example", b""])
def test_requests_for_another_host_name_are_refused(idle_preview: Preview, host: bytes) -> None:
    """DNS rebinding: a page on evil.example that points its name at 127.0.0.1 must not be
    able to read the drafts through the preview."""
    for path in (b"/posts/draft/", b"/__clinicpress/status"):
        response = raw_request(idle_preview.port, b"GET " + path + b" HTTP/1.1\r\nHost: " + host
                               + b"\r\nConnection: close\r\n\r\n")
        assert response.split(b" ", 2)[1] in (b"403", b"400")
        assert b"Secret draft text." not in response and b"problems" not in response
    assert b"403" in websocket_handshake(idle_preview.port, "http://" + host.decode(), host)


def test_the_preview_answers_its_own_names(idle_preview: Preview) -> None:
    for host in (b"127.0.0.1:%d" % idle_preview.port, b"localhost:%d" % idle_preview.port):
        response = raw_request(idle_preview.port, b"GET /posts/draft/ HTTP/1.1\r\nHost: " + host
                               + b"\r\nConnection: close\r\n\r\n")
        assert response.startswith(b"HTTP/1.1 200") and b"Secret draft text." in response


def test_a_broken_draft_at_start_leaves_every_other_page_served(tmp_path: Path) -> None:
    site = copy_site(BASIC, tmp_path / "site")
    draft = site / "content/posts/2024-05-01-draft.md"
    replace_in(draft, "Secret draft text.", "Secret draft text [@smith-2024].")
    problem = ("content/posts/2024-05-01-draft.md:9: error: cites [@smith-2024] but no "
               "reference has that id")
    running = start_preview(site)
    preview = next(running)
    try:
        with urllib.request.urlopen(preview.url + "/posts/night-pain/", timeout=30) as answer:
            assert answer.status == 200
            page = answer.read().decode()
        assert "Night pain" in page and problem in page  # the page, with the problem over it
        with urllib.request.urlopen(preview.url + "/posts/draft/", timeout=30) as answer:
            assert answer.status == 200
            broken = answer.read().decode()
        assert "This page cannot be shown yet" in broken and problem in broken
        assert "livereload.js" in broken  # so it reloads by itself once fixed
        replace_in(draft, "Secret draft text [@smith-2024].", "Secret draft text.")
        wait_for(lambda: "Secret draft text." in get(preview.url + "/posts/draft/"))
        assert preview.status()["problems"] == []
        assert "clinicpress-problems" not in get(preview.url + "/posts/night-pain/")
    finally:
        running.close()
