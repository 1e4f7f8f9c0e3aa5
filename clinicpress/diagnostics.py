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


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    level: Level
    path: str
    line: int | None
    message: str

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.level}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


class Diagnostics:
    """An append-only list of diagnostics, collected across stages."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, path: str, line: int | None, message: str) -> None:
        self._items.append(Diagnostic(level="error", path=path, line=line, message=message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self._items.append(Diagnostic(level="warning", path=path, line=line, message=message))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.level == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        return any(d.level == "error" or strict for d in self._items)

    def stop_if_errors(self, strict: bool = False) -> None:
        """End the build after a stage that produced errors."""
        if self.has_errors(strict):
            raise BuildFailed(self.sorted())

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics ordered by file and line, for stable output."""
        unique = dict.fromkeys(self._items)
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
