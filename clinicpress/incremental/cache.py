"""A persistent cache of rendered posts and pages, keyed by content hashes.

A post's entry is found by the hash of everything it is rendered from that is
the same for every post (the engine's own source, config.yaml, image sizes)
plus its own source text. The entry also records the hash of each author and
reference the post used when it was rendered; it is only used when all of them
are unchanged, so editing an author's bio or one reference re-renders exactly
the posts that show them.

Entries are data, never code: JSON (``model_codec``) and page bytes, each
sealed with a key kept outside the site (``sealed``), so a cache committed in a
pull request is ignored, never trusted. The folder is ``<site>/.clinicpress-cache``
or the one given with ``--cache-dir``; a link there is an error. Entries not
used by a build are pruned.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinicpress.diagnostics import Diagnostic
from clinicpress.incremental.lazy_posts import HEAD_FIELDS, lazy_post, split_post
from clinicpress.incremental.model_codec import DecodeError, decode, encode
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.model import Author, Post, Reference
from clinicpress.sources.files import regular_file_bytes

if TYPE_CHECKING:  # (a type only: the up-to-date check does not load the front matter)
    from clinicpress.sources.front_matter import PostMeta

log = logging.getLogger(__name__)
_FORMAT = b"clinicpress-post-cache-4"
_ENTRY_NAME = re.compile(r"^\.?[0-9a-f]{64}(\.[0-9]+)?$")


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "little"))
        sha.update(part)
    return sha.hexdigest()


LIBRARIES = ("markdown", "jinja2", "markupsafe", "pyyaml", "nh3", "pagefind")


@functools.cache
def engine_fingerprint() -> str:
    """Changes whenever any file of the engine (code or theme) or the version of a
    library that shapes the output changes."""
    root = Path(__file__).parent.parent  # the whole package: code and theme
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    versions = repr([(name, _version(name)) for name in LIBRARIES]).encode()
    return _digest(_FORMAT, versions, *(p.relative_to(root).as_posix().encode() + p.read_bytes()
                                        for p in files))


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@dataclass
class PostCache:
    """Look up and store rendered posts; counts hits and misses for reports and tests."""

    folder: Path | None
    base_key: str
    author_hashes: Mapping[str, str]
    reference_hashes: Mapping[str, str]
    identifiers_hash: str = ""  # ids, DOIs and PMIDs of the whole bibliography
    shared: Mapping[tuple[str, str], object] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)
    _keys: dict[str, str] = field(default_factory=dict)
    _names: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path | None, shared: Iterable[bytes],
             authors: Mapping[str, Author],
             references: Mapping[str, Reference]) -> PostCache:
        """``folder``: where entries live (``sealed.cache_folder``), None for no cache."""
        return cls(
            folder=folder,
            base_key=_digest(engine_fingerprint().encode(), *shared),
            author_hashes={k: _digest(repr(v).encode()) for k, v in authors.items()},
            reference_hashes={k: _digest(repr(v).encode()) for k, v in references.items()},
            identifiers_hash=_digest(repr(sorted((r.id, r.doi, r.pmid)
                                                 for r in references.values())).encode()),
            shared={**{("author", k): v for k, v in authors.items()},
                    **{("reference", k): v for k, v in references.items()}},
        )

    def key(self, meta: PostMeta) -> str:
        """The entry's name; computed once per post (``get`` then ``put`` on a miss)."""
        known = self._keys.get(meta.document.path)
        if known is None:
            known = self._keys[meta.document.path] = self._compute_key(meta)
        return known

    def _compute_key(self, meta: PostMeta) -> str:
        # ``updated`` too: with --dates-from-git it comes from history, not from the file.
        return _digest(self.base_key.encode(), meta.document.path.encode(),
                       meta.document.body.encode(), repr(dict(meta.document.meta)).encode(),
                       repr(meta.updated).encode())

    def _current(self, dep: str) -> str:
        if dep == "bibliography:identifiers":
            return self.identifiers_hash
        kind, _, name = dep.partition(":")
        table = self.author_hashes if kind == "author" else self.reference_hashes
        return table.get(name, "missing")

    def get(self, meta: PostMeta) -> tuple[Post, list[Diagnostic]] | None:
        if self.folder is None:
            self.misses.append(meta.slug)
            return None
        key = self.key(meta)
        self._used.add(key)
        entry = self._load(key)
        if entry is None or any(self._current(dep) != value for dep, value in entry[3].items()):
            self.misses.append(meta.slug)
            return None
        self.hits.append(meta.slug)
        head, body, diagnostics, deps = entry
        head["identity"] = self.identity(key, deps)
        return lazy_post(head, body, self.shared), diagnostics

    def _load(self, key: str
              ) -> tuple[dict[str, Any], bytes, list[Diagnostic], dict[str, str]] | None:
        """The entry's post head (its fields checked), its body's bytes (``lazy_posts``),
        diagnostics and dependencies."""
        assert self.folder is not None
        data = read_sealed(self.folder, key)
        if data is None:
            return None
        head_text, _, body = data.partition(b"\n")  # (compact JSON has no line break)
        try:
            entry = decode(head_text, self.shared)
            head, diagnostics, deps = entry["post"], entry["diagnostics"], entry["deps"]
        except (DecodeError, KeyError, TypeError):
            return None
        if not isinstance(head, dict) or tuple(head) != HEAD_FIELDS or not body or \
                not isinstance(deps, dict) or not all(
                isinstance(d, Diagnostic) for d in diagnostics):
            return None
        return ({k: tuple(v) if isinstance(v, list) else v for k, v in head.items()}, body,
                list(diagnostics), deps)

    @staticmethod
    def identity(key: str, deps: Mapping[str, str]) -> str:
        """What a post is made from, as one digest: the entry's key (its source, the
        config, the engine) and the hashes of the authors and references it shows."""
        return _digest(key.encode(), repr(sorted(deps.items())).encode())

    def put(self, meta: PostMeta, post: Post, diagnostics: list[Diagnostic],
            cited: Iterable[str]) -> Post:
        """Keep a post just rendered; returns it with its ``identity`` (as is without a
        cache)."""
        if self.folder is None:
            return post
        deps = {f"author:{a}": self._current(f"author:{a}")
                for a in (*meta.author_ids, *([meta.reviewer_id] if meta.reviewer_id else []))}
        deps.update({f"reference:{r}": self._current(f"reference:{r}") for r in cited})
        if meta.references:  # its own entries are checked against all ids, DOIs and PMIDs
            deps["bibliography:identifiers"] = self.identifiers_hash
        key = self.key(meta)
        self._used.add(key)
        if not self._names:
            self._names.update({id(obj): name for name, obj in self.shared.items()})
        head, body = split_post(post)
        entry = {"post": head, "diagnostics": diagnostics, "deps": deps}
        write_sealed(self.folder, key, (encode(entry, self._names) + "\n"
                                        + encode(body, self._names)).encode())
        return replace(post, identity=self.identity(key, deps))

    def prune(self) -> None:
        """Remove entries this build did not use (deleted or changed posts)."""
        prune_entries(self.folder, self._used)


@dataclass
class PageCache:
    """Rendered post and list pages by a key that covers everything their templates can
    read (``render.cached_pages``)."""

    folder: Path | None
    hits: int = 0
    used: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, cache: Path | None, language: str = "") -> PageCache:
        """``cache``: the cache folder (``sealed.cache_folder``), None for no cache;
        ``language``: a translation's own folder (each prunes only its own pages)."""
        name = f"pages-{language}" if language else "pages"
        return cls(folder=cache / name if cache is not None else None)

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        self.used.add(key)
        data = read_sealed(self.folder, key)
        if data is not None:
            self.hits += 1
        return data

    def put(self, key: str, content: bytes) -> None:
        if self.folder is None:
            return
        self.used.add(key)
        write_sealed(self.folder, key, content)

    def prune(self) -> None:
        prune_entries(self.folder, self.used)


def prune_entries(folder: Path | None, used: set[str]) -> None:
    """Delete the cache entries in ``folder`` (and temporary files of killed writes) that a
    build did not use; nothing else (a link is deleted as a link, never followed)."""
    if folder is None or not folder.is_dir():
        return
    for entry in folder.iterdir():
        if _ENTRY_NAME.match(entry.name) and entry.name not in used:
            entry.unlink(missing_ok=True)


def site_context_key(*parts: bytes) -> str:
    """The part of a page's key that every page shares."""
    return _digest(*parts)


def page_key(context_key: str, *parts: bytes) -> str:
    return _digest(context_key.encode(), *parts)


def folder_fingerprint(*folders: Path) -> bytes:
    """Names and contents of every file in the folders (templates)."""
    files = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")
                   if p.is_file())
    return _digest(*(str(p).encode() + (regular_file_bytes(p) or b"") for p in files)).encode()
