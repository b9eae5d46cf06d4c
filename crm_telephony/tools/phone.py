"""Phone number normalisation without the ORM.

All functions are pure: they take strings (and a default region) and return strings, so the
models, the call-monitor listener and the benchmark share exactly one definition of "the same
number".
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
    lead = "0" * (parsed.number_of_leading_zeros or 0) if parsed.italian_leading_zero else ""
    return f"{lead}{parsed.national_number}"


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


def identifier_values(number, region="DE"):
    """(e164, reversed national digits) for storing a number, parsing it once; (None, None)
    when the value holds too few digits to identify anyone."""
    parsed = parse(number, region)
    if parsed is not None:
        national = _national(parsed)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    else:
        national = digits(number).lstrip("0")
        e164 = None
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
