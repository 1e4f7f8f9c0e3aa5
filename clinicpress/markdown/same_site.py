"""URLs in, whether the page would load them from another site out.

Published pages load nothing from another origin: every picture a page shows
must be a file of the site itself, so that no other site learns who reads it
(tracking pixels, remote fonts and embeds leak patients' addresses). A site may
name origins it accepts anyway (``allowed_origins`` in config.yaml). Browsers
treat ``\\`` like ``/`` and ignore leading spaces, so ``//host``, ``/\\host`` and
`` https://host`` all count as other sites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_LEADING = re.compile(r"^[\x00-\x20]+")
_SOURCES = re.compile(r'<(?:img|source|video|audio|iframe|embed|object|track|input)\b[^>]*?'
                      r'\s(?:src|srcset|poster|data)="([^"]*)"', re.IGNORECASE)


def foreign_host(url: str, origins: Iterable[str]) -> str | None:
    """The other site ``url`` would be loaded from, or None when it is one of ``origins``
    (the site's own first) or a path on the site itself."""
    clean = _LEADING.sub("", url).replace("\\", "/")
    parts = urlsplit(clean)
    if not parts.scheme and not clean.startswith("//"):
        return None  # a path on this site
    origin = f"{parts.scheme.lower() or 'https'}://{parts.netloc.lower()}"
    if parts.scheme.lower() in ("http", "https", "") and origin in set(origins):
        return None
    return parts.netloc.lower() or parts.scheme.lower() or clean


def foreign_sources(html: str, origins: Iterable[str]) -> list[tuple[str, str]]:
    """(url, host) of every resource the HTML would load from another site."""
    allowed = tuple(origins)
    found = []
    for match in _SOURCES.finditer(html):
        url = match.group(1).replace("&amp;", "&")
        host = foreign_host(url, allowed)
        if host is not None:
            found.append((url, host))
    return found


def foreign_message(url: str, host: str) -> str:
    return (f"'{url}' would load from another site ({host}): that site would learn who "
            "reads this page. Put the picture in static/images/ (or list the origin under "
            "allowed_origins in config.yaml)")
