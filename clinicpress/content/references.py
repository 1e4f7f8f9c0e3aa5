"""CSL items (CSL-YAML in front matter or content/references.yaml, CSL-JSON from
Zotero) in, checked ``Reference`` values out.

Errors: a missing id, a DOI that is not ``10.NNNN/...``, a PMID that is not
digits, a URL that is not http(s), two entries with one id. Warnings: the same
DOI or PMID under two ids, a misspelt field name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from clinicpress.diagnostics import Diagnostics, did_you_mean
from clinicpress.model import PersonName, Reference
from clinicpress.sources.files import SourceFile
from clinicpress.sources.yamldata import YamlList, YamlMap, load_yaml

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")
_FIELDS = (
    "id", "type", "author", "editor", "title", "container-title", "container-title-short",
    "journalAbbreviation", "publisher", "publisher-place", "edition", "issued", "accessed",
    "volume", "issue", "page", "DOI", "PMID", "PMCID", "URL", "note", "language", "ISSN",
    "abstract", "source", "collection-title", "number", "genre", "medium",
)
_CANONICAL = {name.lower(): name for name in _FIELDS}


def parse_reference(data: Any, line: int, path: str, diags: Diagnostics) -> Reference | None:
    """One CSL item; ``None`` after reporting why it cannot be used."""
    if not isinstance(data, dict):
        diags.error(path, line, "a reference must be a mapping with 'id', 'title', ...")
        return None
    item, lines = _canonical_keys(data, line, path, diags)
    ok = True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        ok = False
        diags.error(path, lines.get(key, line), message)

    ref_id = item.get("id")
    if not isinstance(ref_id, (str, int)) or not str(ref_id).strip():
        fail("id", "a reference needs an 'id' (the key you cite as [@id])")
        ref_id = ""
    ref_id = str(ref_id).strip()
    doi = _text(item.get("DOI")).removeprefix("https://doi.org/").removeprefix("doi:").strip()
    if doi and not DOI.match(doi):
        fail("DOI", f"reference '{ref_id}': DOI '{doi}' is not of the form 10.NNNN/...")
    pmid = _text(item.get("PMID"))
    if pmid and not PMID.match(pmid):
        fail("PMID", f"reference '{ref_id}': PMID '{pmid}' must be digits only")
    url = _text(item.get("URL"))
    if url and not re.match(r"^https?://\S+$", url, re.IGNORECASE):
        fail("URL", f"reference '{ref_id}': URL '{url}' must start with http:// or https://")
    authors = _names(item.get("author"), "author", fail)
    editors = _names(item.get("editor"), "editor", fail)
    issued = _date_parts(item.get("issued"), "issued", fail)
    accessed = _date_parts(item.get("accessed"), "accessed", fail)
    title = _text(item.get("title"))
    if ok and not title:
        fail("id", f"reference '{ref_id}' has no 'title'")
    if not ok:
        return None
    csl = dict(item)
    csl["type"] = _text(item.get("type")) or "article-journal"
    csl.update(id=ref_id, DOI=doi) if doi else csl.update(id=ref_id)
    for key, parts in (("issued", issued), ("accessed", accessed)):
        if parts:
            csl[key] = {"date-parts": [list(parts)]}
    return Reference(
        csl=json.dumps(csl, sort_keys=True, ensure_ascii=False, default=str),
        id=ref_id,
        type=_text(item.get("type")) or "article-journal",
        authors=authors,
        editors=editors,
        title=title,
        container_title=_text(item.get("container-title")),
        container_title_short=_text(item.get("container-title-short"))
        or _text(item.get("journalAbbreviation")),
        publisher=_text(item.get("publisher")),
        edition=_text(item.get("edition")),
        year=issued[0] if issued else None,
        month=issued[1] if issued and len(issued) > 1 else None,
        day=issued[2] if issued and len(issued) > 2 else None,
        accessed=date(*accessed[:3]) if accessed and len(accessed) == 3 else None,
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        page=_text(item.get("page")).replace("–", "-"),
        doi=doi,  # as registered; compared without case where it matters
        pmid=pmid,
        url=url,
        source=path,
        line=line,
    )


def _canonical_keys(data: dict[str, Any], line: int, path: str,
                    diags: Diagnostics) -> tuple[dict[str, Any], dict[str, int]]:
    item: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, value in data.items():
        key_line = data.line_of(key) if isinstance(data, YamlMap) else line
        name = _CANONICAL.get(str(key).lower())
        if name is None:
            hint = did_you_mean(str(key), _FIELDS)
            if hint:
                diags.warning(path, key_line, f"unknown reference field '{key}'{hint}")
            continue
        item[name] = value
        lines[name] = key_line
    return item, lines


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _names(value: Any, key: str, fail: Any) -> tuple[PersonName, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        fail(key, f"'{key}' must be a list of {{family, given}} names")
        return ()
    names = []
    for item in value:
        if not isinstance(item, dict) or not (item.get("family") or item.get("literal")):
            fail(key, f"every '{key}' needs 'family' (and 'given') or 'literal'")
            continue
        particle = " ".join(_text(item.get(k)) for k in
                            ("dropping-particle", "non-dropping-particle") if item.get(k))
        names.append(PersonName(family=_text(item.get("family")), given=_text(item.get("given")),
                                particle=particle, suffix=_text(item.get("suffix")),
                                literal=_text(item.get("literal"))))
    return tuple(names)


def _date_parts(value: Any, key: str, fail: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, (int, str)) and re.match(r"^\d{4}(-\d{2}){0,2}$", str(value)):
        parts = tuple(int(p) for p in str(value).split("-"))
    elif isinstance(value, dict) and value.get("date-parts") and isinstance(
            value["date-parts"], list) and isinstance(value["date-parts"][0], list):
        raw = value["date-parts"][0]
        if not raw or not all(isinstance(p, (int, str)) and str(p).isdigit() for p in raw):
            fail(key, f"'{key}': date-parts must be numbers like [[2017, 6]]")
            return ()
        if any(len(str(p)) > 4 for p in raw):
            fail(key, f"'{key}' {str(raw)[:40]} is not a real date")
            return ()
        parts = tuple(int(p) for p in raw[:3])
    else:
        fail(key, f"'{key}' must be like {{date-parts: [[2017, 6]]}} or 2017-06")
        return ()
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, OverflowError):
        fail(key, f"'{key}' {list(parts)} is not a real date")
        return ()
    return parts


def parse_reference_list(value: Any, line: int, path: str,
                         diags: Diagnostics) -> tuple[Reference, ...]:
    """A list of CSL items (front matter ``references:`` or a bibliography file)."""
    if not isinstance(value, list):
        diags.error(path, line, "'references' must be a list of CSL items (- id: ...)")
        return ()
    item_lines = value.item_lines if isinstance(value, YamlList) else [line] * len(value)
    refs = (parse_reference(item, item_line, path, diags)
            for item, item_line in zip(value, item_lines, strict=True))
    return tuple(ref for ref in refs if ref is not None)


def load_bibliography(sources: Iterable[SourceFile], diags: Diagnostics) -> dict[str, Reference]:
    """The site-wide references (``content/references.yaml`` or ``.json``), by id."""
    refs: list[Reference] = []
    for source in sources:
        if source.path.endswith(".json"):
            refs.extend(_load_csl_json(source, diags))
        else:
            data = load_yaml(source.text, source.path, 1, diags)
            if isinstance(data, YamlMap) and "references" in data:
                data = data["references"]
            if data is not None:
                refs.extend(parse_reference_list(data, 1, source.path, diags))
    return index_references(refs, diags)


def _load_csl_json(source: SourceFile, diags: Diagnostics) -> list[Reference]:
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        diags.error(source.path, exc.lineno, f"invalid JSON: {exc.msg}")
        return []
    except RecursionError:
        diags.error(source.path, 1, "the JSON is nested too deeply to be a list of references")
        return []
    except ValueError as exc:  # a number with thousands of digits, say
        diags.error(source.path, 1, f"invalid JSON: {exc}")
        return []
    if not isinstance(data, list):
        diags.error(source.path, 1, "a CSL-JSON file must hold a list of items")
        return []
    refs = []
    cursor = 0
    for item in data:
        item_id = item.get("id") if isinstance(item, dict) else None
        pattern = r'"id"\s*:\s*' + re.escape(json.dumps(item_id)) if item_id is not None else r"\{"
        found = re.compile(pattern).search(source.text, cursor)
        cursor = found.end() if found else cursor
        line = source.text.count("\n", 0, found.start() if found else cursor) + 1
        ref = parse_reference(item, line, source.path, diags)
        if ref is not None:
            refs.append(ref)
    return refs


def index_references(refs: Iterable[Reference], diags: Diagnostics) -> dict[str, Reference]:
    """Refs by id; two entries with one id are an error, one DOI/PMID twice a warning."""
    by_id: dict[str, Reference] = {}
    by_doi: dict[str, Reference] = {}
    by_pmid: dict[str, Reference] = {}
    for ref in refs:
        first = by_id.get(ref.id)
        if first is not None:
            diags.error(ref.source, ref.line, f"two references have the id '{ref.id}' "
                        f"(the other is at {first.source}:{first.line})")
            continue
        by_id[ref.id] = ref
        for key, seen, label in ((ref.doi.lower(), by_doi, "DOI"), (ref.pmid, by_pmid, "PMID")):
            if key and key in seen:
                diags.warning(ref.source, ref.line, f"reference '{ref.id}' has the same {label} "
                              f"{key} as '{seen[key].id}'; cite one id for one source",
                              code="same-reference")
            elif key:
                seen[key] = ref
    return by_id
