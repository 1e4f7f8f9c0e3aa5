"""The two ends of a page range and a CSL ``page-range-format`` in, the last page as the
style prints it out.

The CSL 1.0.2 specification's formats: ``expanded`` (2433-45 is printed 2433-2445),
``minimal`` (2433-2445 is printed 2433-45), ``minimal-two`` (at least two digits) and
``chicago``/``chicago-15``/``chicago-16`` (Chicago Manual rules). citeproc-py neither
expands an abbreviated last page nor compares pages of different lengths correctly
(942-949 became "942-", 2417-2429 "2417-9"); ``citeproc_fixes`` uses this instead.
Ends that are not numbers (e123 stays e123, S2-S15 keeps its letters where it is
expanded) are left as written; without a format the last page is printed as written.
"""

from __future__ import annotations

import re

_PAGE = re.compile(r"([A-Za-z]*)(\d+)")


def _minimal(first: str, last: str, keep: int = 1) -> str:
    index = 0
    while index < len(first) - keep and first[index] == last[index]:
        index += 1
    return last[index:]


def format_last_page(first: str, last: str, style_format: str | None) -> str:
    one, two = _PAGE.fullmatch(first.strip()), _PAGE.fullmatch(last.strip())
    if not style_format or not one or not two or (two.group(1) and two.group(1) != one.group(1)):
        return last
    prefix, start = one.groups()
    written = two.group(2)
    full = start[: len(start) - len(written)] + written if len(written) < len(start) else written
    if int(full) <= int(start):
        return last  # not an increasing range: as written
    if style_format == "expanded":
        return prefix + full if two.group(1) else full
    if len(full) > len(start):
        return full  # 9-12: nothing to leave out
    if style_format.startswith("chicago"):
        number = int(start)
        if number < 100 or number % 100 == 0 or (len(start) >= 4 and start[:2] != full[:2]):
            return full
        return _minimal(start, full, 1 if number % 100 < 10 else 2)
    return _minimal(start, full, 2 if style_format == "minimal-two" else 1)
