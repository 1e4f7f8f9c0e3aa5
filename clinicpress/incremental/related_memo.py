"""Related posts kept between builds, for a site whose posts all stand where they stood.

Which posts are related to which depends only on where every post stands: its slug,
date, tags, chosen related posts, draft state and authors (``content.site.placement``).
An edit of a post's text leaves all of that as it was, and finding related posts again
is most of assembling a site of thousands of posts (0.14 s of 0.18 s at 4,000). So the
lists of the last build are kept, as slugs, sealed like every cache file, with a digest
of every post's place and of the engine; a build whose digest is the same uses them,
any other finds them again (``content.site.assemble_site``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from clinicpress.incremental.cache import engine_fingerprint
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.model import Post


def placement_digest(placement: bytes) -> str:
    return hashlib.sha256(engine_fingerprint().encode() + b"\0" + placement).hexdigest()


def recall_related(folder: Path | None, name: str, digest: str, posts: Sequence[Post]
                   ) -> dict[str, tuple[Post, ...]] | None:
    """The related posts of every post in ``posts`` as the last build found them, if it
    had the same ``digest``; None otherwise (or for an entry that does not fit)."""
    data = read_sealed(folder, name) if folder is not None else None
    if data is None:
        return None
    try:
        record = json.loads(data)
        if record["digest"] != digest:
            return None
        by_slug = {post.slug: post for post in posts}
        related = {slug: tuple(by_slug[other] for other in others)
                   for slug, others in record["related"].items()}
    except (ValueError, KeyError, TypeError):
        return None
    return related if related.keys() >= by_slug.keys() else None


def keep_related(folder: Path | None, name: str, digest: str,
                 related: Mapping[str, Sequence[Post]]) -> None:
    if folder is not None:
        record = {"digest": digest,
                  "related": {slug: [post.slug for post in posts]
                              for slug, posts in related.items()}}
        write_sealed(folder, name, json.dumps(record).encode())
