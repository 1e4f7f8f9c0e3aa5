"""A site written in Spanish: the theme speaks Spanish, dates and plurals follow Babel,
readability uses a Spanish formula (never the English grade), references use the CSL
Spanish locale, and an unknown language code is an error at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import build_site, failure_lines, replace_in, soup

NIGHT = "content/posts/2024-02-10-night-pain.md"
SPANISH_TEXT = """## Por la noche

El dolor puede sentirse peor por la noche, cuando todo está en calma [@shared-paper].
Duerma a la misma hora cada día. Evite las pantallas antes de dormir.
Si el dolor no le deja dormir, hable con su médico.

Consulte también la información de MedlinePlus [@medlineplus].
"""
WEB_PAGE = """references:
  - id: medlineplus
    type: webpage
    author: [{literal: Biblioteca Nacional de Medicina}]
    title: Dolor crónico
    container-title: MedlinePlus
    issued: {date-parts: [[2024, 5, 1]]}
    accessed: {date-parts: [[2025, 3, 4]]}
    URL: https://medlineplus.gov/spanish/chronicpain.html
---"""


@pytest.fixture()
def spanish_site(basic_site: Path) -> Path:
    replace_in(basic_site / "config.yaml", "title: Test Clinic", "title: Clínica de Prueba\n"
               "language: es")
    post = basic_site / NIGHT
    head, _body = post.read_text().split("---\n## At night", 1)
    post.write_text(head.replace("tags: [pain]\n", "tags: [pain]\n" + WEB_PAGE + "\n")
                    .rstrip("-\n") + "\n---\n" + SPANISH_TEXT)
    return basic_site


def test_the_interface_dates_and_plurals_are_spanish(spanish_site: Path, tmp_path: Path) -> None:
    result = build_site(spanish_site, tmp_path / "out")
    page = soup(tmp_path / "out", "posts/night-pain/index.html")
    assert page.html is not None and page.html["lang"] == "es"
    assert page.select_one(".toc summary").get_text() == "En esta página"  # type: ignore[union-attr]
    meta = " ".join(page.select_one(".post-meta").get_text().split())  # type: ignore[union-attr]
    assert meta == "Publicado el 10 de febrero de 2024 · 1 min de lectura"
    reviewed = " ".join(page.select_one(".reviewed").get_text().split())  # type: ignore[union-attr]
    assert reviewed == "Revisión médica de Dana Doctor, MD el 1 de febrero de 2024"
    tag = soup(tmp_path / "out", "tags/pain/index.html").get_text()
    assert "2 artículos" in " ".join(tag.split()) or "1 artículo" in " ".join(tag.split())
    references = page.select_one(".reference-list").get_text()  # type: ignore[union-attr]
    assert "Accedido 4 de marzo de 2025" in references and "Accessed" not in references
    post = next(p for p in result.site.posts if p.slug == "night-pain")
    assert post.readability.formula == "INFLESZ" and post.readability.score is not None
    assert post.readability.score > 55  # plain Spanish reads as "normal" or easier
    assert not [d for d in result.diagnostics if "reading grade" in d.message]


def test_hard_spanish_is_flagged_by_the_spanish_formula(spanish_site: Path) -> None:
    replace_in(spanish_site / NIGHT, "Duerma a la misma hora cada día.",
               "La fisiopatología multifactorial subyacente a la exacerbación nocturna "
               "evidencia interacciones neuroendocrinológicas extraordinariamente "
               "heterogéneas, condicionadas simultáneamente por determinantes "
               "circadianos, inflamatorios, psicosociales y farmacocinéticos.")
    config = spanish_site / "config.yaml"
    config.write_text(config.read_text().replace("max_reading_grade: 14", "min_reading_ease: 70"))
    from clinicpress.diagnostics import BuildFailed
    from clinicpress.pipeline import BuildOptions, build

    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(site_dir=spanish_site, output_dir=None, strict=True, search=False))
    [warning] = [d.format() for d in failed.value.diagnostics if "INFLESZ" in d.message]
    assert warning.startswith(f"{NIGHT}:")
    assert "('algo difícil' or harder): use shorter sentences and plainer words" in warning


def test_an_unknown_language_code_is_an_error_at_its_line(basic_site: Path) -> None:
    replace_in(basic_site / "config.yaml", "title: Test Clinic", "title: Test Clinic\n"
               "language: espanol")
    [problem] = failure_lines(basic_site)
    assert problem.startswith("config.yaml:2: error: 'language': ")


def test_check_reports_the_spanish_score(spanish_site: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--site",
                          str(spanish_site), "--format", "json"], capture_output=True, text=True)
    row = next(r for r in json.loads(out.stdout)["posts"] if r["post"] == NIGHT)
    assert row["readability"].startswith("INFLESZ ")
