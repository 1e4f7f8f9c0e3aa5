"""Model objects to JSON text and back, for the cache: data only, never code.

Only the model's own frozen dataclasses (by name, from a fixed table), text,
numbers, booleans, None, lists (as tuples), dates and ``Markup`` come back; any
other shape is refused (``DecodeError``), so a cache file can never make the
build create an arbitrary object, let alone run code. Objects that every post
shares (the site's authors and references) are written as their names and come
back as the very objects the build already holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from clinicpress.diagnostics import Diagnostic
from clinicpress.model import (
    Author,
    Citation,
    Heading,
    Link,
    PersonName,
    Post,
    Readability,
    Reference,
    Review,
    Tag,
)

_TYPES: dict[str, type] = {cls.__name__: cls for cls in (
    Author, Citation, Heading, Link, PersonName, Post, Readability, Reference, Review, Tag,
    Diagnostic)}
_FIELDS = {name: tuple(f.name for f in fields(cls)) for name, cls in _TYPES.items()}
Shared = Mapping[tuple[str, str], object]


class DecodeError(Exception):
    """Not something this module wrote."""


def encode(value: object, shared_names: Mapping[int, tuple[str, str]]) -> str:
    """JSON text for a model value; objects in ``shared_names`` (by ``id``) become names."""

    def plain(obj: object) -> Any:
        if isinstance(obj, Markup):
            return {"$m": str(obj)}
        if obj is None or isinstance(obj, (str, int, float, bool)):
            return obj
        if isinstance(obj, datetime):
            return {"$dt": obj.isoformat()}
        if isinstance(obj, date):
            return {"$d": obj.isoformat()}
        if isinstance(obj, (tuple, list)):
            return [plain(item) for item in obj]
        if isinstance(obj, dict) and all(isinstance(k, str) and not k.startswith("$")
                                         for k in obj):
            return {k: plain(v) for k, v in obj.items()}
        name = shared_names.get(id(obj))
        if name is not None:
            return {"$s": list(name)}
        if is_dataclass(obj) and type(obj).__name__ in _TYPES:
            kind = type(obj).__name__
            return {"$t": kind, **{f: plain(getattr(obj, f)) for f in _FIELDS[kind]}}
        raise TypeError(f"cannot store {type(obj).__name__} in the cache")

    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes, shared: Shared) -> Any:
    """The value ``encode`` wrote; ``DecodeError`` for anything else."""

    def hook(obj: dict[str, Any]) -> Any:
        if "$t" in obj:
            kind = obj.pop("$t")
            if kind not in _TYPES or tuple(obj) != _FIELDS[kind]:
                raise DecodeError(f"unexpected object {kind!r}")
            return _TYPES[kind](**{k: tuple(v) if isinstance(v, list) else v
                                   for k, v in obj.items()})
        if len(obj) != 1:
            return obj
        (tag, value), = obj.items()
        if tag == "$m" and isinstance(value, str):
            return Markup(value)
        if tag == "$dt" and isinstance(value, str):
            return datetime.fromisoformat(value)
        if tag == "$d" and isinstance(value, str):
            return date.fromisoformat(value)
        if tag == "$s" and isinstance(value, list) and len(value) == 2:
            found = shared.get((str(value[0]), str(value[1])))
            if found is None:
                raise DecodeError(f"unknown shared object {value!r}")
            return found
        return obj

    try:
        return json.loads(text, object_hook=hook)
    except (ValueError, TypeError, RecursionError) as exc:
        raise DecodeError(str(exc)) from None
