"""Phone number normalisation without the ORM.

The identifier functions (one definition of "the same number" for the identifier table,
caller-ID and the benchmark) live in crm_core.tools.phone_identifier; this module adds what
only telephony needs: the string the box must dial.
"""

import phonenumbers

from odoo.addons.crm_core.tools.phone_identifier import (
    digits,
    identifier_values,
    parse,
    reversed_digits,
    suffix_matches,
    to_e164,
)

__all__ = [
    "dial_string",
    "digits",
    "identifier_values",
    "parse",
    "reversed_digits",
    "suffix_matches",
    "to_e164",
]


def dial_string(number, region="DE", outside_line_prefix=""):
    """What the box must dial for `number`: national format digits for numbers in the
    company's country, 00 + country code for foreign ones, with the outside-line prefix
    (e.g. '0' behind a PBX) in front. Internal numbers (**610, short extensions) are kept.

    Raises ValueError when the number is not dialable."""
    raw = (number or "").strip()
    if not raw:
        raise ValueError("empty number")
    if raw.startswith(("*", "#")) or (raw.isdigit() and len(raw) <= 4):
        return raw  # internal: extension or service code, no outside line
    parsed = parse(raw, region)
    if parsed is None:
        raise ValueError(f"not a phone number: {raw}")
    home_code = phonenumbers.country_code_for_region((region or "DE").upper())
    if parsed.country_code == home_code:
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        dial = digits(national)
    else:
        dial = "00" + digits(
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        )
    return f"{outside_line_prefix or ''}{dial}"
