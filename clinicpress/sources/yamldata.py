"""YAML text in, plain values with line numbers out.

PyYAML follows YAML 1.1, where ``NO`` is false, ``12:30`` is 750 and ``01234``
is octal. We compose the node graph with the (C, when present) parser, then
convert nodes ourselves with YAML 1.2 core rules: only ``true``/``false`` are
booleans, only plain decimal numbers are numbers, and dates stay text (the
schema parses them, so an impossible date gets a line number). Mappings come
back as ``YamlMap`` (a dict that knows the line of each key), sequences as
``YamlList``. Duplicate keys, aliases, merge keys and explicit tags such as
``!!python/object`` are reported, never executed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from clinicpress.diagnostics import Diagnostics

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
MAX_DEPTH = 30
MAX_NODES = 20_000
MAX_NUMBER_DIGITS = 18


class _Loader(_BaseLoader):  # type: ignore[misc]
    """A safe loader whose implicit types follow YAML 1.2 core rules."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(_TAG + "bool", _BOOL, list("tTfF"))
_Loader.add_implicit_resolver(_TAG + "int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver(_TAG + "float", _FLOAT, list("-+.0123456789"))
_Loader.add_implicit_resolver(_TAG + "null", _NULL, ["~", "n", "N", ""])


class YamlMap(dict[str, Any]):
    """A mapping that remembers the file line of itself and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A sequence that remembers its own line and each item's line."""

    line: int
    item_lines: list[int]


class _Invalid(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Parsed:
    """What parsing a text without errors gave: its value and its warnings (line, text)."""

    value: Any
    warnings: list[tuple[int, str]]


class YamlMemo(Protocol):
    """Parsed texts kept between builds (``incremental.front_matter_cache``)."""

    def recall(self, text: str, path: str, first_line: int) -> Parsed | None: ...

    def keep(self, text: str, path: str, first_line: int, parsed: Parsed) -> None: ...


def load_yaml(text: str, path: str, first_line: int, diags: Diagnostics,
              memo: YamlMemo | None = None) -> Any:
    """Parse ``text`` whose first line is line ``first_line`` of ``path``.

    Returns the value, or ``None`` after reporting an error. With ``memo``, a text
    parsed before without errors is not parsed again (same value, same warnings).
    """
    if memo is not None:
        known = memo.recall(text, path, first_line)
        if known is not None:
            for line, message in known.warnings:
                diags.warning(path, line, message)
            return known.value
        found = Diagnostics()
        value = load_yaml(text, path, first_line, found)
        diags.extend(list(found))
        if value is not None and not found.has_errors():
            memo.keep(text, path, first_line, Parsed(value, [
                (d.line or first_line, d.message) for d in found]))
        return value
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        raw = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        diags.error(path, line, "invalid YAML: " + _explain(exc, raw))
        return None
    except yaml.YAMLError as exc:
        diags.error(path, first_line, f"invalid YAML: {exc}")
        return None
    except RecursionError:
        diags.error(path, first_line, "invalid YAML: nested too deeply")
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    converter = _Converter(offset, text.splitlines())
    try:
        return converter.convert(node, 0)
    except _Invalid as exc:
        diags.error(path, exc.line, exc.message)
        return None
    finally:
        for line, message in converter.warnings:
            diags.warning(path, line, message)


def _explain(exc: yaml.MarkedYAMLError, raw_line: str) -> str:
    problem = (exc.problem or str(exc)).strip()
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = " (a value that contains ': ' must be put in quotes)"
    elif "\t" in raw_line[: len(raw_line) - len(raw_line.lstrip())] or "'\\t'" in problem:
        hint = " (indent YAML with spaces, not tabs)"
    elif "could not find expected ':'" in problem:
        hint = " (is a line missing 'key: value', or a quote left open?)"
    return problem + hint


class _Converter:
    def __init__(self, offset: int, lines: list[str]) -> None:
        self.offset = offset
        self.lines = lines
        self.seen: set[int] = set()
        self.warnings: list[tuple[int, str]] = []

    def line(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line + 1

    def convert(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Invalid(self.line(node), f"YAML nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.seen:
            raise _Invalid(self.line(node),
                           "YAML anchors and aliases (&name, *name) are not supported")
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise _Invalid(self.line(node), f"YAML has more than {MAX_NODES} values")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, depth)
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YamlMap:
        if node.tag != _TAG + "map":
            raise _Invalid(self.line(node), f"unsupported YAML tag '{node.tag}'")
        result = YamlMap()
        result.line = self.line(node)
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            line = self.line(key_node)
            if key == "<<" and key_node.tag == _TAG + "merge":
                raise _Invalid(line, "YAML merge keys (<<) are not supported")
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                raise _Invalid(
                    line, f"duplicate key '{key}' (first set on line {result.key_lines[key]})"
                )
            result.key_lines[key] = line
            result[key] = self.convert(value_node, depth + 1)
        return result

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> YamlList:
        if node.tag != _TAG + "seq":
            raise _Invalid(self.line(node), f"unsupported YAML tag '{node.tag}'")
        result = YamlList(self.convert(item, depth + 1) for item in node.value)
        result.line = self.line(node)
        result.item_lines = [self.line(item) for item in node.value]
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        value: str = node.value
        if tag == _TAG + "str":
            self._check_comment(node)
            return value
        if tag == _TAG + "int":
            if len(value) > MAX_NUMBER_DIGITS:
                raise _Invalid(self.line(node), f"a number of {len(value)} digits is too long "
                               "(at most 18); put it in quotes if it is text")
            return int(value)
        if tag == _TAG + "float":
            number = float(value)
            if not math.isfinite(number) or len(value) > 40:
                raise _Invalid(self.line(node), f"'{value[:40]}' is not an ordinary number; "
                               "put it in quotes if it is text")
            return number
        if tag == _TAG + "bool":
            return value.lower() == "true"
        if tag == _TAG + "null":
            return None
        raise _Invalid(self.line(node), f"unsupported YAML tag '{tag}'")

    def _check_comment(self, node: yaml.ScalarNode) -> None:
        """Warn when ' #' silently cut a plain value short (``Update #2``)."""
        if node.style:  # quoted or block scalar; plain is None or ''
            return
        end = node.end_mark
        if end.line >= len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        if rest.lstrip().startswith("#") and rest.startswith((" ", "\t")) and node.value:
            self.warnings.append(
                (
                    self.offset + end.line + 1,
                    f"' #' starts a YAML comment, so the value is only '{node.value}'; "
                    "put the whole value in quotes if the '#' belongs to it",
                )
            )
