"""``python build.py serve``: a live-reloading preview for writers.

The site lives in memory (``LiveSite``): saving a post re-renders that post
alone, and pages are rendered when the browser asks for them, so a save shows
within about a tenth of a second even on a site with thousands of posts. Saves
are noticed through watchfiles (``watch.py``) and taken in after a short quiet
moment, so a burst of saves gives one update. A
failed update keeps the last good pages, and the browser shows the errors
(``path:line: message``) in an overlay until the next good save. The
livereload package's tornado server pushes the reload. livereload has no
setting to limit who may connect, so two methods of its handler class are
replaced here: its WebSocket then accepts only the page's own origin, and only
requests addressed to the preview by name (no DNS rebinding). A page that was
still loading when a save was taken in has no WebSocket yet to be told; when it
connects, it is told to reload if its page was served before that save. Nothing
is written to disk but the cache.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from clinicpress.diagnostics import Diagnostic
from clinicpress.preview.live_site import LiveSite
from clinicpress.preview.watch import watch_site

log = logging.getLogger(__name__)


LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
_HOST_NAMES: set[str] = set(LOCAL_NAMES)  # and the --host given, added by ``serve``


def allowed_host(host: str, names: set[str] | None = None) -> bool:
    """Whether a request's Host header names this preview (a loopback name or the --host
    given, with or without its port). A web page the writer visits could otherwise point
    its own host name at 127.0.0.1 (DNS rebinding) and read the drafts."""
    name = host.lower()
    name = name[: name.find("]") + 1] if name.startswith("[") else name.split(":", 1)[0]
    return name in (names if names is not None else _HOST_NAMES)


def same_origin(origin: str, host: str) -> bool:
    """Whether a WebSocket's Origin header names the server's own host and port."""
    return bool(origin) and urlsplit(origin).netloc.lower() == host.lower()


def _check_origin(self: LiveReloadHandler, origin: str) -> bool:
    return allowed_host(self.request.host) and same_origin(origin, self.request.host)


def _refuse_foreign_host(self: web.RequestHandler) -> None:
    if not allowed_host(self.request.host):
        self.set_status(403)
        self.finish("This preview only answers http://127.0.0.1 or http://localhost.\n")


_livereload_on_message = LiveReloadHandler.on_message


def _reloading_stale_pages(preview: Preview) -> Callable[[LiveReloadHandler, str], None]:
    """livereload's handshake; then, once the page has said which URL it shows, a reload
    if ``preview`` served that page before its latest update."""

    def on_message(self: LiveReloadHandler, message: str) -> None:
        _livereload_on_message(self, message)
        try:
            said = json.loads(message)
        except ValueError:
            return
        if isinstance(said, dict) and said.get("command") == "info" and \
                isinstance(said.get("url"), str) and preview.is_stale(said["url"]):
            self.send_message({"command": "reload", "path": "*", "liveCSS": False,
                               "liveImg": False})

    return on_message


# livereload accepts any origin by default, and tornado lets an Origin that matches the
# Host header through without asking check_origin (so a rebound host name would pass).
LiveReloadHandler.check_origin = _check_origin
LiveReloadHandler.prepare = _refuse_foreign_host


class Preview:
    """The preview's state: the site in memory and its problems; ``follow`` takes in each
    burst of saves the watcher reports, then tells the open pages to reload."""

    def __init__(self, site_dir: Path, base_url: str, dates_from_git: bool = False) -> None:
        self.site_dir = site_dir
        self.live = LiveSite(site_dir, base_url, dates_from_git=dates_from_git)
        self.rebuilds = 0
        self.served: dict[str, int] = {}  # URL path -> ``rebuilds`` when last served

    def note_served(self, url_path: str) -> None:
        self.served[url_path.lstrip("/")] = self.rebuilds

    def is_stale(self, page_url: str) -> bool:
        """Whether the page at ``page_url`` was served before the latest update (so the
        reload that update sent found no WebSocket of its to tell)."""
        served = self.served.get(urlsplit(page_url).path.lstrip("/"))
        return served is not None and served < self.rebuilds

    @property
    def problems(self) -> list[str]:
        return [d.format() for d in self.live.problems]

    def rebuild(self, changed: set[str] | None = None) -> None:
        started = time.perf_counter()
        try:
            shown = self.live.update(changed or {"config.yaml"})
        except Exception as exc:  # keep serving: the writer's next save may fix it
            log.exception("rebuild failed")
            self.live.site_errors = [Diagnostic(level="error", path="(preview)", line=None,
                                                message=f"internal error: {exc}")]
            return
        finally:
            self.rebuilds += 1
        for diagnostic in shown:
            print(diagnostic.format(), file=sys.stderr)
        what = "everything" if changed is None or len(changed) > 3 else ", ".join(sorted(changed))
        print(f"updated {what} in {(time.perf_counter() - started) * 1000:.0f} ms "
              f"({len(self.live.problems)} errors)", file=sys.stderr)

    async def follow(self, stop: asyncio.Event, reload: Callable[[], None]) -> None:
        """Rebuild on every burst of saves until ``stop`` is set."""
        async for changed in watch_site(self.site_dir, stop):
            self.rebuild(changed)
            reload()


class _LocalHandler(web.RequestHandler):
    """Answers only requests addressed to this preview by name (see ``allowed_host``)."""

    def prepare(self) -> None:
        _refuse_foreign_host(self)


class _StatusHandler(_LocalHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps({"problems": self.preview.problems,
                               "rebuilds": self.preview.rebuilds,
                               "reloading_pages": len(LiveReloadHandler.waiters)}))


class _MemoryHandler(_LocalHandler):
    """Files from the in-memory site; a folder URL without its slash is redirected."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self, path: str) -> None:
        status, kind, body = self.preview.live.respond(path)
        if status == 404 and path and not path.endswith("/") and \
                self.preview.live.file(path + "/index.html") is not None:
            self.redirect("/" + path + "/")
            return
        if kind.startswith("text/html"):
            self.preview.note_served(path)
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.write(body)

    def head(self, path: str) -> None:
        self.get(path)


class _PreviewServer(Server):  # type: ignore[misc]
    def __init__(self, preview: Preview) -> None:
        super().__init__(watcher=_NoWatcher())
        self.preview = preview

    def get_web_handlers(self, script: bytes) -> list[Any]:
        return [(r"/__clinicpress/status", _StatusHandler, {"preview": self.preview}),
                (r"/(.*)", _MemoryHandler, {"preview": self.preview})]


class _NoWatcher(Watcher):  # type: ignore[misc]
    """livereload's own watcher, told to watch nothing: ``watch_site`` does the watching
    (livereload would otherwise poll the whole working folder every 800 ms)."""

    def watch(self, *args: Any, **kwargs: Any) -> None:
        return None

    def start(self, callback: Any) -> bool:
        return True  # "started": livereload sets up no polling of its own

    def examine(self) -> tuple[None, None]:
        return None, None


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          dates_from_git: bool = False) -> int:
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host} lets other machines read your drafts; "
              "use 127.0.0.1 unless you mean it", file=sys.stderr)
    _HOST_NAMES.add(f"[{host.lower()}]" if ":" in host else host.lower())
    preview = Preview(site_dir.resolve(), f"http://{host}:{port}/", dates_from_git)
    LiveReloadHandler.on_message = _reloading_stale_pages(preview)
    preview.rebuild()
    preview.live.warm_up()
    server = _PreviewServer(preview)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    ioloop.IOLoop.current().add_callback(lambda: tasks.append(asyncio.ensure_future(
        preview.follow(stop, LiveReloadHandler.reload_waiters))))
    print(f"serving http://{host}:{port}/ (drafts shown; Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve(port=port, host=host, restart_delay=0)
    finally:
        stop.set()
    return 0
