"""``python build.py serve``: a live-reloading preview for writers.

The site is rebuilt in memory when a file under content/, templates/, static/
or config.yaml changes: changes are polled every 100 ms and debounced (a burst
of saves gives one rebuild). A good build is swapped into the preview folder
atomically; a failed one leaves the last good pages in place, and the browser
shows the errors (``path:line: message``) in an overlay until the next good
save. The livereload package's tornado server serves the folder and pushes the
reload; its WebSocket only accepts connections from the page's own origin.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado import ioloop, web

from .diagnostics import BuildFailed
from .pipeline import BuildOptions, build

log = logging.getLogger(__name__)
WATCHED = ("content", "templates", "static", "config.yaml")
POLL_MS = 100
QUIET_SECONDS = 0.15


def same_origin(origin: str, host: str) -> bool:
    """Whether a WebSocket's Origin header names the server's own host and port."""
    return bool(origin) and urlsplit(origin).netloc.lower() == host.lower()


def _check_origin(self: LiveReloadHandler, origin: str) -> bool:
    return same_origin(origin, self.request.host)


LiveReloadHandler.check_origin = _check_origin  # livereload accepts any origin by default


def snapshot(site_dir: Path) -> dict[str, tuple[float, int]]:
    """(mtime, size) of every watched file, to notice edits, new files and deletions."""
    state = {}
    for name in WATCHED:
        root = site_dir / name
        files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            if file.is_file():
                state[str(file)] = (stat.st_mtime, stat.st_size)
    return state


class Preview:
    """The preview's state: the last build's problems, and when files last changed."""

    def __init__(self, site_dir: Path, output: Path, base_url: str) -> None:
        self.site_dir = site_dir
        self.output = output
        self.base_url = base_url
        self.problems: list[str] = []
        self.state = snapshot(site_dir)
        self.changed_at: float | None = None
        self.rebuilds = 0

    def rebuild(self) -> bool:
        started = time.perf_counter()
        try:
            result = build(BuildOptions(site_dir=self.site_dir, output_dir=self.output,
                                        drafts=True, base_url=self.base_url, search=False,
                                        cache=True))
        except BuildFailed as failed:
            for diagnostic in failed.diagnostics:
                print(diagnostic.format(), file=sys.stderr)
            self.problems = [d.format() for d in failed.diagnostics if d.level == "error"]
            return False
        except Exception as exc:  # keep serving: the writer's next save may fix it
            log.exception("rebuild failed")
            self.problems = [f"internal error: {exc}"]
            return False
        finally:
            self.rebuilds += 1
        self.problems = [d.format() for d in result.diagnostics if d.level == "error"]
        print(f"rebuilt {len(result.files)} files in {time.perf_counter() - started:.2f}s "
              f"({len(result.diagnostics)} warnings)", file=sys.stderr)
        return True

    def poll(self, reload: Callable[[], None]) -> None:
        """Called every POLL_MS: rebuild once the files have been quiet for a moment."""
        current = snapshot(self.site_dir)
        if current != self.state:
            self.state = current
            self.changed_at = time.monotonic()
            return
        if self.changed_at is not None and time.monotonic() - self.changed_at >= QUIET_SECONDS:
            self.changed_at = None
            self.rebuild()
            reload()


class _StatusHandler(web.RequestHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps({"problems": self.preview.problems, "rebuilds":
                               self.preview.rebuilds}))


class _PreviewServer(Server):  # type: ignore[misc]
    def __init__(self, preview: Preview) -> None:
        super().__init__(watcher=_NoWatcher())
        self.preview = preview

    def get_web_handlers(self, script: bytes) -> list[Any]:
        handlers: list[Any] = super().get_web_handlers(script)
        return [(r"/__clinicpress/status", _StatusHandler, {"preview": self.preview}), *handlers]


class _NoWatcher:
    """We watch files ourselves; livereload's own watcher would reload on every file."""

    def __init__(self) -> None:
        self._tasks = {"clinicpress": True}
        self._changes: list[Any] = []
        self.filepath = None

    def watch(self, *args: Any, **kwargs: Any) -> None:
        return None

    def start(self, callback: Any) -> bool:
        return True

    def examine(self) -> tuple[None, None]:
        return None, None


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host} lets other machines read your drafts; "
              "use 127.0.0.1 unless you mean it", file=sys.stderr)
    output = Path(tempfile.mkdtemp(prefix="clinicpress-preview-")) / "site"
    preview = Preview(site_dir.resolve(), output, f"http://{host}:{port}/")
    if not preview.rebuild() and not output.exists():
        output.mkdir(parents=True)
    server = _PreviewServer(preview)
    ioloop.PeriodicCallback(lambda: preview.poll(LiveReloadHandler.reload_waiters),
                            POLL_MS).start()
    print(f"serving http://{host}:{port}/ (drafts shown; Ctrl+C to stop)", file=sys.stderr)
    server.serve(port=port, host=host, root=str(output), restart_delay=0)
    return 0
