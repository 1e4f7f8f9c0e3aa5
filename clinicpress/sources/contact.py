"""Who patients call: the organization, its offices (address, phone, hours) and the call
to action at the end of every article, checked in config.yaml.

Phone numbers are parsed for the office's country; an office named by the call to
action must exist. The values become ``Organization``, ``Office`` and
``CallToAction`` in ``config._to_config``.
"""

from __future__ import annotations

from typing import Any

from clinicpress.contact import CallToAction, Office
from clinicpress.diagnostics import Diagnostics, did_you_mean
from clinicpress.sources.languages import localized
from clinicpress.sources.office_hours import opening_hours
from clinicpress.sources.phones import normalize_phone
from clinicpress.sources.schema import (
    Field,
    boolean,
    link_target,
    number,
    optional_text,
    text,
)
from clinicpress.sources.yamldata import YamlMap

ORGANIZATION = (
    Field("name", text, required=True),
    Field("phone", text, required=True),
    Field("email", text, required=True),
)
OFFICE = (
    Field("id", text, required=True),
    Field("name", text, required=True),
    Field("street", text, required=True),
    Field("city", text, required=True),
    Field("region", optional_text, default=""),
    Field("postal_code", text, required=True),
    Field("country", text, required=True),
    Field("phone", text, required=True),
    Field("hours", opening_hours, default=()),
    Field("latitude", number),
    Field("longitude", number),
)
CALL_TO_ACTION = (
    Field("show", boolean, default=True),
    Field("heading", localized(text), default="Questions about this?"),
    Field("office", optional_text, default=""),
    Field("booking_url", link_target, default=""),
)


def check_contact(values: dict[str, Any], data: YamlMap, path: str,
                  diags: Diagnostics) -> bool:
    """Offices with one id each, phone numbers that can be dialled, and a call to action
    that names a real office; False after reporting a problem that stops the config."""
    _check_offices(values["offices"], data, path, diags)
    cta = values["call_to_action"] or {}
    office = cta.get("office")
    if office and office not in {o["id"] for o in values["offices"]}:
        where = data.get("call_to_action")
        line = where.line_of("office") if isinstance(where, YamlMap) else data.line
        diags.error(path, line, f"'call_to_action': no office has the id '{office}'"
                    f"{did_you_mean(office, [o['id'] for o in values['offices']])}")
        return False
    return _check_phones(values, data, path, diags)


def call_to_action(values: dict[str, Any] | None, offices: tuple[Office, ...]) -> CallToAction:
    cta = values or {field.name: field.default for field in CALL_TO_ACTION}
    office = next((o for o in offices if o.id == cta["office"]), None)
    return CallToAction(show=cta["show"], heading=cta["heading"], office=office,
                        booking_url=cta["booking_url"])


def _check_offices(offices: tuple[dict[str, Any], ...], data: YamlMap, path: str,
                   diags: Diagnostics) -> None:
    seen: set[str] = set()
    for office in offices:
        if office["id"] in seen:
            diags.error(path, data.line_of("offices"), f"two offices have the id '{office['id']}'")
        seen.add(office["id"])


def _check_phones(values: dict[str, Any], data: YamlMap, path: str,
                  diags: Diagnostics) -> bool:
    """Every phone number must be a complete number, dialled in its office's country (the
    organization's: in the first office's): shown in the national format, linked and
    given to search engines in E.164. False after reporting one that is not."""
    maps = [m for m in data.get("offices") or () if isinstance(m, YamlMap)]
    ok = all([_phone(office, office["country"], path, where.line_of("phone"), diags)
              for office, where in zip(values["offices"], maps, strict=False)])
    organization = data.get("organization")
    line = organization.line_of("phone") if isinstance(organization, YamlMap) else 1
    region = values["offices"][0]["country"] if values["offices"] else "US"
    return _phone(values["organization"], region, path, line, diags) and ok


def _phone(values: dict[str, Any], region: str, path: str, line: int,
           diags: Diagnostics) -> bool:
    found = normalize_phone(str(values["phone"]), region)
    if found is None:
        diags.error(path, line, f"'phone': '{values['phone']}' is not a complete phone number "
                    f"in {region} (write it with its area code, or with + and the country "
                    "code)")
        return False
    values["phone"], values["phone_e164"] = found
    return True
