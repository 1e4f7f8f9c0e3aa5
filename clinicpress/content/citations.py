"""What a post cited (in order) and what it listed, in; numbered ``Citation``s out.

AMA numbers references in order of first citation; references a post lists
but never cites come after, so the list always shows everything the writer gave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from markupsafe import Markup

from clinicpress.content.csl import FormatError, format_item, linked_entry
from clinicpress.diagnostics import Diagnostics
from clinicpress.markdown.extensions import CitationState, anchor_for
from clinicpress.model import Citation, Reference


def number_citations(state: CitationState, listed: Sequence[Reference],
                     known: Mapping[str, Reference], style_file: str,
                     diags: Diagnostics, locale: str = "en-US") -> tuple[Citation, ...]:
    """``style_file``: the .csl file of the site's ``citation_style``. A reference the
    processor cannot format is an error at its line (and shows its title meanwhile)."""
    keys = [key for key in state.order if key in known]
    keys += [ref.id for ref in listed if ref.id not in keys]
    return tuple(
        Citation(
            number=number,
            reference=known[key],
            html=_entry(known[key], style_file, diags, locale),
            anchor=anchor_for(key),
            backlink=("cite-" + anchor_for(key)[4:]) if key in state.counts else None,
        )
        for number, key in enumerate(keys, start=1)
    )


def _entry(ref: Reference, style_file: str, diags: Diagnostics, locale: str) -> Markup:
    try:
        return linked_entry(format_item(ref.csl, style_file, locale), ref)
    except FormatError as exc:
        diags.error(ref.source, ref.line, f"reference '{ref.id}' cannot be formatted in the "
                    f"style '{Path(style_file).stem}' ({exc}); check its fields")
        return Markup.escape(ref.title)
