"""``check``: the content-health report for editors, one row per post, printed in full
even when some posts have errors (they are rows too, with their problems)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from clinicpress.content.site import Site
from clinicpress.diagnostics import Acceptance, BuildFailed, Diagnostic, Diagnostics
from clinicpress.model import Post
from clinicpress.output.file_sink import FileSink
from clinicpress.output.site_files import render_files
from clinicpress.pipeline import (
    BuildOptions,
    build_time,
    line_finder,
    load_assets,
    load_site,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    rows: list[dict[str, Any]]
    diagnostics: list[Diagnostic]  # not accepted ones, by file and line
    accepted: list[tuple[Diagnostic, Acceptance]]


def check_site(options: BuildOptions) -> CheckResult:
    """Everything a build checks, writing no output (only the cache, when it is on), and
    going as far as the content allows: posts with errors are still reported, and the site
    is rendered and its links checked when nothing has an error."""
    diags = Diagnostics()
    sites: tuple[Site, ...] = ()  # the default language's, then the others'
    now = build_time(options.now)
    try:
        assets = load_assets(options, diags)
        site, loaded = load_site(options, assets, diags, {}, stop=False)
        sites, now = (site, *loaded.translations), loaded.now
        if not diags.has_errors():
            sink = FileSink(None)
            render_files(sites, assets, options.site_dir, False, diags, {}, sink, loaded.cache)
            sink.check(site.config.base_path, diags, line_finder(options.site_dir))
    except BuildFailed:  # the stage reported why; what was collected is the report
        pass
    diags.check_acceptances()
    rows = content_report([post for each in sites for post in each.posts], now.date(), diags)
    return CheckResult(rows=rows, diagnostics=diags.sorted(), accepted=diags.accepted())


def content_report(posts: Sequence[Post], today: date,
                   diags: Diagnostics) -> list[dict[str, Any]]:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diags:
        by_path[diagnostic.path].append(diagnostic)
    accepted: dict[str, list[str]] = defaultdict(list)
    for diagnostic, acceptance in diags.accepted():
        if acceptance.code not in accepted[diagnostic.path]:
            accepted[diagnostic.path].append(acceptance.code)
    rows = [_row(post, today, by_path[post.source], accepted[post.source]) for post in posts]
    reported = {post.source for post in posts}
    for path, problems in by_path.items():  # posts that did not even parse
        if path not in reported and PurePosixPath(path).parts[:2] == ("content", "posts"):
            rows.append(_row(None, today, problems, accepted[path], path))
    return sorted(rows, key=lambda row: str(row["post"]))


def _row(post: Post | None, today: date, problems: list[Diagnostic], accepted: list[str],
         path: str = "") -> dict[str, Any]:
    errors = sum(1 for d in problems if d.level == "error")
    review = post.review if post else None
    if errors:
        status = f"{errors} error{'s' if errors > 1 else ''}"
    elif any(d.code == "stale-translation" for d in problems):
        status = "translation out of date"
    elif post is not None and review is None:
        status = "no reviewer"
    elif review is not None and review.overdue_days(today):
        status = f"overdue {review.overdue_days(today)}d"
    else:
        status = "ok"
    return {
        "post": post.source if post else path,
        "words": post.readability.words if post else "",
        "grade": (post.readability.grade if post.readability.formula == "Flesch-Kincaid"
                  else post.readability.score) if post else "",
        "readability": post.readability.summary if post else "",  # "6.2", "INFLESZ 61.4"
        "smog": post.readability.smog if post else None,
        "cited": sum(1 for c in post.citations if c.backlink) if post else "",
        "listed": len(post.citations) if post else "",
        "reviewer": review.reviewer.name if review else "",
        "last_reviewed": review.last_reviewed.isoformat() if review else "",
        "review_due": review.next_due.isoformat() if review else "",
        "status": status,
        "errors": errors,
        "warnings": len(problems) - errors,
        "accepted": ", ".join(accepted),
        "problems": [d.format() for d in problems],
    }


def format_report(result: CheckResult) -> str:
    headers = ("post", "words", "grade", "cited", "listed", "reviewer", "last_reviewed",
               "review_due", "status", "warnings", "accepted")
    shown = {"grade": "readability"}  # the column says which formula, when not the grade
    table = [list(headers)] + [[str(row[shown.get(h, h)]) for h in headers]
                               for row in result.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if result.accepted:
        lines += ["", f"accepted warnings ({len(result.accepted)}), with the reasons given:"]
        lines += [f"{d.format()} [accepted: {a.reason}]" for d, a in result.accepted]
    return "\n".join(lines)


def report_json(result: CheckResult) -> dict[str, Any]:
    return {
        "posts": result.rows,
        "diagnostics": [d.format() for d in result.diagnostics],
        "errors": [d.format() for d in result.diagnostics if d.level == "error"],
        "accepted": [{"warning": d.format(), "accept": a.code, "reason": a.reason,
                      "line": a.line} for d, a in result.accepted],
    }
