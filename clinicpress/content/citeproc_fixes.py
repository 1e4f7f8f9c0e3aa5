"""Corrections to citeproc-py 0.11 where it differs from the CSL specification and from
citeproc-js (the reference implementation), made inside the processor, once, on import.

1. Page ranges: ``FormatNumber._format_last_page`` follows the style's
   ``page-range-format`` as the specification says (``page_ranges.format_last_page``).
2. Substitution: a variable printed in place of a missing author (an edited book's
   editors, a web page's title) must not be printed a second time. citeproc-py records
   only a substituted ``<text variable>``; it now records every variable the substitute
   printed (through macros too: the variables are recorded as they are printed), and
   ``<names>`` and ``<text>`` skip them.

Each rule is tested against citeproc-js in ``tests/test_csl.py``.

One change is for speed only: ``xpath_search`` (a fifth of citeproc-py's time) answers
from a memo. A style's tree never changes while it formats, so the same element and
expression always find the same elements; the memo holds the element, so lxml keeps
giving the same Python object for it (and the attributes citeproc-py sets on it).
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from clinicpress.content.page_ranges import format_last_page

_SUPPRESSED = "clinicpress:substituted"


def _format_last_page(self: Any, first: str, last: str) -> str:
    return format_last_page(first, last, self.get_root().get_option("page-range-format"))


_printed: list[set[str]] = []  # variables printed while a substitute renders, innermost last
_original_substitute = model.Substitute.render


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    _printed.append(set())
    try:
        text = _original_substitute(self, item, context=context, **kwargs)
    finally:
        printed = _printed.pop()
    if text and context is not None:
        context.get_layout().repressed.setdefault(_SUPPRESSED, set()).update(printed)
    return text


def _suppressed(element: Any, context: Any) -> set[str]:
    layout = context.get_layout() if context is not None else None
    return getattr(layout, "repressed", {}).get(_SUPPRESSED, set()) if layout else set()


_original_variable = model.Text._variable


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    if self.get("variable") in _suppressed(self, context):
        return None
    text = _original_variable(self, item, context)
    if text and _printed:
        _printed[-1].add(self.get("variable"))
    return text


_original_names_render = model.Names.render


def _names_render(self: Any, item: Any, names_context: Any = None, context: Any = None,
                  **kwargs: Any) -> Any:
    variables = set((self.get("variable") or "").split())
    present = {v for v in variables if v.replace("-", "_") in item.reference}
    if present and present <= _suppressed(self, context):
        raise model.VariableError
    text = _original_names_render(self, item, names_context=names_context, context=context,
                                  **kwargs)
    if text and _printed:
        _printed[-1].update(variables)
    return text


_original_xpath = model.CitationStylesElement.xpath_search
_found: dict[tuple[Any, str], list[Any]] = {}


def _xpath_search(self: Any, expression: str) -> list[Any]:
    key = (self, expression)
    found = _found.get(key)
    if found is None:
        found = _found[key] = _original_xpath(self, expression)
    return list(found)


model.CitationStylesElement.xpath_search = _xpath_search
model.FormatNumber._format_last_page = _format_last_page
model.Substitute.render = _substitute_render
model.Text._variable = _text_variable
model.Names.render = _names_render
