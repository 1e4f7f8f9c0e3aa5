"""What the preview shows while something is wrong: a panel of problems laid over every
page (the page itself is the last good version), and, for a page that never built, a
page that lists the problems. Both say ``path:line``; both reload by themselves once the
file is fixed (livereload's script is added to every HTML answer)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from clinicpress.diagnostics import Diagnostic

STYLESHEET_URL = "/__clinicpress/problems.css"  # same origin: allowed by the pages' CSP
STYLESHEET = b"""
.clinicpress-problems { position: fixed; inset: auto 0 0 0; z-index: 2147483647;
  max-height: 45vh; overflow: auto; margin: 0; padding: 0.75rem 1rem 1rem;
  background: #fff4f4; color: #1a1a1a; border-top: 4px solid #b3261e;
  font: 16px/1.45 system-ui, sans-serif; box-shadow: 0 -4px 16px rgb(0 0 0 / 0.25); }
.clinicpress-problems h2 { font-size: 1.05rem; margin: 0 0 0.4rem; color: #8c1d18; }
.clinicpress-problems p { margin: 0 0 0.4rem; }
.clinicpress-problems ul { margin: 0; padding-left: 1.2rem; }
.clinicpress-problems code { font: 15px/1.4 ui-monospace, monospace; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.clinicpress-error-page { max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
  font: 18px/1.5 system-ui, sans-serif; color: #1a1a1a; }
.clinicpress-error-page code { font: 16px/1.4 ui-monospace, monospace;
  overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  .clinicpress-problems { background: #2b1414; color: #f3eaea; border-top-color: #f2b8b5; }
  .clinicpress-problems h2 { color: #f2b8b5; }
  html:has(.clinicpress-error-page), .clinicpress-error-page { background: #121212;
    color: #f3eaea; }
}
"""


def _items(problems: Sequence[Diagnostic]) -> str:
    return "".join(f"<li><code>{escape(d.format())}</code></li>" for d in problems)


def _noun(problems: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in problems if d.level == "error")
    return f"{errors} error{'s' if errors != 1 else ''} to fix"


def with_problems(page: bytes, problems: Sequence[Diagnostic]) -> bytes:
    """``page`` with the problems panel at the end of its body."""
    panel = (f'<link rel="stylesheet" href="{STYLESHEET_URL}">'
             f'<aside class="clinicpress-problems" role="alert" aria-labelledby="cp-problems">'
             f'<h2 id="cp-problems">Preview: {_noun(problems)}</h2>'
             "<p>This page is the last version that built. Fix the file and save: the page "
             f"reloads by itself.</p><ul>{_items(problems)}</ul></aside>").encode()
    end = page.rfind(b"</body>")
    return page[:end] + panel + page[end:] if end >= 0 else page + panel


def problem_page(problems: Sequence[Diagnostic]) -> bytes:
    """A whole page for a URL that has no good version yet."""
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_noun(problems)} · preview</title>"
            f'<link rel="stylesheet" href="{STYLESHEET_URL}"></head><body>'
            '<main class="clinicpress-error-page"><h1>This page cannot be shown yet</h1>'
            f"<p>The preview found {_noun(problems)}. Fix them and save: this page reloads "
            f"by itself.</p><ul>{_items(problems)}</ul></main></body></html>").encode()
