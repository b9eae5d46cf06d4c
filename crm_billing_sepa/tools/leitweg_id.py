"""The Leitweg-ID: the routing address of German public authorities for e-invoices
(XRechnung buyer reference, BT-10). No ORM.

Format (KoSIT "Formatspezifikation Leitweg-ID" 2.0.2): coarse addressing (2 to 12 digits),
optionally a dash and fine addressing (1 to 30 letters A-Z or digits), a dash and two check
digits, at most 46 characters. The check digits are ISO/IEC 7064 MOD 97-10 over the
characters before them (letters count 10 to 35, as in an IBAN): the whole ID without dashes
taken as a number leaves 1 divided by 97.
"""

import re

_FORMAT = re.compile(r"^[0-9]{2,12}(-[0-9A-Z]{1,30})?-[0-9]{2}$")
MAX_LENGTH = 46


def _as_number(text):
    return int("".join(str(int(char, 36)) for char in text))


def normalize(value):
    """Upper case, without spaces around and inside."""
    return re.sub(r"\s+", "", value or "").upper()


def is_valid(value):
    value = normalize(value)
    if len(value) > MAX_LENGTH or not _FORMAT.match(value):
        return False
    return _as_number(value.replace("-", "")) % 97 == 1


def check_digits(base):
    """The two check digits of a Leitweg-ID without them ("991-33333TEST" -> "33")."""
    return f"{98 - _as_number(normalize(base).replace('-', '')) * 100 % 97:02d}"
