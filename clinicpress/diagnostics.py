"""Problems a user can fix, reported as ``path:line: level: message``.

Stages append to a ``Diagnostics`` collector instead of raising on the first
problem; the pipeline stops after a stage that produced errors by raising
``BuildFailed``, which carries everything collected so far.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]

# Warnings a post may accept in its front matter (``accept: {readability: "reason"}``),
# by the name written there. Each is a judgement an editor can make for one article;
# anything else (an unknown key, a broken file) must be fixed, not accepted.
ACCEPTABLE = {
    "readability": "the reading grade is above max_reading_grade",
    "no-references": "the article cites no references",
    "unused-reference": "a listed reference is never cited",
    "same-reference": "two references share a DOI, PMID or URL",
    "no-review": "the article has no medical reviewer",
    "overdue-review": "the article is past its review date",
    "related": "more than three related articles",
    "link": "a link that leaves the site or cannot be checked",
    "markup": "raw HTML the sanitizer removed",
    "stale-translation": "the original was changed or reviewed after this translation",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    level: Level
    path: str
    line: int | None
    message: str
    code: str = ""  # a name of ACCEPTABLE when a post may accept this warning

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.level}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


@dataclass(frozen=True, slots=True, kw_only=True)
class Acceptance:
    """A post's ``accept:`` entry: warnings of ``code`` in ``path`` are accepted, for ``reason``."""

    path: str
    line: int
    code: str
    reason: str


class Diagnostics:
    """An append-only list of diagnostics, collected across stages.

    Warnings a post accepts (``accept``) are kept apart: they do not fail ``--strict``
    and are not printed by a build, but ``check`` lists them with their reasons."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._accepts: dict[tuple[str, str], Acceptance] = {}

    def error(self, path: str, line: int | None, message: str) -> None:
        self._items.append(Diagnostic(level="error", path=path, line=line, message=message))

    def warning(self, path: str, line: int | None, message: str, code: str = "") -> None:
        self._items.append(Diagnostic(level="warning", path=path, line=line, message=message,
                                      code=code))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def accept(self, *acceptances: Acceptance) -> None:
        for acceptance in acceptances:
            self._accepts[(acceptance.path, acceptance.code)] = acceptance

    def _accepted(self, d: Diagnostic) -> Acceptance | None:
        if d.level != "warning" or not d.code:
            return None
        return self._accepts.get((d.path, d.code))

    def __iter__(self) -> Iterator[Diagnostic]:
        return (d for d in self._items if self._accepted(d) is None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.level == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        return any(d.level == "error" or strict for d in self)

    def accepted(self) -> list[tuple[Diagnostic, Acceptance]]:
        """The accepted warnings with their acceptances, by file and line."""
        pairs = {d: a for d in self._items if (a := self._accepted(d)) is not None}
        return sorted(pairs.items(), key=lambda pair: pair[0].sort_key())

    def check_acceptances(self) -> None:
        """An ``accept`` that accepts nothing is stale: a warning at its line."""
        used = {(d.path, d.code) for d in self._items if self._accepted(d) is not None}
        for key, acceptance in sorted(self._accepts.items()):
            if key not in used:
                self.warning(acceptance.path, acceptance.line,
                             f"'accept': '{acceptance.code}' accepts a warning this article "
                             "does not have; remove it")

    def stop_if_errors(self, strict: bool = False) -> None:
        """End the build after a stage that produced errors."""
        if self.has_errors(strict):
            raise BuildFailed(self.sorted())

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics ordered by file and line, for stable output."""
        unique = dict.fromkeys(self)
        return sorted(unique, key=Diagnostic.sort_key)


class BuildFailed(Exception):
    """The content has problems; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close match, else an empty string."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def summary_line(diagnostics: Iterable[Diagnostic], strict: bool) -> str:
    items = list(diagnostics)
    errors = sum(1 for d in items if d.level == "error")
    warnings = len(items) - errors
    noun_e = "error" if errors == 1 else "errors"
    noun_w = "warning" if warnings == 1 else "warnings"
    suffix = " (--strict: warnings count as errors)" if strict and warnings else ""
    return f"build failed: {errors} {noun_e}, {warnings} {noun_w}{suffix}"
