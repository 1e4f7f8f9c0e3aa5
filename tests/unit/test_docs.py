"""Each option is declared once (``schema.Field``, with its help text); the README's
tables are written from those declarations and must not drift from them."""

from __future__ import annotations

from clinicpress.commands.docs import TABLES, with_tables
from conftest import ROOT


def test_the_readme_tables_are_the_declared_options() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"<!-- options: {name} -->" in readme
    assert readme == with_tables(readme), (
        "README.md's option tables differ from the declarations: run "
        "'.venv/bin/python -m clinicpress.commands.docs' and commit the result")


def test_every_declared_option_has_help() -> None:
    for fields, _ in TABLES.values():
        assert [f.name for f in fields if not f.help] == []
