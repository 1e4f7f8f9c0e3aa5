"""Posts from the cache whose article is decoded only when something reads it.

A post cache entry is two JSON texts: a head (everything that places the post in the
site and that list pages, related-post cards and page keys read) and a body (the
article's HTML, its contents, its citations and further reading). A build with one post
changed takes thousands of posts from the cache but renders the pages of only a few, so
it decodes their heads and keeps each body as the sealed bytes it was read as: at 4,000
posts the bodies are three quarters of the 86 MB of entries and most of their decoding
time. The first read of ``html``, ``toc``, ``citations`` or ``further_reading`` decodes
the body (``model_codec``, the same checks as any entry) and lets the bytes go.

A ``LazyPost`` is a ``Post`` in every way but its type's name: equality (with a plain
``Post`` too), hashing, ``repr``, ``dataclasses.replace`` and pickling (a plain ``Post``
comes back) read the body as any other reader does.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from clinicpress.incremental.model_codec import DecodeError, Shared, decode
from clinicpress.model import Post

BODY_FIELDS = ("html", "toc", "citations", "further_reading")
HEAD_FIELDS = tuple(f.name for f in fields(Post) if f.name not in BODY_FIELDS)
_SLOTS = {name: Post.__dict__[name] for name in (*HEAD_FIELDS, *BODY_FIELDS)}
_COMPARED = tuple(f.name for f in fields(Post) if f.compare)


class BodyLost(Exception):
    """A kept body no longer decodes: the cache entry was not written by this engine."""


def _body_field(name: str) -> property:
    slot = _SLOTS[name]

    def get(post: LazyPost) -> Any:
        try:
            return slot.__get__(post, Post)
        except AttributeError:  # not decoded yet
            post.decode_body()
            return slot.__get__(post, Post)

    def put(post: LazyPost, value: Any) -> None:  # (for ``Post.__init__``: ``replace``)
        slot.__set__(post, value)

    return property(get, put)


class LazyPost(Post):
    """A cached post whose body is decoded on first use (see the module's text)."""

    __slots__ = ("_body", "_shared")
    _body: bytes
    _shared: Shared

    html = _body_field("html")
    toc = _body_field("toc")
    citations = _body_field("citations")
    further_reading = _body_field("further_reading")

    def decode_body(self) -> None:
        if not self._body:  # decoded already: its fields are set before the bytes go
            return
        try:
            values = decode(self._body, self._shared)
            if not isinstance(values, dict) or tuple(values) != BODY_FIELDS:
                raise DecodeError("not a post's body")
        except DecodeError as exc:  # (sealed by this engine when its head was: a bug)
            raise BodyLost(f"the cached body of {self.source} does not decode: {exc}") from None
        for name in BODY_FIELDS:
            value = values[name]
            _SLOTS[name].__set__(self, tuple(value) if isinstance(value, list) else value)
        object.__setattr__(self, "_body", b"")

    def __eq__(self, other: object) -> bool:  # (a dataclass's own needs the same type)
        if not isinstance(other, Post):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _COMPARED)

    __hash__ = Post.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return _plain_post, ({f.name: getattr(self, f.name) for f in fields(Post)},)


def _plain_post(values: dict[str, Any]) -> Post:
    return Post(**values)


def lazy_post(head: dict[str, Any], body: bytes, shared: Shared) -> LazyPost:
    """A post from its decoded head (``HEAD_FIELDS``, already checked) and its body's
    sealed bytes."""
    post = object.__new__(LazyPost)
    for name in HEAD_FIELDS:
        _SLOTS[name].__set__(post, head[name])
    object.__setattr__(post, "_body", body)
    object.__setattr__(post, "_shared", shared)
    return post


def split_post(post: Post) -> tuple[dict[str, Any], dict[str, Any]]:
    """A post's (head, body) fields, for an entry."""
    return ({name: getattr(post, name) for name in HEAD_FIELDS},
            {name: getattr(post, name) for name in BODY_FIELDS})
