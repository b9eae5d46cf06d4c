"""Phone number normalisation for the partner identifiers, without the ORM.

All functions are pure: they take strings (and a default region) and return strings, so the
identifier table (crm.partner.identifier), caller-ID, duplicate detection and the benchmarks
share exactly one definition of "the same number".
"""

import re

import phonenumbers

# German habit: "+49 (0)351 ..." / "0049 (0)351 ..." - the "(0)" is the trunk prefix that must
# be dropped once a country code is given. phonenumbers handles most of it, we make it explicit.
_TRUNK_IN_PARENS = re.compile(r"\(\s*0\s*\)")
_NON_DIGITS = re.compile(r"\D")

# Fewer digits than this cannot identify a caller (internal extensions, service codes).
MIN_MATCH_DIGITS = 6
# Number of trailing digits used for the reversed-digits prefix lookup.
SUFFIX_DIGITS = 7


def digits(number):
    """Only the digits of `number` ('' for None)."""
    return _NON_DIGITS.sub("", number or "")


def parse(number, region="DE"):
    """Return a phonenumbers.PhoneNumber for `number` or None when it is no phone number.

    `region` is the ISO country code used for numbers written without country code (the
    company's country)."""
    if not number:
        return None
    text = _TRUNK_IN_PARENS.sub("", str(number)).strip()
    if len(digits(text)) < 3:
        return None
    try:
        parsed = phonenumbers.parse(text, (region or "DE").upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return parsed


def to_e164(number, region="DE"):
    """'0351/4445566' -> '+493514445566' (region DE); None when not a possible number."""
    parsed = parse(number, region)
    if parsed is None:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _national(parsed):
    """National significant number (keeps Italian leading zeros)."""
    return phonenumbers.national_significant_number(parsed)


def national_digits(number, region="DE"):
    """The national significant number as digits ('3514445566'), or the bare digits without
    leading zeros when the number cannot be parsed."""
    parsed = parse(number, region)
    if parsed is not None:
        return _national(parsed)
    return digits(number).lstrip("0")


def reversed_digits(number, region="DE"):
    """The national digits reversed: the key of the suffix lookup ('6655444153')."""
    return national_digits(number, region)[::-1]


def e164_and_national(number, region="DE"):
    """(e164 or None, national digits), parsing the number once."""
    parsed = parse(number, region)
    if parsed is None:
        return None, digits(number).lstrip("0")
    national = _national(parsed)
    return f"+{parsed.country_code}{national}", national


def identifier_values(number, region="DE"):
    """(e164, reversed national digits) for storing a number, parsing it once; (None, None)
    when the value holds too few digits to identify anyone."""
    e164, national = e164_and_national(number, region)
    if len(national) < MIN_MATCH_DIGITS:
        return None, None
    return e164, national[::-1]


def suffix_matches(wanted_reversed, candidate_reversed):
    """True when the two reversed digit strings denote the same line: one is a prefix of the
    other (a number stored without area code matches the full number) and they share at least
    SUFFIX_DIGITS digits."""
    shorter = min(len(wanted_reversed), len(candidate_reversed))
    if shorter < SUFFIX_DIGITS:
        return False
    return wanted_reversed[:shorter] == candidate_reversed[:shorter]
