"""What a post cited (in order) and what it listed, in; numbered ``Citation``s out.

AMA numbers references in order of first citation; references a post lists
but never cites come after, so the list always shows everything the writer gave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clinicpress.content.citestyle import format_reference
from clinicpress.markdown.extensions import CitationState, anchor_for
from clinicpress.model import Citation, Reference


def number_citations(state: CitationState, listed: Sequence[Reference],
                     known: Mapping[str, Reference], style: str) -> tuple[Citation, ...]:
    keys = [key for key in state.order if key in known]
    keys += [ref.id for ref in listed if ref.id not in keys]
    return tuple(
        Citation(
            number=number,
            reference=known[key],
            html=format_reference(known[key], style),
            anchor=anchor_for(key),
            backlink=("cite-" + anchor_for(key)[4:]) if key in state.counts else None,
        )
        for number, key in enumerate(keys, start=1)
    )
