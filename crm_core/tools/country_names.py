"""Country names as address books write them (native, German, Czech, common English
variants) -> ISO 3166 code, for reading addresses when Odoo's translations of country names
are not loaded; `lookup` adds Odoo's names of every loaded language."""

from odoo.tools import SQL

COUNTRY_NAMES = {
    "deutschland": "DE",
    "germany": "DE",
    "bundesrepublik deutschland": "DE",
    "brd": "DE",
    "německo": "DE",
    "österreich": "AT",
    "oesterreich": "AT",
    "rakousko": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "švýcarsko": "CH",
    "tschechien": "CZ",
    "tschechische republik": "CZ",
    "česká republika": "CZ",
    "česko": "CZ",
    "czechia": "CZ",
    "czech republic": "CZ",
    "slowakei": "SK",
    "slovensko": "SK",
    "slovakia": "SK",
    "polen": "PL",
    "polska": "PL",
    "polsko": "PL",
    "ungarn": "HU",
    "magyarország": "HU",
    "frankreich": "FR",
    "francie": "FR",
    "italien": "IT",
    "italia": "IT",
    "spanien": "ES",
    "españa": "ES",
    "niederlande": "NL",
    "nederland": "NL",
    "belgien": "BE",
    "belgique": "BE",
    "luxemburg": "LU",
    "dänemark": "DK",
    "danmark": "DK",
    "schweden": "SE",
    "sverige": "SE",
    "norwegen": "NO",
    "norge": "NO",
    "finnland": "FI",
    "suomi": "FI",
    "liechtenstein": "LI",
    "slowenien": "SI",
    "kroatien": "HR",
    "hrvatska": "HR",
    "rumänien": "RO",
    "bulgarien": "BG",
    "griechenland": "GR",
    "portugal": "PT",
    "irland": "IE",
    "vereinigtes königreich": "GB",
    "großbritannien": "GB",
    "united kingdom": "GB",
    "uk": "GB",
    "vereinigte staaten": "US",
    "vereinigte staaten von amerika": "US",
    "usa": "US",
    "united states of america": "US",
}


def lookup(env):
    """{casefolded country name in any loaded language, a name of COUNTRY_NAMES, or ISO
    code: res.country id}, in one query (the imports read addresses with it)."""
    env["res.country"].flush_model(["name", "code"])
    env.cr.execute(SQL("SELECT id, code, name FROM res_country"))
    found = {}
    for country_id, code, names in env.cr.fetchall():
        for name in (names or {}).values():
            found.setdefault(name.casefold(), country_id)
        found[(code or "").casefold()] = country_id
    by_code = {code: country_id for code, country_id in found.items() if len(code) == 2}
    for name, code in COUNTRY_NAMES.items():
        if code.casefold() in by_code:
            found.setdefault(name, by_code[code.casefold()])
    return found
