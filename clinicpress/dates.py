"""Dates as people read them: month names said once for every stage that prints a date."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def human_date(value: date | datetime) -> str:
    """'4 March 2024': unambiguous in every English-speaking country."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
