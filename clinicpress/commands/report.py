"""The ``Site`` in, the content-health report for editors out (one row per post)."""

from __future__ import annotations

from typing import Any

from clinicpress.content.site import Site


def content_report(site: Site) -> list[dict[str, Any]]:
    today = site.generated.date()
    rows = []
    for post in sorted(site.posts, key=lambda p: p.slug):
        review = post.review
        cited = sum(1 for c in post.citations if c.backlink)
        if review is None:
            status = "no reviewer"
        elif review.overdue_days(today):
            status = f"overdue {review.overdue_days(today)}d"
        else:
            status = "ok"
        rows.append({
            "post": post.source,
            "words": post.readability.words,
            "grade": post.readability.grade,
            "smog": post.readability.smog,
            "cited": cited,
            "listed": len(post.citations),
            "reviewer": review.reviewer.name if review else "",
            "last_reviewed": review.last_reviewed.isoformat() if review else "",
            "review_due": review.next_due.isoformat() if review else "",
            "status": status,
        })
    return rows


def format_report(rows: list[dict[str, Any]]) -> str:
    headers = ("post", "words", "grade", "cited", "listed", "reviewer", "last_reviewed",
               "review_due", "status")
    table = [list(headers)] + [[str(row[h]) for h in headers] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
