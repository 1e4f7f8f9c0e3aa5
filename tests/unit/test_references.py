import json

from clinicpress.content.references import load_bibliography
from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.files import SourceFile


def test_csl_json_from_zotero_with_lines_and_duplicates() -> None:
    items = [
        {"id": "a", "type": "article-journal", "title": "A", "DOI": "https://doi.org/10.1000/ABC",
         "author": [{"family": "Smith", "given": "Jo"}], "issued": {"date-parts": [["2020", "5"]]},
         "journalAbbreviation": "J Test"},
        {"id": "b", "type": "article-journal", "title": "B", "DOI": "10.1000/abc"},
        {"id": "a", "type": "article-journal", "title": "A again"},
    ]
    text = json.dumps(items, indent=2)
    diags = Diagnostics()
    refs = load_bibliography([SourceFile(path="content/references.json", text=text)], diags)
    assert refs["a"].doi == "10.1000/ABC"  # as registered and refs["a"].year == 2020 and refs["a"].month == 5
    assert refs["a"].container_title_short == "J Test"
    messages = [d.format() for d in diags]
    lines = text.splitlines()
    line_a, line_b, line_a2 = (i + 1 for i, line in enumerate(lines) if '"id": ' in line)
    assert messages == [
        f"content/references.json:{line_b}: warning: reference 'b' has the same DOI 10.1000/abc "
        "as 'a'; cite one id for one source",
        f"content/references.json:{line_a2}: error: two references have the id 'a' (the other "
        f"is at content/references.json:{line_a})",
    ]


def test_misspelt_field_gets_a_hint() -> None:
    diags = Diagnostics()
    load_bibliography([SourceFile(path="r.yaml", text="- id: x\n  title: X\n  contianer-title: J\n")],
                      diags)
    assert [d.format() for d in diags] == [
        "r.yaml:3: warning: unknown reference field 'contianer-title' (did you mean "
        "'container-title'?)"]
