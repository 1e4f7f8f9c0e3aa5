"""Everything phase one read and rendered, before it becomes a ``Site``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from clinicpress.content.site import Site, assemble_site, placement
from clinicpress.diagnostics import Diagnostics
from clinicpress.incremental.related_memo import keep_related, placement_digest, recall_related
from clinicpress.model import Author, Page, Post, Reference
from clinicpress.sources.config import SiteConfig
from clinicpress.sources.front_matter import PostMeta


@dataclass(frozen=True, slots=True, kw_only=True)
class Loaded:
    """Everything phase one read and rendered, before it becomes a ``Site``; the preview
    keeps it to replace one post at a time."""

    config: SiteConfig
    now: datetime
    authors: dict[str, Author]
    bibliography: dict[str, Reference]
    metas: tuple[PostMeta, ...]
    posts: tuple[Post, ...]  # in the order of ``metas``
    pages: tuple[Page, ...]
    disclaimer_html: Markup
    emergency_html: Markup
    rendered: tuple[str, ...]  # slugs whose Markdown was converted (not from the cache)
    cache: Path | None  # the checked cache folder, None when there is no cache
    translations: tuple[Site, ...] = ()  # the site in its other languages

    def assemble(self, posts: Iterable[Post], preview: bool, diags: Diagnostics,
                 keep_related: Mapping[str, tuple[Post, ...]] | None = None) -> Site:
        return assemble_site(self.config, posts, self.pages, self.authors.values(),
                             disclaimer_html=self.disclaimer_html,
                             emergency_html=self.emergency_html, generated=self.now,
                             preview=preview, diags=diags, keep_related=keep_related)

    def assemble_all(self, preview: bool, diags: Diagnostics) -> Site:
        """``assemble`` of all the posts, with the related posts the last build found when
        every post stands where it stood (``incremental.related_memo``)."""
        posts = [post for post in self.posts if preview or not post.draft]
        name = f"related-{self.config.language}.json"
        digest = placement_digest(placement(posts))
        kept = recall_related(self.cache, name, digest, posts)
        site = self.assemble(posts, preview, diags, kept)
        if kept is None:
            keep_related(self.cache, name, digest, site.related)
        return site
