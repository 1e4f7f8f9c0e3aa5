"""A Markdown source in, its front matter (with file line numbers) and body out.

python-frontmatter silently drops metadata for a missing closing fence or a
non-mapping block, and strips leading whitespace (shifting line numbers). We
find the fences on the raw text with the library's own fence rule, report each
of those cases, and compute every line offset from the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontmatter.default_handlers import YAMLHandler

from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.files import SourceFile
from clinicpress.sources.yamldata import YamlMap, YamlMemo, load_yaml

_HANDLER = YAMLHandler()


def _is_fence(line: str) -> bool:
    """A '---' line, by the same rule python-frontmatter uses."""
    return _HANDLER.FM_BOUNDARY.match(line) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    path: str
    meta: YamlMap
    body: str
    body_line: int  # file line of the body's first line


def split_document(source: SourceFile, diags: Diagnostics,
                   memo: YamlMemo | None = None) -> Document | None:
    """``memo``: front matter parsed by an earlier build, by its text
    (``incremental.front_matter_cache``)."""
    text = source.text
    lines = text.split("\n")
    if not text.strip():
        diags.error(source.path, 1, "the file is empty; it needs front matter "
                    "between two '---' lines, then the text")
        return None
    if not _is_fence(lines[0]):
        diags.error(source.path, 1, "must start with front matter: a line '---', "
                    "then 'title: ...' and the other keys, then '---'")
        return None
    closing = next((i for i, line in enumerate(lines[1:], start=1) if _is_fence(line)), None)
    if closing is None:
        diags.error(source.path, 1, "the front matter opened on line 1 is never "
                    "closed: add a line '---' after the last key")
        return None
    yaml_text = "\n".join(lines[1:closing])
    body = "\n".join(lines[closing + 1:])
    meta = load_yaml(yaml_text, source.path, 2, diags, memo)
    if meta is None:
        if not diags.has_errors():
            diags.error(source.path, 1, "the front matter is empty; add at least 'title:'")
        return None
    if not isinstance(meta, YamlMap):
        diags.error(source.path, 2, "the front matter must be 'key: value' lines, "
                    f"not a {'list' if isinstance(meta, list) else 'single value'}")
        return None
    return Document(path=source.path, meta=meta, body=body, body_line=closing + 2)
