"""IBAN facts for SEPA, offline (schwifty)."""

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def parse(iban):
    """(IBAN, None) or (None, error text)."""
    try:
        return IBAN(iban or ""), None
    except SchwiftyException as exc:
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
    parsed, _error = parse(iban)
    try:
        found = parsed and parsed.bic
    except SchwiftyException:
        found = None
    return str(found) if found else None


def masked(iban):
    """'...1234' for pre-notifications."""
    return f"...{iban[-4:]}" if iban else ""
