"""IBAN validation, normalisation and bank lookup with schwifty (no ORM)."""

import re
from typing import NamedTuple

from schwifty import IBAN
from schwifty import exceptions as schwifty_errors

_IBAN_LIKE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{4,}$")
_SEPARATORS = re.compile(r"[\s\-./]+")


class IbanInfo(NamedTuple):
    compact: str
    formatted: str
    country_code: str
    bic: str | None
    bank_name: str | None


def compact(value):
    """Upper case without blanks, dashes, dots and slashes."""
    return _SEPARATORS.sub("", value or "").upper()


def looks_like_iban(value):
    """Whether `value` is meant as an IBAN (country code and two check digits first)."""
    return bool(_IBAN_LIKE.match(compact(value)))


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
        iban = IBAN(compact(value))
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
