"""An office's ``hours`` in config.yaml, checked and structured.

Each entry is ``{days, opens, closes}``: ``days`` is one day, a range ("Monday to
Friday", "Mon-Fri") or a list; times are 24-hour ("08:00", "17:30"). Structured
hours become schema.org ``openingHoursSpecification``, so search engines and maps
show the same hours as the page.
"""

from __future__ import annotations

import re
from typing import Any

from clinicpress.contact import DAYS, OpeningHours
from clinicpress.diagnostics import did_you_mean
from clinicpress.sources.schema import (
    Field,
    FieldError,
    Where,
    describe,
    list_of,
    mapping_of,
)

_NAMES = {name.lower(): index for index, name in enumerate(DAYS)}
_NAMES.update({name[:3].lower(): index for index, name in enumerate(DAYS)})
_RANGE = re.compile(r"^\s*(\w+)\.?\s*(?:-|–|to|through)\s*(\w+)\.?\s*$", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EXAMPLE = '{days: Monday to Friday, opens: "08:00", closes: "17:00"}'


def _day(word: str) -> int:
    index = _NAMES.get(word.strip().rstrip(".").lower())
    if index is None:
        raise FieldError(f"'{word}' is not a day of the week"
                         f"{did_you_mean(word.strip().capitalize(), DAYS)}")
    return index


def _days(value: Any, where: Where) -> tuple[int, ...]:
    items = list(value) if isinstance(value, list) else [value]
    days: list[int] = []
    for item in items:
        if not isinstance(item, str):
            raise FieldError(f"expected day names, got {describe(item)}")
        span = _RANGE.match(item)
        if span:
            first, last = _day(span.group(1)), _day(span.group(2))
            if last < first:
                raise FieldError(f"'{item}' runs backwards (the week starts on Monday)")
            days.extend(range(first, last + 1))
        else:
            days.append(_day(item))
    if len(set(days)) < len(days):
        raise FieldError("a day is named twice")
    return tuple(sorted(days))


def _time(value: Any, where: Where) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24:
        value = f"{value}:00"
    found = _TIME.match(str(value).strip()) if isinstance(value, str | int) else None
    if found is None:
        raise FieldError(f"expected a 24-hour time in quotes, such as \"08:00\" or \"17:30\", "
                         f"got {describe(value)}")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


_PERIOD = (
    Field("days", _days, required=True),
    Field("opens", _time, required=True),
    Field("closes", _time, required=True),
)
_mapping = mapping_of(_PERIOD, "opening hours")


def _period(value: Any, where: Where) -> OpeningHours:
    item = _mapping(value, where)
    if item["closes"] <= item["opens"]:
        raise FieldError(f"closes at {item['closes']}, not after it opens at {item['opens']}")
    return OpeningHours(days=item["days"], opens=item["opens"], closes=item["closes"])


_periods = list_of(_period)


def opening_hours(value: Any, where: Where) -> tuple[OpeningHours, ...]:
    """The ``hours`` of one office; overlapping periods on one day are an error."""
    if isinstance(value, str) or (isinstance(value, list) and value
                                  and all(isinstance(item, str) for item in value)):
        raise FieldError(f"write the hours as a list of {_EXAMPLE}, so that search engines "
                         "and maps can read them too")
    periods: tuple[OpeningHours, ...] = _periods(value, where)
    for index, period in enumerate(periods):
        for other in periods[:index]:
            shared = set(period.days) & set(other.days)
            if shared and period.opens < other.closes and other.opens < period.closes:
                raise FieldError(f"two periods overlap on {DAYS[min(shared)]}")
    return periods
