"""A phone number as a writer types it, and the country it is dialled in, in; the number
in E.164 (for ``tel:`` links and structured data) and in the national format (for the
page) out, or None when it is not a real number. Parsed by the ``phonenumbers``
library (Google's libphonenumber metadata), never by hand."""

from __future__ import annotations

import phonenumbers


def normalize_phone(text: str, region: str) -> tuple[str, str] | None:
    """(national format, E.164) of ``text`` dialled in ``region`` (ISO 3166 code such as
    'US'), or None when it cannot be a complete number there."""
    try:
        number = phonenumbers.parse(text, region.upper() if len(region) == 2 else None)
    except phonenumbers.NumberParseException:
        return None
    # Possible, not "valid": the fictional 555 numbers of examples pass; a local-only
    # number (no area code) does not, since a tel: link must work from anywhere.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return national, e164
