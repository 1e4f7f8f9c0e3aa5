"""Rendered posts and today's date in, medical-review diagnostics out.

Kept apart from rendering because it is the only check that changes with the
calendar: a cached post is still checked against today's date on every build.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import Post
from clinicpress.sources.config import SiteConfig


def check_reviews(posts: Iterable[Post], config: SiteConfig, today: date,
                  diags: Diagnostics) -> None:
    policy = config.review
    for post in posts:
        review = post.review
        if review is None:
            tags = {tag.name for tag in post.tags}
            required = policy.required_for_all or tags & set(policy.required_for_tags)
            message = f"'{post.title}' has no medical reviewer (add reviewed_by and last_reviewed)"
            if required or policy.missing_is_error:
                diags.error(post.source, 1, message)
            else:
                diags.warning(post.source, 1, message)
            continue
        if review.last_reviewed > today:
            diags.error(post.source, review.line,
                        f"'last_reviewed' {review.last_reviewed} is in the future")
        overdue = review.overdue_days(today)
        if overdue:
            message = (f"'{post.title}' is overdue for medical review by {overdue} days "
                       f"(reviewer {review.reviewer.name}, due {review.next_due.isoformat()})")
            if policy.overdue_is_error:
                diags.error(post.source, review.line, message)
            else:
                diags.warning(post.source, review.line, message)
