"""The AMA (11th ed.) and Vancouver examples a health writer will compare against."""

from markupsafe import Markup

from clinicpress.content.citestyle import abbreviate_pages, format_reference, initials
from clinicpress.model import PersonName, Reference


def names(*pairs: tuple[str, str]) -> tuple[PersonName, ...]:
    return tuple(PersonName(family=f, given=g) for f, g in pairs)


GRAVEN = Reference(
    id="graven-nielsen-2000", type="article-journal",
    authors=names(("Graven-Nielsen", "T."), ("Aspegren Kendall", "S."), ("Henriksson", "K. G."),
                  ("Bengtsson", "M."), ("Sörensen", "J."), ("Johnson", "A."), ("Mohr", "G.")),
    title="Ketamine reduces muscle pain, temporal summation, and referred pain in "
          "fibromyalgia patients",
    container_title="Pain", container_title_short="Pain", year=2000, month=4,
    volume="85", issue="3", page="483-491", pmid="10781923",
)


def plain(html: Markup) -> str:
    import re

    return re.sub(r"<[^>]+>", "", str(html))


def test_ama_example_from_the_guide() -> None:
    html = format_reference(GRAVEN, "ama")
    assert plain(html).startswith(
        "Graven-Nielsen T, Aspegren Kendall S, Henriksson KG, et al. Ketamine reduces muscle "
        "pain, temporal summation, and referred pain in fibromyalgia patients. Pain. "
        "2000;85(3):483-491.")
    assert "<i>Pain</i>." in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/10781923/">10781923</a>' in html


def test_ama_lists_all_authors_up_to_six() -> None:
    six = Reference(id="x", type="article-journal", authors=GRAVEN.authors[:6], title="T",
                    container_title_short="J", year=2020, volume="1", page="1-2")
    text = plain(format_reference(six, "ama"))
    assert text.startswith("Graven-Nielsen T, Aspegren Kendall S, Henriksson KG, Bengtsson M, "
                           "Sörensen J, Johnson A. T.")
    assert "et al" not in text


def test_vancouver_six_then_et_al_and_short_pages() -> None:
    text = plain(format_reference(GRAVEN, "vancouver"))
    assert text.startswith("Graven-Nielsen T, Aspegren Kendall S, Henriksson KG, Bengtsson M, "
                           "Sörensen J, Johnson A, et al. Ketamine")
    assert "Pain. 2000;85(3):483-91." in text


def test_doi_is_lower_case_linked_and_has_no_final_period() -> None:
    ref = Reference(id="woolf", type="article-journal",
                    authors=(PersonName(family="Woolf", given="C. J."),),
                    title="Central sensitization: implications for the diagnosis and treatment "
                          "of pain", container_title_short="Pain", year=2011, volume="152",
                    issue="3 Suppl", page="S2-S15", doi="10.1016/j.pain.2010.09.030")
    html = format_reference(ref, "ama")
    assert plain(html) == ("Woolf CJ. Central sensitization: implications for the diagnosis and "
                           "treatment of pain. Pain. 2011;152(3 Suppl):S2-S15. "
                           "doi:10.1016/j.pain.2010.09.030")
    assert '<a href="https://doi.org/10.1016/j.pain.2010.09.030">' in html


def test_particles_literals_and_missing_parts() -> None:
    ref = Reference(id="p", type="article-journal",
                    authors=(PersonName(family="Hilten", given="J. J.", particle="van"),
                             PersonName(literal="Lancet Low Back Pain Series Working Group")),
                    title="A title?", container_title_short="Lancet", year=2018, volume="391",
                    page="2356-2367")
    assert plain(format_reference(ref, "ama")) == (
        "van Hilten JJ, Lancet Low Back Pain Series Working Group. A title? Lancet. "
        "2018;391:2356-2367.")


def test_issue_without_volume_and_url_only_items() -> None:
    cochrane = Reference(id="c", type="article-journal", authors=(), title="Aerobic exercise",
                         container_title_short="Cochrane Database Syst Rev", year=2017,
                         issue="6", page="CD012700")
    assert "2017;(6):CD012700." in plain(format_reference(cochrane, "ama"))
    web = Reference(id="w", type="webpage", authors=(PersonName(literal="MedlinePlus"),),
                    title="Fibromyalgia", container_title="MedlinePlus", year=2024, month=3,
                    day=5, url="https://medlineplus.gov/fibromyalgia.html",
                    accessed=__import__("datetime").date(2026, 11, 1))
    assert plain(format_reference(web, "ama")) == (
        "MedlinePlus. Fibromyalgia. MedlinePlus. Published March 5, 2024. Accessed November 1, "
        "2026. https://medlineplus.gov/fibromyalgia.html")


def test_books() -> None:
    book = Reference(id="b", type="book", authors=names(("Wall", "Patrick")),
                     title="Pain: the science of suffering", publisher="Columbia University Press",
                     edition="2", year=2000)
    html = format_reference(book, "ama")
    assert plain(html) == ("Wall P. Pain: the science of suffering. 2nd ed. Columbia University "
                           "Press; 2000.")
    assert "<i>Pain: the science of suffering.</i>" in html


def test_initials_and_page_abbreviation() -> None:
    assert initials("Jean-Paul") == "J-P"
    assert initials("Mary Ann") == "MA"
    assert initials("C. J.") == "CJ"
    assert abbreviate_pages("1539-1552") == "1539-52"
    assert abbreviate_pages("S2-S15") == "S2-S15"
    assert abbreviate_pages("CD012700") == "CD012700"
