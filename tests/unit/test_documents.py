from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.documents import split_document
from clinicpress.sources.files import SourceFile, decode_source


def test_bom_and_crlf_give_the_same_document() -> None:
    clean = b"---\ntitle: A\n---\nBody line\n"
    messy = b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nBody line\r\n"
    diags = Diagnostics()
    a = split_document(SourceFile(path="a.md", text=decode_source("a.md", clean, diags) or ""), diags)
    b = split_document(SourceFile(path="b.md", text=decode_source("b.md", messy, diags) or ""), diags)
    assert a is not None and b is not None
    assert (a.meta, a.body, a.body_line) == (b.meta, b.body, b.body_line)
    assert len(diags) == 0


def test_a_body_that_starts_with_a_rule_keeps_its_first_paragraph() -> None:
    diags = Diagnostics()
    doc = split_document(SourceFile(path="a.md", text="---\ntitle: A\n---\n---\nFirst.\n"), diags)
    assert doc is not None and doc.body == "---\nFirst.\n" and doc.body_line == 4


def test_leading_blank_lines_shift_nothing() -> None:
    diags = Diagnostics()
    doc = split_document(SourceFile(path="a.md", text="---\n\n\ntitle: A\n---\nx"), diags)
    assert doc is not None and doc.meta.line_of("title") == 4


def test_bad_bytes_name_their_line() -> None:
    diags = Diagnostics()
    assert decode_source("a.md", b"ok\nok\nbad \xff\n", diags) is None
    assert [d.format() for d in diags] == [
        "a.md:3: error: is not UTF-8 text (byte 0xff); save the file as UTF-8"]
