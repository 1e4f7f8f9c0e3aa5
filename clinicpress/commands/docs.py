"""The README's option tables, written from the declarations (``schema.Field``).

``python -m clinicpress.commands.docs`` rewrites the tables between the
``<!-- options: NAME -->`` and ``<!-- /options -->`` markers in README.md; a
test fails when the README and the declarations differ, so an option is
declared once and documented where it is declared.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clinicpress.sources.config import SCHEMA
from clinicpress.sources.front_matter import POST_FIELDS
from clinicpress.sources.schema import Field

TABLES: dict[str, tuple[Sequence[Field], str]] = {
    "front-matter": (POST_FIELDS, "required"),
    "config": (SCHEMA, "default"),
}
_BLOCK = re.compile(r"(<!-- options: ([a-z-]+) -->\n)(.*?)(<!-- /options -->)", re.DOTALL)


def _default(value: Any) -> str:
    if value is None or value == ():
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f"`{value}`" if value else "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def table(name: str) -> str:
    fields, second = TABLES[name]
    rows = [f"| key | {second} | what it is |", "|---|---|---|"]
    for field in fields:
        if second == "required":
            column = "yes" if field.required else "no"
        else:
            column = "required" if field.required else _default(field.default)
        rows.append(f"| `{field.name}` | {column} | {field.help} |")
    return "\n".join(rows) + "\n"


def with_tables(readme: str) -> str:
    return _BLOCK.sub(lambda m: m.group(1) + table(m.group(2)) + m.group(4), readme)


def main(argv: list[str] | None = None) -> int:
    path = Path(argv[0] if argv else "README.md")
    path.write_text(with_tables(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
