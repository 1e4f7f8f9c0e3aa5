"""Typed fields for config.yaml and front matter: values in, checked values out.

A ``Field`` names a key, a converter and whether it is required. ``read_fields``
checks a ``YamlMap`` against a list of fields, reports every problem with the
line of its key (unknown keys get a "did you mean"), and returns the converted
values. Converters raise ``FieldError`` with a message a writer can act on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from clinicpress.diagnostics import Diagnostics, did_you_mean
from clinicpress.sources.yamldata import YamlList, YamlMap


class FieldError(Exception):
    """A value of the wrong kind; the message says what was expected."""


class AlreadyReported(Exception):
    """A nested value whose problems were reported with their own lines."""


@dataclass(frozen=True, slots=True)
class Where:
    path: str
    line: int
    diags: Diagnostics


Converter = Callable[[Any, Where], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One option, declared once: its key, how its value is checked and converted,
    whether it is required, its default and the help text the README's tables show
    (``commands/docs.py`` writes them; a test keeps them the same)."""

    name: str
    convert: Converter
    required: bool = False
    default: Any = None
    help: str = ""


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def text(value: Any, where: Where) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise FieldError("must not be empty")
        bad = _CONTROL.search(value)
        if bad:
            raise FieldError(f"contains the control character U+{ord(bad.group()):04X}; "
                             "delete it (it would break the feeds)")
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldError(f"expected text, got {describe(value)} (put it in quotes)")
    raise FieldError(f"expected text, got {describe(value)}")


def optional_text(value: Any, where: Where) -> str:
    return "" if value is None else text(value, where)


def boolean(value: Any, where: Where) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        raise FieldError(f"expected true or false, got {describe(value)} (remove the quotes)")
    if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
        raise FieldError(f"expected true or false, got {describe(value)} (write true or false)")
    raise FieldError(f"expected true or false, got {describe(value)}")


def integer(low: int, high: int) -> Converter:
    def convert(value: Any, where: Where) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"expected a whole number, got {describe(value)}")
        if not low <= value <= high:
            raise FieldError(f"must be between {low} and {high}, got {value}")
        return value

    return convert


def choice(*options: str) -> Converter:
    def convert(value: Any, where: Where) -> str:
        if value not in options:
            hint = did_you_mean(str(value), options)
            raise FieldError(f"must be one of {', '.join(options)}, got {describe(value)}{hint}")
        return str(value)

    return convert


FIRST_YEAR, LAST_YEAR = 1900, 2200  # review dates add years; the calendar ends at 9999
_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def timestamp(value: Any, where: Where) -> datetime:
    """A date or date-time as an aware datetime (dates are midnight UTC)."""
    if not isinstance(value, str):
        raise FieldError(f"expected a date like 2024-05-31, got {describe(value)}")
    match = _DATE.match(value.strip())
    if not match:
        raise FieldError(f"expected a date like 2024-05-31, got {describe(value)}")
    year, month, day, hour, minute, second, zone = match.groups()
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise FieldError(f"'{value}': the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    try:
        tz = UTC
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return datetime(
            int(year), int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz,
        )
    except ValueError as exc:
        raise FieldError(f"'{value}' is not a real date ({exc})") from None


def calendar_date(value: Any, where: Where) -> date:
    return timestamp(value, where).date()


def text_list(value: Any, where: Where) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldError(f"expected a list, got {describe(value)} (write [{value}])")
    if not isinstance(value, list):
        raise FieldError(f"expected a list, got {describe(value)}")
    items = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise FieldError(f"every item must be text, got {describe(item)}")
        items.append(item.strip())
    return tuple(items)


def one_or_more(value: Any, where: Where) -> tuple[str, ...]:
    """An id or a list of ids."""
    if isinstance(value, str):
        return (text(value, where),)
    return text_list(value, where)


def web_url(value: Any, where: Where) -> str:
    url = text(value, where)
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
        raise FieldError(f"expected an http:// or https:// address, got '{url}'")
    return url


def link_target(value: Any, where: Where) -> str:
    """A web address, a site-relative path, mailto: or tel:; never a script."""
    url = text(value, where)
    lowered = re.sub(r"[\x00-\x20]", "", url).lower()
    if lowered.startswith(("http://", "https://", "mailto:", "tel:", "/", "#")):
        return url
    if ":" in lowered.split("/")[0]:
        raise FieldError(f"the address scheme of '{url}' is not allowed (use https://)")
    return url


def mapping_of(fields: Sequence[Field], what: str) -> Converter:
    """A nested mapping checked field by field."""

    def convert(value: Any, where: Where) -> dict[str, Any]:
        if not isinstance(value, YamlMap):
            raise FieldError(f"expected a mapping of {what}, got {describe(value)}")
        result = read_fields(value, fields, where.path, where.diags, what)
        if result is None:
            raise AlreadyReported
        return result

    return convert


def list_of(item: Converter) -> Converter:
    def convert(value: Any, where: Where) -> tuple[Any, ...]:
        if not isinstance(value, YamlList):
            raise FieldError(f"expected a list, got {describe(value)}")
        results, failed = [], False
        for line, element in zip(value.item_lines, value, strict=True):
            try:
                results.append(item(element, Where(where.path, line, where.diags)))
            except FieldError as exc:
                where.diags.error(where.path, line, f"list item: {exc}")
                failed = True
            except AlreadyReported:
                failed = True
        if failed:
            raise AlreadyReported
        return tuple(results)

    return convert


def read_fields(
    data: YamlMap,
    fields: Sequence[Field],
    path: str,
    diags: Diagnostics,
    what: str,
    warn_unknown: bool = True,
) -> dict[str, Any] | None:
    """Check ``data`` against ``fields``; ``None`` if any field had an error."""
    known = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    ok = True
    if warn_unknown:
        for key in data:
            if key not in known:
                hint = did_you_mean(key, known)
                diags.warning(path, data.line_of(key), f"unknown key '{key}' in {what}{hint}")
    for field in fields:
        line = data.line_of(field.name)
        raw = data.get(field.name)
        if raw is None:
            if field.required:
                diags.error(path, data.line, f"missing required key '{field.name}' in {what}")
                ok = False
            values[field.name] = field.default
            continue
        try:
            values[field.name] = field.convert(raw, Where(path, line, diags))
        except FieldError as exc:
            diags.error(path, line, f"'{field.name}': {exc}")
            ok = False
        except AlreadyReported:
            ok = False
    return values if ok else None


# Values of config.yaml that become URLs, paths or attributes: checked before use.

def number(value: Any, where: Where) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError(f"expected a number, got {value!r}")
    if not math.isfinite(value) or abs(value) > 1e9:
        raise FieldError(f"expected an ordinary number, got {value!r}")
    return float(value)


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def language_tag(value: Any, where: Where) -> str:
    """A BCP 47 language tag that Babel knows (``en``, ``es``, ``pt-BR``, ``zh-Hant``)."""
    tag = text(value, where)
    if not _LANGUAGE_TAG.match(tag) or tag.lower() == "und":
        raise FieldError(f"'{tag}' is not a language tag (write a code such as en, es or pt-BR)")
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        raise FieldError(f"'{tag}' is not a language this tool knows (write a code such as "
                         "en, es or pt-BR)") from None
    return tag


def site_url(value: Any, where: Where) -> str:
    """Where the site is published: an absolute http(s) address whose path is clean (every
    page and asset link starts with it, so a '/\\host' path would load from another site)."""
    url = web_url(value, where)
    parts = urlsplit(url)
    segments = parts.path.split("/")
    if (parts.query or parts.fragment or "@" in parts.netloc or not parts.hostname
            or not re.fullmatch(r"[A-Za-z0-9._~/%-]*", parts.path)
            or any(s in (".", "..") for s in segments) or "//" in parts.path):
        raise FieldError(f"'{url}' must be a plain address like https://example.org/ or "
                         "https://example.org/blog/ (no query, user name, backslash, '..' or "
                         "empty folder in it)")
    return url


def origin(value: Any, where: Where) -> str:
    """A web origin: scheme, host and optional port, nothing else."""
    url = text(value, where).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.path or \
            parts.query or parts.fragment or "@" in parts.netloc:
        raise FieldError(f"'{url}' must be an origin such as https://videos.example.org")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def static_path(value: Any, where: Where) -> str:
    path = text(value, where).strip("/")
    if not path.startswith("static/") or ".." in path.split("/"):
        raise FieldError(f"'{path}' must be a file under static/, e.g. static/widget.js")
    return path

