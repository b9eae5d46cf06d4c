"""Postal address blocks for labels and window envelopes (no ORM here).

Germany follows DIN 5008 (Anschriftfeld): recipient lines, street, postcode and town on one
line, no blank lines, and for mail sent abroad the destination country in capitals on the
last line. Other countries use their postal address format (Odoo's `address_format`, e.g.
`%(street)s\\n%(street2)s\\n%(zip)s %(city)s\\n%(country_name)s`); the country line is
left out for domestic mail and written in capitals for mail abroad (UPU practice).
"""

import re
from collections import defaultdict

# Odoo's format for countries without one of their own (city before postcode, US style).
GENERIC_FORMAT = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"
# Countries whose post wants the postcode before the town, used when Odoo has no format of
# their own for them (Odoo 19 ships none for e.g. CZ, SK, PL, HU).
POSTCODE_FIRST = {
    "AD",
    "AT",
    "BA",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "MC",
    "ME",
    "MK",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "RS",
    "SE",
    "SI",
    "SK",
    "SM",
}
POSTCODE_FIRST_FORMAT = "%(street)s\n%(street2)s\n%(zip)s %(city)s\n%(country_name)s"
_SPACES = re.compile(r"[ \t]+")


def _clean(line):
    return _SPACES.sub(" ", (line or "").replace("\n", " ")).strip(" ,")


def address_block(
    names,
    values,
    country_code="",
    country_name="",
    address_format="",
    sender_country_code="",
):
    """Return the lines of an address block.

    :param names: recipient lines (company, person, department...), empty ones are dropped
    :param values: address values: street, street2, zip, city, state_name, state_code
    :param country_code: ISO code of the destination country ('' when unknown)
    :param country_name: its name, in the sender's language
    :param address_format: the destination country's format (Odoo's address_format)
    :param sender_country_code: ISO code of the sender's country; mail to another country
        gets the country line in capitals
    """
    lines = [_clean(name) for name in names]
    country_code = (country_code or "").upper()
    abroad = bool(country_code) and country_code != (sender_country_code or "").upper()
    country_line = (country_name or country_code).upper() if abroad else ""
    if country_code in POSTCODE_FIRST and (address_format or GENERIC_FORMAT) == GENERIC_FORMAT:
        address_format = POSTCODE_FIRST_FORMAT
    if country_code == "DE" or not address_format:
        lines += [
            values.get("street"),
            values.get("street2"),
            " ".join(p for p in (values.get("zip"), values.get("city")) if p),
        ]
        lines.append(country_line)
    else:
        args = defaultdict(str, {k: v or "" for k, v in values.items()})
        args["country_name"] = country_line
        args["country_code"] = country_code if abroad else ""
        args["company_name"] = ""
        try:
            formatted = address_format % args
        except (KeyError, ValueError, TypeError):
            formatted = "\n".join(
                [args["street"], args["street2"], f"{args['zip']} {args['city']}", country_line]
            )
        lines += formatted.split("\n")
    return [line for line in (_clean(line) for line in lines) if line]
