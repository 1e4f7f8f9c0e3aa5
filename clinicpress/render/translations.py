"""The theme's interface text in the page's language: gettext catalogs read with Babel.

The theme ships ``theme/locales/messages.pot`` (every string of its templates) and a
complete catalog per language (``theme/locales/<lang>/LC_MESSAGES/messages.po``). A site
may override any string in ``locales/<lang>.po`` beside its config. A string the
language's catalogs leave untranslated is shown in English, with a warning that names
it. Catalogs are compiled in memory; nothing is written.

    python -m clinicpress.render.translations    # refresh messages.pot from the templates
"""

from __future__ import annotations

import functools
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.assets import THEME_DIR

LOCALES = THEME_DIR / "locales"
TEMPLATE = LOCALES / "messages.pot"
SOURCE_LANGUAGE = "en"


def theme_messages() -> list[str | tuple[str, str]]:
    """Every message of the theme's templates, in order (what ``messages.pot`` holds): a
    text, or a (singular, plural) pair."""
    method = [("**.html", "jinja2.ext:babel_extract")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                           "lstrip_blocks": "true"}}
    found: dict[str | tuple[str, str], None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(THEME_DIR / "templates"), method, options_map=options):
        found[message if isinstance(message, str) else (message[0], message[1])] = None
    return list(found)


@functools.lru_cache(maxsize=1)
def template_ids() -> tuple[str, ...]:
    """The message ids of ``messages.pot`` (kept equal to the templates by a test), read
    once rather than extracting the templates on every build."""
    with TEMPLATE.open("rb") as file:
        return tuple(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id)


def _read(path: Path, language: str) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as file:
        return read_po(file, locale=language.replace("-", "_"))


def _catalog_for(language: str, site_dir: Path) -> tuple[Catalog, Path | None, Path | None]:
    """The theme's catalog for ``language`` (``es-MX``, else ``es``) with the site's own
    entries laid over it; and the files they came from."""
    theme_file = site_file = None
    catalog = Catalog(locale=language.replace("-", "_"))
    for tag in dict.fromkeys((language, language.split("-")[0])):
        candidate = LOCALES / tag.replace("-", "_") / "LC_MESSAGES" / "messages.po"
        if candidate.is_file():
            theme_file = candidate
            break
    for tag in dict.fromkeys((language, language.split("-")[0])):
        candidate = site_dir / "locales" / f"{tag}.po"
        if candidate.is_file():
            site_file = candidate
            break
    for file in (theme_file, site_file):
        loaded = _read(file, language) if file else None
        for message in loaded or ():
            if message.id and message.string and (not isinstance(message.string, tuple)
                                                  or all(message.string)):
                catalog.delete(message.id)  # (add() would keep an earlier translation)
                catalog.add(message.id, message.string)
    return catalog, theme_file, site_file


def load_translations(site_dir: Path, language: str, diags: Diagnostics | None = None
                      ) -> NullTranslations:
    """Translations of the theme's text into ``language``; each theme string left
    untranslated (other than in English, the source language) is a warning."""
    catalog, theme_file, site_file = _catalog_for(language, site_dir)
    if diags is not None and language.split("-")[0] != SOURCE_LANGUAGE:
        where = str(site_file.relative_to(site_dir)) if site_file else "config.yaml"
        if theme_file is None and site_file is None:
            diags.warning(where, None, f"the theme has no translation for '{language}': its "
                          f"interface text is shown in English (add locales/{language}.po to "
                          "translate it)")
        else:
            for key in template_ids():
                entry = catalog.get(key)
                if entry is None or not entry.string or (
                        isinstance(entry.string, tuple) and not all(entry.string)):
                    diags.warning(where, None, f"no '{language}' translation of the theme's "
                                  f"text '{key}' (shown in English; add it to "
                                  f"locales/{language}.po)")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def refresh_template() -> None:
    catalog = Catalog(project="clinicpress theme", locale=None)
    for message in theme_messages():
        catalog.add(message)
    with TEMPLATE.open("wb") as file:
        write_po(file, catalog, omit_header=True, sort_output=True, width=96)


if __name__ == "__main__":
    refresh_template()
    sys.stdout.write(f"wrote {TEMPLATE}\n")
