"""Parsed front matter kept between builds, keyed by the text it was parsed from.

Reading YAML is most of what a build spends on a source it does not render again: a
post that lists its own references carries hundreds of YAML values (about 3 ms each
on the long-post benchmark corpus, where the rest of an unchanged post costs almost
nothing). A front matter whose text, file and first line are unchanged comes back from
here, with the same line numbers and the same warnings, without being parsed.

An entry is JSON (maps and lists with their lines, then plain values, rebuilt by
``json.loads``'s object hook), sealed like every cache file (``sealed``), so only this
machine's own entries are read; one that is damaged or of another shape is ignored
and the text parsed again. Only front matter that parsed without errors is
kept. Entries a build did not use are pruned.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinicpress.incremental.cache import engine_fingerprint, prune_entries
from clinicpress.incremental.sealed import read_sealed, write_sealed
from clinicpress.sources.yamldata import Parsed, YamlList, YamlMap


class _Shape(ValueError):
    """An entry that is not what this module writes."""


# A map is a JSON object with its line and its keys' lines under _MAP; a list is an
# object with its line and items' lines under _LIST and its items under _ITEMS. YAML
# text cannot hold the NUL character, so no key of the front matter can be one of these.
_MAP, _LIST, _ITEMS = "\x00m", "\x00l", "\x00i"


def _encode(value: Any) -> Any:
    if isinstance(value, YamlMap):
        return {_MAP: [value.line, [value.key_lines[k] for k in value]],
                **{k: _encode(v) for k, v in value.items()}}
    if isinstance(value, YamlList):
        return {_LIST: [value.line, value.item_lines], _ITEMS: [_encode(v) for v in value]}
    return value


def _decode(data: dict[str, Any]) -> Any:
    """``json.loads``'s object hook: each object back to a map or list with its lines."""
    if _MAP in data:
        line, key_lines = data.pop(_MAP)
        result = YamlMap(data)
        result.line = int(line)
        result.key_lines = dict(zip(result, key_lines, strict=True))
        return result
    if _LIST in data and _ITEMS in data:
        line, item_lines = data[_LIST]
        seq = YamlList(data[_ITEMS])
        seq.line = int(line)
        seq.item_lines = item_lines
        if len(item_lines) != len(seq):
            raise _Shape("a list whose lines do not match its items")
        return seq
    raise _Shape("an object that is neither a map nor a list")


@dataclass
class FrontMatterCache:
    """``recall`` and ``keep`` for ``yamldata.load_yaml``; ``prune`` after the build."""

    folder: Path | None
    hits: int = 0
    _used: set[str] = field(default_factory=set)

    @staticmethod
    def _name(text: str, path: str, first_line: int) -> str:
        sha = hashlib.sha256(engine_fingerprint().encode())
        for part in (path, str(first_line), text):
            data = part.encode()
            sha.update(len(data).to_bytes(8, "little"))
            sha.update(data)
        return sha.hexdigest()

    def recall(self, text: str, path: str, first_line: int) -> Parsed | None:
        if self.folder is None:
            return None
        name = self._name(text, path, first_line)
        self._used.add(name)
        data = read_sealed(self.folder, name)
        if data is None:
            return None
        try:
            value, warnings = json.loads(data, object_hook=_decode)
            warnings = [(int(line), str(message)) for line, message in warnings]
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        self.hits += 1
        return Parsed(value=value, warnings=warnings)

    def keep(self, text: str, path: str, first_line: int, parsed: Parsed) -> None:
        if self.folder is None:
            return
        name = self._name(text, path, first_line)
        self._used.add(name)
        entry = [_encode(parsed.value), parsed.warnings]
        write_sealed(self.folder, name, json.dumps(entry, ensure_ascii=False).encode())

    def prune(self) -> None:
        """Remove the entries of front matter this build did not read."""
        prune_entries(self.folder, self._used)
