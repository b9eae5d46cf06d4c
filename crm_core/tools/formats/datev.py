"""DATEV-Format (EXTF): the CSV files DATEV Rechnungswesen and DATEV Unternehmen online
import, without the ORM.

A file has a header line (31 fields: "EXTF", header version 700, format category, name and
version, creation time, consultant and client number, start of the fiscal year, length of
the G/L accounts, period, ...), a line of column headings and the data rows; fields are
separated by semicolons, text fields are quoted ("" inside), amounts have a decimal comma
and no thousands separator, dates of bookings are DDMM. The character set is Windows-1252
(`sanitize.datev`), lines end with CR LF.

Two formats are defined here: "Buchungsstapel" (category 21, version 13, 125 columns; the
bookings themselves are made by crm_billing_sepa/tools/datev.py) and "Debitoren/Kreditoren"
(category 16, version 5, 254 columns: the master data of the personal accounts). The column
headings are DATEV's (line 2 of DATEV's sample files, "Musterdaten DATEV-Format" on
developer.datev.de); the field rules (`check`) follow DATEV's format description there:
types, lengths, mandatory fields, the header.

`write` writes a file, `read` reads one, `check` lists every field that breaks a rule, and
`contacts_from_partner_file` / `partner_rows` convert the master data to and from
`formats.Contact`.
"""

import datetime
import re
from dataclasses import dataclass

from .. import iban as iban_tools
from .. import sanitize
from . import Contact, FormatError, Problem, full_name

HEADER_VERSION = 700
ORIGIN = "OD"  # "Herkunft": two letters naming the writing program

# Buchungsstapel, format version 13
BOOKING_COLUMNS = [
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    *[f"Beleginfo - {kind} {n}" for n in range(1, 9) for kind in ("Art", "Inhalt")],
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
    "Abw. Versteuerungsart",
    "Sachverhalt L+L",
    "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer",
    "BU 49 Funktionsergänzung",
    *[
        heading
        for n in range(1, 21)
        for heading in (f"Zusatzinformation - Art {n}", f"Zusatzinformation- Inhalt {n}")
    ],
    "Stück",
    "Gewicht",
    "Zahlweise",
    "Forderungsart",
    "Veranlagungsjahr",
    "Zugeordnete Fälligkeit",
    "Skontotyp",
    "Auftragsnummer",
    "Buchungstyp",
    "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)",
    "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)",
    "Herkunft-Kz",
    "Buchungs GUID",
    "KOST-Datum",
    "SEPA-Mandatsreferenz",
    "Skontosperre",
    "Gesellschaftername",
    "Beteiligtennummer",
    "Identifikationsnummer",
    "Zeichnernummer",
    "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt",
    "Kennzeichen SoBil-Buchung",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "Steuersatz",
    "Land",
    "Abrechnungsreferenz",
    "BVV-Position",
    "EU-Land u. UStID (Ursprung)",
    "EU-Steuersatz (Ursprung)",
    "Abw. Skontokonto",
]


def _bank_columns(n):
    return [
        f"Bankleitzahl {n}",
        f"Bankbezeichnung {n}",
        f"Bank-Kontonummer {n}",
        f"Länderkennzeichen {n}",
        f"IBAN-Nr. {n}",
        "Leerfeld",
        f"SWIFT-Code {n}",
        f"Abw. Kontoinhaber {n}",
        f"Kennz. Hauptbankverb. {n}",
        f"Bankverb {n} Gültig von",
        f"Bankverb {n} Gültig bis",
    ]


# Debitoren/Kreditoren, format version 5
PARTNER_COLUMNS = [
    "Konto",
    "Name (Adressattyp Unternehmen)",
    "Unternehmensgegenstand",
    "Name (Adressattyp natürl. Person)",
    "Vorname (Adressattyp natürl. Person)",
    "Name (Adressattyp keine Angabe)",
    "Adressattyp",
    "Kurzbezeichnung",
    "EU-Land",
    "EU-UStID",
    "Anrede",
    "Titel/Akad. Grad",
    "Adelstitel",
    "Namensvorsatz",
    "Adressart",
    "Straße",
    "Postfach",
    "Postleitzahl",
    "Ort",
    "Land",
    "Versandzusatz",
    "Adresszusatz",
    "Abweichende Anrede",
    "Abw. Zustellbezeichnung 1",
    "Abw. Zustellbezeichnung 2",
    "Kennz. Korrespondenzadresse",
    "Adresse Gültig von",
    "Adresse Gültig bis",
    "Telefon",
    "Bemerkung (Telefon)",
    "Telefon GL",
    "Bemerkung (Telefon GL)",
    "E-Mail",
    "Bemerkung (E-Mail)",
    "Internet",
    "Bemerkung (Internet)",
    "Fax",
    "Bemerkung (Fax)",
    "Sonstige",
    "Bemerkung (Sonstige)",
    *[column for n in range(1, 6) for column in _bank_columns(n)],
    "Leerfeld",
    "Briefanrede",
    "Grußformel",
    "Kunden-/Lief.-Nr.",
    "Steuernummer",
    "Sprache",
    "Ansprechpartner",
    "Vertreter",
    "Sachbearbeiter",
    "Diverse-Konto",
    "Ausgabeziel",
    "Währungssteuerung",
    "Kreditlimit (Debitor)",
    "Zahlungsbedingung",
    "Fälligkeit in Tagen (Debitor)",
    "Skonto in Prozent (Debitor)",
    "Kreditoren-Ziel 1 Tg.",
    "Kreditoren-Skonto 1 %",
    "Kreditoren-Ziel 2 Tg.",
    "Kreditoren-Skonto 2 %",
    "Kreditoren-Ziel 3 Brutto Tg.",
    "Kreditoren-Ziel 4 Tg.",
    "Kreditoren-Skonto 4 %",
    "Kreditoren-Ziel 5 Tg.",
    "Kreditoren-Skonto 5 %",
    "Mahnung",
    "Kontoauszug",
    "Mahntext 1",
    "Mahntext 2",
    "Mahntext 3",
    "Kontoauszugstext",
    "Mahnlimit Betrag",
    "Mahnlimit %",
    "Zinsberechnung",
    "Mahnzinssatz 1",
    "Mahnzinssatz 2",
    "Mahnzinssatz 3",
    "Lastschrift",
    "Leerfeld",
    "Mandantenbank",
    "Zahlungsträger",
    *[f"Indiv. Feld {n}" for n in range(1, 16)],
    "Abweichende Anrede (Rechnungsadresse)",
    "Adressart (Rechnungsadresse)",
    "Straße (Rechnungsadresse)",
    "Postfach (Rechnungsadresse)",
    "Postleitzahl (Rechnungsadresse)",
    "Ort (Rechnungsadresse)",
    "Land (Rechnungsadresse)",
    "Versandzusatz (Rechnungsadresse)",
    "Adresszusatz (Rechnungsadresse)",
    "Abw. Zustellbezeichnung 1 (Rechnungsadresse)",
    "Abw. Zustellbezeichnung 2 (Rechnungsadresse)",
    "Adresse Gültig von (Rechnungsadresse)",
    "Adresse Gültig bis (Rechnungsadresse)",
    *[column for n in range(6, 11) for column in _bank_columns(n)],
    "Nummer Fremdsystem",
    "Insolvent",
    *[f"SEPA-Mandatsreferenz {n}" for n in range(1, 11)],
    "Verknüpftes OPOS-Konto",
    "Mahnsperre bis",
    "Lastschriftsperre bis",
    "Zahlungssperre bis",
    "Gebührenberechnung",
    "Mahngebühr 1",
    "Mahngebühr 2",
    "Mahngebühr 3",
    "Pauschalenberechnung",
    "Verzugspauschale 1",
    "Verzugspauschale 2",
    "Verzugspauschale 3",
    "Alternativer Suchname",
    "Status",
    "Anschrift manuell geändert (Korrespondenzadresse)",
    "Anschrift individuell (Korrespondenzadresse)",
    "Anschrift manuell geändert (Rechnungsadresse)",
    "Anschrift individuell (Rechnungsadresse)",
    "Fristberechnung bei Debitor",
    "Mahnfrist 1",
    "Mahnfrist 2",
    "Mahnfrist 3",
    "Letzte Frist",
]


# ---------------------------------------------------------------------------------------------
# Field rules
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """What a field may hold. kind: "text" (quoted, at most `length` characters, `pattern`
    if given), "amount" (decimal comma, two decimals, at most `length` digits before it),
    "account" (digits), "ddmm" (day and month of a booking), "date" (DDMMYYYY), "number"
    (digits, or one of `choices`), "rate" (percent with decimal comma)."""

    kind: str
    length: int = 0
    required: bool = False
    pattern: str = ""
    choices: tuple = ()


_TEXT = "text"
BELEGFELD1_PATTERN = r"[A-Za-z0-9$&%*+\-/]*"
BOOKING_RULES = {
    "Umsatz (ohne Soll/Haben-Kz)": Rule("amount", 10, required=True),
    "Soll/Haben-Kennzeichen": Rule(_TEXT, 1, required=True, choices=("S", "H")),
    "WKZ Umsatz": Rule(_TEXT, 3, pattern=r"[A-Z]{3}"),
    "Kurs": Rule("rate", 4),
    "Basis-Umsatz": Rule("amount", 10),
    "WKZ Basis-Umsatz": Rule(_TEXT, 3, pattern=r"[A-Z]{3}"),
    "Konto": Rule("account", 9),
    "Gegenkonto (ohne BU-Schlüssel)": Rule("account", 9, required=True),
    "BU-Schlüssel": Rule(_TEXT, 4, pattern=r"\d{1,4}"),
    "Belegdatum": Rule("ddmm", 4, required=True),
    "Belegfeld 1": Rule(_TEXT, 36, pattern=BELEGFELD1_PATTERN),
    "Belegfeld 2": Rule(_TEXT, 12),
    "Skonto": Rule("amount", 8),
    "Buchungstext": Rule(_TEXT, 60),
    "Postensperre": Rule("number", 1, choices=("0", "1")),
    "Beleglink": Rule(_TEXT, 210),
    **{f"Beleginfo - Art {n}": Rule(_TEXT, 20) for n in range(1, 9)},
    **{f"Beleginfo - Inhalt {n}": Rule(_TEXT, 210) for n in range(1, 9)},
    "KOST1 - Kostenstelle": Rule(_TEXT, 36),
    "KOST2 - Kostenstelle": Rule(_TEXT, 36),
    "EU-Land u. UStID (Bestimmung)": Rule(_TEXT, 15, pattern=r"[A-Z]{2}[A-Z0-9+*]{2,13}"),
    "EU-Steuersatz (Bestimmung)": Rule("rate", 2),
    "Auftragsnummer": Rule(_TEXT, 30),
    "Buchungs GUID": Rule(_TEXT, 36),
    "KOST-Datum": Rule("date", 8),
    "SEPA-Mandatsreferenz": Rule(_TEXT, 35),
    "Festschreibung": Rule("number", 1, choices=("0", "1")),
    "Leistungsdatum": Rule("date", 8),
    "Datum Zuord. Steuerperiode": Rule("date", 8),
    "Fälligkeit": Rule("date", 8),
    "Generalumkehr (GU)": Rule(_TEXT, 1, choices=("0", "1")),
    "Steuersatz": Rule("rate", 2),
    "Land": Rule(_TEXT, 2, pattern=r"[A-Z]{2}"),
}

PARTNER_RULES = {
    "Konto": Rule("account", 9, required=True),
    "Name (Adressattyp Unternehmen)": Rule(_TEXT, 50),
    "Unternehmensgegenstand": Rule(_TEXT, 50),
    "Name (Adressattyp natürl. Person)": Rule(_TEXT, 30),
    "Vorname (Adressattyp natürl. Person)": Rule(_TEXT, 30),
    "Name (Adressattyp keine Angabe)": Rule(_TEXT, 50),
    "Adressattyp": Rule(_TEXT, 1, choices=("0", "1", "2")),
    "Kurzbezeichnung": Rule(_TEXT, 15),
    "EU-Land": Rule(_TEXT, 2, pattern=r"[A-Z]{2}"),
    "EU-UStID": Rule(_TEXT, 13, pattern=r"[A-Z0-9+*]{2,13}"),
    "Anrede": Rule(_TEXT, 30),
    "Titel/Akad. Grad": Rule(_TEXT, 25),
    "Adressart": Rule(_TEXT, 3, choices=("STR", "PF", "GK")),
    "Straße": Rule(_TEXT, 36),
    "Postfach": Rule(_TEXT, 10),
    "Postleitzahl": Rule(_TEXT, 10),
    "Ort": Rule(_TEXT, 30),
    "Land": Rule(_TEXT, 2, pattern=r"[A-Z]{2}"),
    "Versandzusatz": Rule(_TEXT, 50),
    "Adresszusatz": Rule(_TEXT, 36),
    "Telefon": Rule(_TEXT, 60),
    "Telefon GL": Rule(_TEXT, 60),
    "E-Mail": Rule(_TEXT, 60),
    "Internet": Rule(_TEXT, 60),
    "Fax": Rule(_TEXT, 60),
    "Sonstige": Rule(_TEXT, 60),
    **{
        name: rule
        for n in range(1, 11)
        for name, rule in (
            (f"Bankleitzahl {n}", Rule(_TEXT, 8)),
            (f"Bankbezeichnung {n}", Rule(_TEXT, 30)),
            (f"Bank-Kontonummer {n}", Rule(_TEXT, 10)),
            (f"Länderkennzeichen {n}", Rule(_TEXT, 2, pattern=r"[A-Z]{2}")),
            (f"IBAN-Nr. {n}", Rule(_TEXT, 34, pattern=r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")),
            (f"SWIFT-Code {n}", Rule(_TEXT, 11, pattern=r"[A-Z0-9]{8}([A-Z0-9]{3})?")),
            (f"Abw. Kontoinhaber {n}", Rule(_TEXT, 70)),
            (f"Kennz. Hauptbankverb. {n}", Rule(_TEXT, 1, choices=("0", "1"))),
        )
    },
    "Briefanrede": Rule(_TEXT, 100),
    "Kunden-/Lief.-Nr.": Rule(_TEXT, 15),
    "Steuernummer": Rule(_TEXT, 20),
    "Sprache": Rule("number", 2, choices=("1", "4", "5", "10", "19")),
    "Ansprechpartner": Rule(_TEXT, 40),
    "Nummer Fremdsystem": Rule(_TEXT, 15),
    "Insolvent": Rule("number", 1, choices=("0", "1")),
    **{f"SEPA-Mandatsreferenz {n}": Rule(_TEXT, 35) for n in range(1, 11)},
    "Alternativer Suchname": Rule(_TEXT, 50),
    "Status": Rule("number", 1, choices=("0", "1")),
}


@dataclass(frozen=True)
class Format:
    category: int
    name: str
    version: int
    columns: tuple
    rules: dict


BOOKINGS = Format(21, "Buchungsstapel", 13, tuple(BOOKING_COLUMNS), BOOKING_RULES)
PARTNERS = Format(16, "Debitoren/Kreditoren", 5, tuple(PARTNER_COLUMNS), PARTNER_RULES)
FORMATS = {fmt.category: fmt for fmt in (BOOKINGS, PARTNERS)}
# Columns by name (the first of equal names, "Leerfeld", is never written)
BOOKING_INDEX = {name: i for i, name in reversed(list(enumerate(BOOKING_COLUMNS)))}
PARTNER_INDEX = {name: i for i, name in reversed(list(enumerate(PARTNER_COLUMNS)))}

LANGUAGES = {"de": "1", "fr": "4", "en": "5", "es": "10", "it": "19"}
LANGUAGE_CODES = {value: key for key, value in LANGUAGES.items()}


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def amount(cents):
    """An amount in cents as DATEV writes it: 1234,56 (no sign, no thousands separator)."""
    cents = abs(int(cents))
    return f"{cents // 100},{cents % 100:02d}"


def _quote(value):
    return '"' + value.replace('"', '""') + '"'


def text(value, length):
    """A quoted text field: one line in Windows-1252, at most `length` characters."""
    if not value:
        return '""'
    value = str(value)
    if not (value.isascii() and value.isprintable()):
        value = sanitize.datev(value)
    return _quote(value.strip()[:length].rstrip())


@dataclass
class Header:
    """The first line of a file. Dates are datetime.date; `created` a datetime (DATEV wants
    the creation time; the export gives the time of the latest change of the data so that
    the same data give the same file)."""

    fmt: Format
    consultant: int
    client: int
    fiscal_year_start: object
    account_length: int
    created: object
    date_from: object = None
    date_to: object = None
    label: str = ""
    initials: str = ""
    currency: str = "EUR"
    chart: str = ""  # "03" (SKR03) or "04" (SKR04)
    locked: bool = False

    def fields(self):
        bookings = self.fmt.category == BOOKINGS.category
        ymd = "%Y%m%d"
        return [
            _quote("EXTF"),
            str(HEADER_VERSION),
            str(self.fmt.category),
            _quote(self.fmt.name),
            str(self.fmt.version),
            self.created.strftime("%Y%m%d%H%M%S") + f"{self.created.microsecond // 1000:03d}",
            "",
            _quote(ORIGIN),
            '""',
            '""',
            str(self.consultant),
            str(self.client),
            self.fiscal_year_start.strftime(ymd),
            str(self.account_length),
            self.date_from.strftime(ymd) if bookings else "",
            self.date_to.strftime(ymd) if bookings else "",
            text(self.label, 30),
            text(self.initials, 2),
            "1" if bookings else "",
            "0" if bookings else "",
            ("1" if self.locked else "0") if bookings else "",
            _quote(self.currency) if bookings else '""',
            "",
            '""',
            "",
            "",
            _quote(self.chart) if self.chart else '""',
            "",
            "",
            '""',
            '""',
        ]


def write(header, rows):
    """The file as bytes (Windows-1252, CR LF). `rows`: lists of field values already
    formatted (see `amount`, `text`), as long as the format's columns or shorter (the rest
    is empty)."""
    width = len(header.fmt.columns)
    lines = [";".join(header.fields()), ";".join(header.fmt.columns)]
    for row in rows:
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        lines.append(";".join(row))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------
@dataclass
class Field:
    value: str
    quoted: bool


def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _split_line(line):
    """The fields of one line, remembering which were quoted."""
    fields, i, n = [], 0, len(line)
    while True:
        if i < n and line[i] == '"':
            value, i = [], i + 1
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                value.append(line[i])
                i += 1
            fields.append(Field("".join(value), True))
            j = line.find(";", i)
        else:
            j = line.find(";", i)
            fields.append(Field(line[i:] if j < 0 else line[i:j], False))
        if j < 0:
            return fields
        i = j + 1


def read(data):
    """(header fields, format or None, column headings, [(line number, [Field])]) of a
    DATEV file given as bytes or text. FormatError when it is not a DATEV file."""
    content = _decode(data) if isinstance(data, bytes) else data
    # quoted fields never hold line breaks in a valid file: split on lines
    lines = content.splitlines()
    if not lines or not lines[0].strip():
        raise FormatError("The file is empty.")
    header = _split_line(lines[0])
    if header[0].value not in ("EXTF", "DTVF"):
        raise FormatError("The file does not start with a DATEV header line (EXTF).")
    category = int(header[2].value) if len(header) > 2 and header[2].value.isdigit() else 0
    fmt = FORMATS.get(category)
    headings = [f.value for f in _split_line(lines[1])] if len(lines) > 1 else []
    rows = [(number, _split_line(line)) for number, line in enumerate(lines[2:], 3) if line]
    return header, fmt, headings, rows


@dataclass
class Finding:
    line: int
    column: int  # 1-based, 0 for the whole line
    name: str
    code: str
    value: str = ""

    def __str__(self):
        return f"line {self.line}, field {self.column} ({self.name}): {self.code} {self.value!r}"


_AMOUNT = re.compile(r"\d+,\d{2}")
_RATE = re.compile(r"\d+,\d{2,6}")


def _real_day(day, month, year=2024):
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _check_text(rule, value, quoted, _account_length):
    if not quoted:
        return "unquoted"
    if len(value) > rule.length:
        return "too long"
    if rule.choices and value not in rule.choices:
        return "not allowed"
    if rule.pattern and not re.fullmatch(rule.pattern, value):
        return "wrong characters"
    return "line break" if any(char in value for char in "\r\n\t") else ""


def _check_amount(rule, value, _quoted, _account_length):
    if not _AMOUNT.fullmatch(value) or len(value.split(",")[0]) > rule.length:
        return "not an amount"
    return "zero" if rule.required and not value.strip("0,") else ""


def _check_rate(rule, value, _quoted, _account_length):
    return "" if _RATE.fullmatch(value) and len(value.split(",")[0]) <= rule.length else "bad"


def _check_account(_rule, value, _quoted, account_length):
    if not value.isdigit() or not value.strip("0") or len(value) > account_length + 1:
        return "not an account"
    return ""


def _check_ddmm(_rule, value, _quoted, _account_length):
    if len(value) != 4 or not value.isdigit():
        return "not DDMM"
    return "" if _real_day(int(value[:2]), int(value[2:])) else "no such day"


def _check_date(_rule, value, _quoted, _account_length):
    if len(value) != 8 or not value.isdigit():
        return "not DDMMYYYY"
    return "" if _real_day(int(value[:2]), int(value[2:4]), int(value[4:])) else "no such day"


def _check_number(rule, value, _quoted, _account_length):
    if rule.choices and value not in rule.choices:
        return "not allowed"
    return "" if value.isdigit() and len(value) <= rule.length else "not a number"


_CHECKS = {
    _TEXT: _check_text,
    "amount": _check_amount,
    "rate": _check_rate,
    "account": _check_account,
    "ddmm": _check_ddmm,
    "date": _check_date,
    "number": _check_number,
}


def _check_value(rule, value, quoted, account_length):
    """The problem code of one field value, or ''."""
    if value == "":
        return "missing" if rule.required else ""
    if quoted and rule.kind != _TEXT:
        return "quoted number"
    return _CHECKS[rule.kind](rule, value, quoted, account_length)


def _check_booking_header(field, bad):
    """The header fields only a Buchungsstapel has: period, booking type, lock, currency."""
    start, end = field(15), field(16)
    if not (len(start) == 8 and start.isdigit() and len(end) == 8 and end.isdigit()):
        bad(15, "period")
    elif not (field(13) <= start <= end and start[:4] == end[:4]):
        bad(16, "period outside one fiscal year")
    if field(19) != "1":
        bad(19, "booking type")
    if field(21) not in ("0", "1"):
        bad(21, "lock flag")
    if not re.fullmatch(r"[A-Z]{3}", field(22)):
        bad(22, "currency")


def _check_header(header, out):
    def field(i):
        return header[i - 1].value if len(header) >= i else ""

    def bad(i, code):
        out.append(Finding(1, i, f"header {i}", code, field(i)))

    if len(header) != 31:
        out.append(Finding(1, 0, "header", "not 31 fields", str(len(header))))
        return None
    if field(1) != "EXTF" or not header[0].quoted:
        bad(1, "not EXTF")
    if field(2) != str(HEADER_VERSION):
        bad(2, "header version")
    fmt = FORMATS.get(int(field(3))) if field(3).isdigit() else None
    if not fmt:
        bad(3, "unknown format category")
        return None
    if field(4) != fmt.name:
        bad(4, "format name")
    if field(5) != str(fmt.version):
        bad(5, "format version")
    for index, ok, code in (
        (6, lambda v: len(v) == 17 and v.isdigit(), "creation time"),
        (11, lambda v: v.isdigit() and 1001 <= int(v) <= 9999999, "consultant number"),
        (12, lambda v: v.isdigit() and 1 <= int(v) <= 99999, "client number"),
        (13, lambda v: len(v) == 8 and v.isdigit(), "fiscal year start"),
        (14, lambda v: v.isdigit() and 4 <= int(v) <= 8, "account length"),
    ):
        if not ok(field(index)):
            bad(index, code)
    if fmt is BOOKINGS:
        _check_booking_header(field, bad)
    if len(field(17)) > 30:
        bad(17, "label too long")
    if len(field(18)) > 2:
        bad(18, "initials too long")
    if field(27) and not re.fullmatch(r"\d{2}", field(27)):
        bad(27, "chart")
    return fmt


def check(data):
    """Every breach of DATEV's field rules in a file (bytes), as `Finding`s; [] for a file
    DATEV imports. Checks the encoding (Windows-1252 or UTF-8 with BOM), the header, the
    column headings, the number of fields per row, every field with a rule (type, length,
    mandatory, characters), the booking dates inside the header's period, the length of
    personal accounts (G/L length + 1) and at most 99,999 bookings per file."""
    out = []
    if not data.startswith(b"\xef\xbb\xbf"):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            out.append(Finding(0, 0, "file", "not Windows-1252"))
            return out
    header, _fmt, headings, rows = read(data)
    fmt = _check_header(header, out)
    if fmt is None:
        return out
    if tuple(headings) != fmt.columns:
        out.append(Finding(2, 0, "headings", "column headings differ from the format"))
    account_length = int(header[13].value) if header[13].value.isdigit() else 8
    period = None
    if fmt is BOOKINGS and not out:
        period = (header[14].value, header[15].value)
        if len(rows) > 99999:
            out.append(Finding(0, 0, "file", "more than 99,999 bookings", str(len(rows))))
    rules = [(i, name, fmt.rules[name]) for i, name in enumerate(fmt.columns) if name in fmt.rules]
    width = len(fmt.columns)
    for number, fields in rows:
        if len(fields) != width:
            out.append(Finding(number, 0, "row", f"{len(fields)} fields, not {width}"))
            continue
        for i, name, rule in rules:
            field = fields[i]
            code = _check_value(rule, field.value, field.quoted, account_length)
            if code:
                out.append(Finding(number, i + 1, name, code, field.value))
        for i, field in enumerate(fields):
            if field.value and fmt.columns[i] == "Leerfeld":
                out.append(Finding(number, i + 1, "Leerfeld", "must be empty", field.value))
        if fmt is BOOKINGS:
            _check_booking(number, fields, period, out)
        else:
            _check_partner(number, fields, account_length, out)
    return out


def _check_booking(number, fields, period, out):
    ddmm = fields[BOOKING_INDEX["Belegdatum"]].value
    if period and len(ddmm) == 4 and ddmm.isdigit():
        date = period[0][:4] + ddmm[2:] + ddmm[:2]
        if not period[0] <= date <= period[1]:
            out.append(Finding(number, 10, "Belegdatum", "outside the period", ddmm))
    account = fields[BOOKING_INDEX["Konto"]].value
    contra = fields[BOOKING_INDEX["Gegenkonto (ohne BU-Schlüssel)"]].value
    if account and account == contra:
        out.append(Finding(number, 8, "Gegenkonto", "same as Konto", contra))


def _check_partner(number, fields, account_length, out):
    account = fields[0].value
    if account.isdigit() and (len(account) != account_length + 1 or account.startswith("0")):
        out.append(Finding(number, 1, "Konto", "not a personal account", account))
    kind = fields[PARTNER_INDEX["Adressattyp"]].value
    name_field = {"1": 3, "0": 5}.get(kind, 1)
    if not fields[name_field].value:
        out.append(Finding(number, name_field + 1, PARTNER_COLUMNS[name_field], "missing"))


# ---------------------------------------------------------------------------------------------
# Master data of personal accounts (Debitoren/Kreditoren) <-> Contact
# ---------------------------------------------------------------------------------------------
def partner_row(contact, account):
    """The Debitoren/Kreditoren row (list of formatted fields) of `contact` on the personal
    account `account` (str of digits)."""
    row = [""] * len(PARTNER_COLUMNS)

    def put(name, value):
        rule = PARTNER_RULES[name]
        if value in (None, ""):
            row[PARTNER_INDEX[name]] = '""' if rule.kind == _TEXT else ""
        elif rule.kind == _TEXT:
            row[PARTNER_INDEX[name]] = text(value, rule.length)
        else:
            row[PARTNER_INDEX[name]] = str(value)

    for name, rule in PARTNER_RULES.items():
        if rule.kind == _TEXT:
            row[PARTNER_INDEX[name]] = '""'
    row[0] = str(account)
    if contact.is_company:
        put("Name (Adressattyp Unternehmen)", contact.name)
        put("Adressattyp", "2")
    else:
        first, last = contact.person_names
        put("Name (Adressattyp natürl. Person)", last)
        put("Vorname (Adressattyp natürl. Person)", first)
        put("Adressattyp", "1")
        put("Titel/Akad. Grad", contact.title)
    put("Kurzbezeichnung", contact.ref)
    vat = re.sub(r"[^A-Z0-9+*]", "", (contact.vat or "").upper())
    if re.fullmatch(r"[A-Z]{2}[A-Z0-9+*]{2,13}", vat):
        put("EU-Land", vat[:2])
        put("EU-UStID", vat[2:])
    if contact.street or contact.zip or contact.city:
        put("Adressart", "STR")
    put("Straße", contact.street)
    put("Adresszusatz", contact.street2)
    put("Postleitzahl", contact.zip)
    put("Ort", contact.city)
    if re.fullmatch(r"[A-Z]{2}", contact.country or ""):
        put("Land", contact.country)
    put("Telefon", contact.phone)
    put("Sonstige", contact.mobile)
    put("E-Mail", contact.email)
    put("Internet", contact.website)
    for n, account_data in enumerate(contact.bank_accounts[:10], 1):
        number = iban_tools.normalise(account_data.get("iban"))
        if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", number):
            continue
        put(f"IBAN-Nr. {n}", number)
        put(f"Länderkennzeichen {n}", number[:2])
        bic = re.sub(r"\s", "", (account_data.get("bic") or "").upper())
        if re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", bic):
            put(f"SWIFT-Code {n}", bic)
        put(f"Bankbezeichnung {n}", account_data.get("bank"))
        put(f"Abw. Kontoinhaber {n}", account_data.get("holder"))
        put(f"Kennz. Hauptbankverb. {n}", "1" if n == 1 else "0")
    put("Kunden-/Lief.-Nr.", contact.ref)
    put("Steuernummer", contact.company_registry)
    put("Sprache", LANGUAGES.get((contact.lang or "")[:2], ""))
    put("Nummer Fremdsystem", contact.external_id)
    for n, reference in enumerate(contact.mandates[:10], 1):
        put(f"SEPA-Mandatsreferenz {n}", reference)
    return row


def contacts_from_partner_file(data, debtor_range=(10000, 69999), creditor_range=(70000, 99999)):
    """(contacts, problems) of a Debitoren/Kreditoren file. The personal account becomes
    the debtor number when it lies in `debtor_range`, the creditor number in
    `creditor_range` (DATEV's SKR03/SKR04 practice for 4-digit G/L accounts)."""
    header, fmt, headings, rows = read(data)
    if fmt is not PARTNERS:
        raise FormatError("The DATEV file holds no Debitoren/Kreditoren (format category 16).")
    index = {name: i for i, name in reversed(list(enumerate(headings)))}
    contacts, problems = [], []
    for position, (line, fields) in enumerate(rows, 1):
        values = [f.value.strip() for f in fields]

        def get(name, values=values):
            i = index.get(name)
            return values[i] if i is not None and i < len(values) else ""

        account = get("Konto")
        if not account.isdigit():
            problems.append(Problem(position, line, "account", account))
            continue
        kind = get("Adressattyp")
        contact = Contact(row=position, line=line)
        if kind == "1" or (not kind and get("Name (Adressattyp natürl. Person)")):
            contact.first_name = get("Vorname (Adressattyp natürl. Person)")
            contact.last_name = get("Name (Adressattyp natürl. Person)")
            contact.name = full_name(contact.first_name, contact.last_name)
            contact.title = get("Titel/Akad. Grad")
        else:
            contact.is_company = True
            contact.name = get("Name (Adressattyp Unternehmen)") or get(
                "Name (Adressattyp keine Angabe)"
            )
        if not contact.name:
            problems.append(Problem(position, line, "name", account))
            continue
        number = int(account)
        if debtor_range[0] <= number <= debtor_range[1]:
            contact.debtor_number = account
        elif creditor_range[0] <= number <= creditor_range[1]:
            contact.creditor_number = account
        else:
            problems.append(Problem(position, line, "account range", account, contact.name))
            continue
        vat_country, vat = get("EU-Land"), get("EU-UStID")
        if vat:
            contact.vat = vat if vat[:2].isalpha() and not vat_country else vat_country + vat
        contact.street = get("Straße")
        contact.street2 = get("Adresszusatz")
        contact.zip = get("Postleitzahl")
        contact.city = get("Ort")
        contact.country = get("Land")
        contact.phone = get("Telefon")
        contact.mobile = get("Sonstige")
        contact.email = get("E-Mail")
        contact.website = get("Internet")
        contact.ref = get("Kunden-/Lief.-Nr.") or get("Kurzbezeichnung")
        contact.company_registry = get("Steuernummer")
        contact.lang = LANGUAGE_CODES.get(get("Sprache"), "")
        contact.external_id = get("Nummer Fremdsystem")
        for n in range(1, 11):
            number = get(f"IBAN-Nr. {n}")
            if number:
                contact.bank_accounts.append(
                    {
                        "iban": number,
                        "bic": get(f"SWIFT-Code {n}"),
                        "holder": get(f"Abw. Kontoinhaber {n}"),
                        "bank": get(f"Bankbezeichnung {n}"),
                    }
                )
        contacts.append(contact)
    return contacts, problems


def looks_like(data):
    """Whether the bytes start like a DATEV EXTF file."""
    head = data[:20].lstrip(b"\xef\xbb\xbf")
    return head.startswith((b'"EXTF"', b"EXTF", b'"DTVF"'))
