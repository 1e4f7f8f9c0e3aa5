"""Dates as people read them: month names said once for every stage that prints a date."""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_interval, get_day_names, get_time_format
from babel.lists import format_list

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def human_date(value: date | datetime, language: str = "en") -> str:
    """'4 March 2024' (unambiguous in every English-speaking country); in other languages
    as Babel writes a long date: '2 de febrero de 2026'."""
    if language.split("-")[0] == "en":
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    day = value.date() if isinstance(value, datetime) else value
    return str(format_date(day, "long", locale=_locale(language)))


def opening_days(days: tuple[int, ...], language: str, to: str = "to") -> str:
    """'Monday to Friday', 'Saturday and Sunday', 'Monday, Wednesday and Friday' (days are
    0 for Monday), with day names in ``language``."""
    names = get_day_names("wide", locale=_locale(language))
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words: list[str] = []
    for run in runs:
        if len(run) > 2:
            words.append(f"{names[run[0]]} {to} {names[run[-1]]}")
        else:
            words.extend(names[day] for day in run)
    return str(format_list(words, locale=_locale(language)))


def opening_times(opens: str, closes: str, language: str) -> str:
    """'8:00 AM – 5:00 PM' (or '8:00–17:00'), as ``language`` writes times of day."""
    locale = _locale(language)
    skeleton = "hm" if "h" in get_time_format("short", locale=locale).pattern else "Hm"
    start, end = (time(int(t[:2]), int(t[3:])) for t in (opens, closes))
    return str(format_interval(start, end, skeleton, locale=locale))


def _locale(language: str) -> str:
    return language.replace("-", "_")
