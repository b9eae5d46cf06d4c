"""IBANs without the ORM (schwifty): the suite's one IBAN module.

- `normalise` / `looks_like_iban` / `parse_iban`: an IBAN as a person types or pastes it
  (blanks, dashes, a zero-width space or soft hyphen from a web page, an "IBAN:" label) read,
  validated and formatted, with its BIC and bank name;
- `parse`, `sepa_problem`, `bank_key`, `bic`: what SEPA needs to know of a stored IBAN;
- `mask`: the number as shown to users who may not see it complete.
"""

import re
from typing import NamedTuple

from schwifty import IBAN
from schwifty import exceptions as schwifty_errors

from . import sanitize

_IBAN_LIKE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{4,}$")
_SEPARATORS = re.compile(r"[\s\-./:]+")
# "IBAN", "IBAN-Nr.", "IBAN No", "IBAN number", "IBAN číslo" before the number
_LABEL = re.compile(r"^IBAN(?:-?(?:NR|NO|NUMMER|NUMBER|ČÍSLO|CISLO))?\.?(?=[A-Z]{2}[0-9]{2})")


class IbanInfo(NamedTuple):
    compact: str
    formatted: str
    country_code: str
    bic: str | None
    bank_name: str | None


def normalise(value):
    """The IBAN in `value` in compact form: upper case, without blanks, dashes, dots,
    slashes and colons, without invisible formatting characters (sanitize.typed) and
    without a leading label such as "IBAN:" or "IBAN-Nr."."""
    value = sanitize.typed(value, sanitize.LABELS["iban"])
    return _LABEL.sub("", _SEPARATORS.sub("", value).upper())


def looks_like_iban(value):
    """Whether `value` is meant as an IBAN (country code and two check digits first)."""
    return bool(_IBAN_LIKE.match(normalise(value)))


class IbanError(ValueError):
    """An invalid IBAN; `code` says why: checksum, length, country, structure or other."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


_ERROR_CODES = (
    (schwifty_errors.InvalidChecksumDigits, "checksum"),
    (schwifty_errors.InvalidLength, "length"),
    (schwifty_errors.InvalidCountryCode, "country"),
    (schwifty_errors.InvalidStructure, "structure"),
    (schwifty_errors.InvalidBankCode, "structure"),
    (schwifty_errors.InvalidAccountCode, "structure"),
    (schwifty_errors.InvalidBBANChecksum, "checksum"),
)


def parse_iban(value):
    """Validate `value` as an IBAN; return its IbanInfo or raise IbanError."""
    try:
        iban = IBAN(normalise(value))
    except schwifty_errors.SchwiftyException as error:
        code = next((c for kind, c in _ERROR_CODES if isinstance(error, kind)), "other")
        raise IbanError(code, str(error)) from error
    bic = iban.bic
    return IbanInfo(
        compact=iban.compact,
        formatted=iban.formatted,
        country_code=iban.country_code,
        bic=str(bic) if bic else None,
        bank_name=iban.bank_name or None,
    )


# ---------------------------------------------------------------------------------------------
# SEPA facts of a stored IBAN
# ---------------------------------------------------------------------------------------------
def parse(iban):
    """(schwifty IBAN, None) or (None, error text)."""
    try:
        return IBAN(normalise(iban)), None
    except schwifty_errors.SchwiftyException as exc:
        return None, str(exc)


def sepa_problem(iban):
    """None when `iban` can be debited or credited by SEPA, else why not."""
    parsed, error = parse(iban)
    if error:
        return f"invalid IBAN ({error})"
    if not parsed.in_sepa_zone:
        return f"{parsed.country_code} is outside the SEPA area"
    return None


def bank_key(iban):
    """Country and bank code of an IBAN: two IBANs with the same key are at the same bank."""
    parsed, _error = parse(iban)
    if not parsed:
        return None
    return parsed.country_code, parsed.bank_code or parsed.bban[:8]


def bic(iban):
    """The BIC of the IBAN's bank (schwifty's bank registry), or None."""
    parsed, _error = parse(iban)
    try:
        found = parsed and parsed.bic
    except schwifty_errors.SchwiftyException:
        found = None
    return str(found) if found else None


# ---------------------------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------------------------
def mask(number, visible=4):
    """'DE89 3704 0044 0532 0130 00' -> '**** **** **** **** **30 00': every character but
    the last `visible` ones (blanks and separators not counted) replaced by '*', grouped by
    four. How the suite shows an account number to users who may not see it complete
    (readme: "Who sees complete bank account numbers"); '' for an empty number."""
    chars = _SEPARATORS.sub("", sanitize.typed(number))
    if len(chars) <= visible:
        return chars
    masked = "*" * (len(chars) - visible) + chars[-visible:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
