"""The site in its default language and its translations in, warnings about translations
that may be out of date out.

A post's translation is the post of another language with the same slug, or the same
``translation_key``. When the original was changed or medically reviewed after its
translation, the translation "may be out of date": a patient reading it might miss
what changed. ``check`` lists it; an editor who has compared the two can say so with
``accept: {stale-translation: "..."}`` in the translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from clinicpress.content.site import Site
from clinicpress.diagnostics import Diagnostics
from clinicpress.model import Post


def last_checked(post: Post) -> date:
    """The later of the post's last change and its last medical review."""
    dates = [post.modified.date()]
    if post.review is not None:
        dates.append(post.review.last_reviewed)
    return max(dates)


def check_translations(site: Site, translations: Sequence[Site], diags: Diagnostics) -> None:
    originals = {post.translation_key or post.slug: post for post in site.posts}
    for translated in translations:
        for post in translated.posts:
            original = originals.get(post.translation_key or post.slug)
            if original is None:
                continue
            if last_checked(original) > last_checked(post):
                diags.warning(post.source, 1, f"translation may be out of date: the original "
                              f"({original.source}) was changed or reviewed on "
                              f"{last_checked(original).isoformat()}, after this translation "
                              f"({last_checked(post).isoformat()})", code="stale-translation")
