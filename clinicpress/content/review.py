"""Rendered posts and today's date in, medical-review diagnostics out.

Kept apart from rendering because it is the only check that changes with the
calendar: a cached post is still checked against today's date on every build.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from clinicpress.diagnostics import Diagnostics, did_you_mean
from clinicpress.model import Post
from clinicpress.sources.config import SiteConfig


def check_review_policy(posts: Iterable[Post], config: SiteConfig,
                        diags: Diagnostics) -> None:
    """A tag in ``review.required_for_tags`` that no post has is a typo that would turn
    the policy off silently: an error with a did-you-mean."""
    tags = {tag.name for post in posts for tag in post.tags}
    for tag in config.review.required_for_tags:
        if tag not in tags:
            diags.error("config.yaml", config.review.tags_line or None,
                        f"'required_for_tags': no post has the tag '{tag}'"
                        f"{did_you_mean(tag, tags)}")


def check_reviews(posts: Iterable[Post], config: SiteConfig, today: date,
                  diags: Diagnostics, claimed: Collection[str] = ()) -> None:
    """Missing, future and overdue reviews. ``claimed``: sources that name a reviewer; when
    such a post has no review, its ``reviewed_by`` was refused with an error of its own."""
    policy = config.review
    for post in posts:
        review = post.review
        if review is None and post.source in claimed:
            continue
        if review is None:
            tags = {tag.name for tag in post.tags}
            required = policy.required_for_all or tags & set(policy.required_for_tags)
            message = f"'{post.title}' has no medical reviewer (add reviewed_by and last_reviewed)"
            if required or policy.missing_is_error:
                diags.error(post.source, 1, message)
            else:
                diags.warning(post.source, 1, message, code="no-review")
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
                diags.warning(post.source, review.line, message, code="overdue-review")
