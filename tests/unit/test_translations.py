"""The theme's interface text: its catalogs are complete and current, a site can
override a string, and a missing one is a warning that names it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from clinicpress.dates import human_date, opening_days
from clinicpress.diagnostics import Diagnostics
from clinicpress.render.translations import LOCALES, TEMPLATE, load_translations, theme_messages


def ids(path: Path, locale: str | None = None) -> set[str]:
    with path.open("rb") as file:
        return {m.id if isinstance(m.id, str) else m.id[0]
                for m in read_po(file, locale=locale) if m.id}


def test_messages_pot_is_current_and_every_catalog_is_complete() -> None:
    current = {m if isinstance(m, str) else m[0] for m in theme_messages()}
    assert ids(TEMPLATE) == current, "run: python -m clinicpress.render.translations"
    for language in ("en", "es"):
        diags = Diagnostics()
        load_translations(Path("/nonexistent"), language, diags)
        assert [d.format() for d in diags] == [], language
        assert ids(LOCALES / language / "LC_MESSAGES" / "messages.po", language) == current


def test_spanish_interface_text_dates_and_plurals() -> None:
    spanish = load_translations(Path("/nonexistent"), "es")
    assert spanish.gettext("On this page") == "En esta página"
    assert spanish.ngettext("%(num)d article", "%(num)d articles", 1) == "%(num)d artículo"
    assert spanish.ngettext("%(num)d article", "%(num)d articles", 17) == "%(num)d artículos"
    assert spanish.gettext("%(minutes)s min read") % {"minutes": 17} == "17 min de lectura"
    from datetime import date

    assert human_date(date(2026, 2, 2), "es") == "2 de febrero de 2026"
    assert human_date(date(2026, 2, 2), "en") == "2 February 2026"
    assert opening_days((0, 1, 2, 3, 4), "es", "a") == "lunes a viernes"


def test_a_site_overrides_a_string_and_a_missing_one_is_named(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "es.po").write_text(
        'msgid "Need help?"\nmsgstr "¿Tiene preguntas?"\n', encoding="utf-8")
    assert load_translations(tmp_path, "es").gettext("Need help?") == "¿Tiene preguntas?"
    assert load_translations(tmp_path, "es").gettext("Menu") == "Menú"  # the rest: the theme's
    (tmp_path / "locales" / "fr.po").write_text(
        'msgid "Menu"\nmsgstr "Menu"\n\nmsgid "Search"\nmsgstr "Rechercher"\n', encoding="utf-8")
    diags = Diagnostics()
    french = load_translations(tmp_path, "fr", diags)
    assert french.gettext("Search") == "Rechercher"
    lines = [d.format() for d in diags]
    assert "locales/fr.po: warning: no 'fr' translation of the theme's text 'On this page' " \
           "(shown in English; add it to locales/fr.po)" in lines
    assert not any("'Search'" in line for line in lines)
    none = Diagnostics()
    load_translations(tmp_path, "de", none)
    assert [d.format() for d in none] == [
        "config.yaml: warning: the theme has no translation for 'de': its interface text is "
        "shown in English (add locales/de.po to translate it)"]
