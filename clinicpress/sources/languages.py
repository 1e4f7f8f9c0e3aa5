"""The site's languages in config.yaml: ``languages: [en, es]`` (the first is the
default) and the texts that may be given per language (``title: {en: ..., es: ...}``).

Each localized text is checked here and resolved to the default language's version; the
others stay in ``SiteConfig.localized`` for ``SiteConfig.in_language``. A language a
text names but the site does not have is an error at its line; a language a text leaves
out falls back to the default language's text.
"""

from __future__ import annotations

from typing import Any

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import Localized
from clinicpress.sources.schema import (
    AlreadyReported,
    Converter,
    FieldError,
    Where,
    language_tag,
)
from clinicpress.sources.yamldata import YamlMap

# The settings that may differ by language: (section or "", key).
LOCALIZED = (("", "title"), ("", "description"), ("", "disclaimer"),
             ("emergency_notice", "text"), ("call_to_action", "heading"))


def check_languages(values: dict[str, Any], data: YamlMap, path: str,
                    diags: Diagnostics) -> bool:
    """Resolve ``values`` in place to the default language; False after an error."""
    languages = tuple(values["languages"]) or (values["language"],)
    if values["languages"]:
        if "language" in data and values["language"] != languages[0]:
            diags.error(path, data.line_of("languages"), f"'languages': the first language "
                        f"is the default; it is '{languages[0]}' but 'language' says "
                        f"'{values['language']}' (leave 'language' out)")
            return False
        if len(set(languages)) < len(languages):
            diags.error(path, data.line_of("languages"), "'languages' names a language twice")
            return False
    values["language"], values["languages"] = languages[0], languages
    localized: list[tuple[str, Localized]] = []
    ok = True
    for section, key in LOCALIZED:
        holder = values.get(section) if section else values
        if not isinstance(holder, dict) or not isinstance(holder.get(key), Localized):
            continue
        where = data.get(section) if section else data
        line = where.line_of(key) if isinstance(where, YamlMap) else data.line_of(section)
        text: Localized = holder[key]
        name = f"{section}.{key}" if section else key
        unknown = [tag for tag, _ in text.values if tag not in languages]
        if unknown:
            diags.error(path, line, f"'{name}': '{unknown[0]}' is not one of the site's "
                        f"languages ({', '.join(languages)})")
            ok = False
        elif languages[0] not in dict(text.values):
            diags.error(path, line, f"'{name}' needs a text in the default language "
                        f"'{languages[0]}' (the others fall back to it)")
            ok = False
        else:
            holder[key] = text.get(languages[0], languages[0])
            localized.append((name, text))
    values["localized"] = tuple(localized)
    return ok


def localized(inner: Converter) -> Converter:
    """A text, or the same text in several languages: ``{en: ..., es: ...}``."""

    def convert(value: Any, where: Where) -> Any:
        if not isinstance(value, YamlMap):
            return inner(value, where)
        found, failed = [], False
        for key, item in value.items():
            line = Where(where.path, value.line_of(key), where.diags)
            try:
                found.append((language_tag(key, line), inner(item, line)))
            except FieldError as exc:
                where.diags.error(where.path, line.line, f"'{key}': {exc}")
                failed = True
        if failed:
            raise AlreadyReported
        return Localized(tuple(found))

    return convert
