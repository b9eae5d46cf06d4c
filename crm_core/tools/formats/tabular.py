"""Tables of contacts: CSV (any of the usual encodings and separators) and XLSX, read and
written; the column mapping that turns the rows of a table into `Contact`s.

Reading is forgiving in the ways exports of other programs need: UTF-8 with or without BOM,
UTF-16 with BOM (Outlook's "Unicode" export), Windows-1252 (Excel's "CSV" on Western
Windows); comma, semicolon, tab or pipe as separator (the most frequent in the first lines); quoted
fields with line breaks. NUL characters are dropped. A file that is not UTF-8 is Windows-1250
(Central Europe: POHODA's and a Czech Excel's CSV) when it uses that code page's distinctive
letters more than Windows-1252's, else Windows-1252. The column names are in the first row
that names two known fields or has more than half the filled cells of the fullest of the
first rows: a title, a merged group heading or Excel's "sep=;" line above them is left out.
"""

import csv
import io
import re

from ..sanitize import csv_cell
from ..sanitize import text as clean_text
from . import Contact, FormatError, Problem, full_name, parse_date

MAX_ROWS = 1_000_000
SEPARATORS = (",", ";", "\t", "|")
XLSX_MAGIC = b"PK\x03\x04"

# The contact fields a column can be mapped to (Contact attributes; "iban", "bic" and
# "tags" fill lists), with the column names that mean them in other programs (lower case,
# compared without blanks, dots, hyphens and underscores).
FIELDS = {
    "name": [
        "name",
        "firma",
        "firmenname",
        "company",
        "companyname",
        "organisation",
        "organization",
        "firmanazev",
        "nazev",
        "název",
        "kundenname",
        "customer",
        "displayname",
        "fullname",
    ],
    "first_name": ["vorname", "firstname", "givenname", "jmeno", "jméno"],
    "last_name": ["nachname", "lastname", "familyname", "surname", "prijmeni", "příjmení"],
    "company_name": ["arbeitgeber", "employer", "organizationname", "firmaderperson"],
    "title": ["titel", "title", "akademischertitel", "titul"],
    "function": ["position", "jobtitle", "funktion", "function", "funkce", "organizationtitle"],
    "department": ["abteilung", "department", "oddeleni", "oddělení"],
    "street": ["strasse", "straße", "street", "address", "adresse", "ulice", "anschrift"],
    "street2": ["adresszusatz", "street2", "zusatz", "addressline2"],
    "zip": ["plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode", "psc", "psč"],
    "city": ["ort", "stadt", "city", "town", "mesto", "město", "obec"],
    "state": ["bundesland", "region", "state", "kraj"],
    "country": ["land", "country", "countrycode", "stat", "stát", "länderkennzeichen"],
    "phone": ["telefon", "phone", "tel", "telephone", "telefonnummer", "phonenumber"],
    "mobile": ["mobil", "mobile", "handy", "mobiltelefon", "mobilephone", "cellphone"],
    "email": ["email", "e-mail", "mail", "emailadresse", "e-mail-adresse", "emailaddress"],
    "website": ["website", "webseite", "internet", "web", "url", "homepage", "www"],
    "vat": [
        "ustid",
        "ust-id",
        "ustidnr",
        "umsatzsteuerid",
        "umsatzsteuer-id",
        "vat",
        "vatid",
        "vatnumber",
        "dic",
        "dič",
        "uid",
    ],
    "company_registry": [
        "steuernummer",
        "ico",
        "ičo",
        "handelsregister",
        "registernummer",
        "companyregistry",
        "taxnumber",
    ],
    "ref": [
        "kundennummer",
        "kunden-nr",
        "kundennr",
        "customernumber",
        "customerno",
        "referenz",
        "reference",
        "ref",
        "nummer",
        "number",
        "cislo",
        "číslo",
    ],
    "debtor_number": ["debitor", "debitorennummer", "debitorenkonto", "debtor", "debtornumber"],
    "creditor_number": [
        "kreditor",
        "kreditorennummer",
        "kreditorenkonto",
        "creditor",
        "creditornumber",
        "lieferantennummer",
    ],
    "iban": ["iban", "bankverbindung", "kontonummer"],
    "bic": ["bic", "swift", "swiftcode", "swift-code"],
    "tags": ["kategorie", "kategorien", "category", "categories", "tags", "labels", "gruppe"],
    "note": [
        "notiz",
        "notizen",
        "bemerkung",
        "note",
        "notes",
        "kommentar",
        "comment",
        "poznamka",
        "poznámka",
        "beschreibung",
        "description",
    ],
    "birthday": ["geburtstag", "geburtsdatum", "birthday", "birthdate", "datumnarozeni"],
    "lang": ["sprache", "language", "lang", "jazyk"],
    "is_company": ["typ", "type", "art", "kontaktart", "firmaoderperson"],
}


def _key(name):
    return re.sub(r"[\s._\-/()]+", "", (name or "").strip().casefold())


_SYNONYMS = {_key(word): field for field, words in FIELDS.items() for word in words}


def guess_mapping(headings):
    """{column index: field} of the columns whose name means a contact field; the first
    column of a field wins."""
    mapping, taken = {}, set()
    for index, heading in enumerate(headings):
        field = _SYNONYMS.get(_key(heading))
        if field and field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def decode(data):
    """The text of a CSV file given as bytes (see the module's docstring)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode(_legacy_code_page(data), errors="replace")
    return text.replace("\x00", "")


# Bytes that Windows-1250 and Windows-1252 read as different letters: frequent in Czech,
# Slovak and Polish (ř ě ť ď ź Ř Ě Ť Ď Ź), rare or undefined in Western languages (ø ì ï Ø Ì
# Ï); and the other way round (à À ñ Ñ ã å, in Windows-1250 the rare ŕ Ŕ ń Ń ă ĺ).
_CENTRAL_BYTES = b"\xf8\xec\x9d\xef\x9f\xd8\xcc\x8d\xcf\x8f"
_WESTERN_BYTES = b"\xe0\xc0\xf1\xd1\xe3\xe5"


def _legacy_code_page(data):
    """The Windows code page of a file that is not UTF-8 (see the module's docstring)."""
    central = sum(data.count(byte) for byte in _CENTRAL_BYTES)
    western = sum(data.count(byte) for byte in _WESTERN_BYTES)
    return "cp1250" if central > western else "cp1252"


def sniff_separator(first_line):
    """The separator of a heading line: the most frequent of , ; tab | outside quotes."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(data):
    """(headings, rows): rows are (line number, [cells]) of a CSV or XLSX file (bytes), the
    empty rows left out. FormatError for a file that is neither."""
    if not data or not data.strip():
        raise FormatError("The file is empty.")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    text = decode(data)
    # the separator of the first lines (a title line above the column names has none)
    first = "\n".join([line for line in text[:65536].splitlines() if line.strip()][:HEADING_SEARCH])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(first))
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                raise FormatError(f"The file has more than {MAX_ROWS:,} rows.")
    except csv.Error as error:
        raise FormatError(f"The file is no readable CSV file: {error}") from error
    return _headings_and_rows(rows)


HEADING_SEARCH = 10  # the rows looked at for the column names


def _filled(cells):
    return sum(1 for cell in cells if cell.strip())


def _headings_and_rows(rows):
    """(headings, rows) of the non-empty rows of a table: the column names are in the first
    of the first rows that names two known fields or has more than half the filled cells
    of the fullest of them (rows above it are a title, a merged group heading, Excel's
    "sep=;")."""
    if not rows:
        raise FormatError("The file is empty.")
    first = [cells for _line, cells in rows[:HEADING_SEARCH]]
    fullest = max(_filled(cells) for cells in first)
    start = next(
        i
        for i, cells in enumerate(first)
        if fullest < 3 or 2 * _filled(cells) > fullest or len(guess_mapping(cells)) >= 2
    )
    headings = [clean_text(cell) for cell in rows[start][1]]
    return headings, [
        (line, [_unescape(cell) for cell in cells]) for line, cells in rows[start + 1 :]
    ]


def _unescape(cell):
    """A cell as written before a spreadsheet-safe export put an apostrophe before a leading
    = + - @ (sanitize.csv_cell, and Excel's own convention)."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


def _read_xlsx(data):
    import openpyxl  # noqa: PLC0415 - only for spreadsheets

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any damage of the ZIP or its XML
        raise FormatError("The file is no readable XLSX spreadsheet.") from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = ["" if value is None else _cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise FormatError(f"The file has more than {MAX_ROWS:,} rows.")
    finally:
        book.close()
    return _headings_and_rows(rows)


def _cell_text(value):
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime: a date cell
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_COMPANY_WORDS = {"firma", "company", "organisation", "organization", "unternehmen", "org"}


def contacts_from_rows(headings, rows, mapping):
    """(contacts, problems) of table rows with a {column index: field} mapping."""
    contacts, problems = [], []
    for position, (line, cells) in enumerate(rows, 1):
        values = {}
        for index, field in mapping.items():
            if index < len(cells) and cells[index].strip():
                values.setdefault(field, cells[index].strip())
        contact = contact_from_values(position, line, values, problems)
        if contact:
            contacts.append(contact)
    return contacts, problems


def contact_from_values(position, line, values, problems):
    """The contact of one row's {field: text}, or None with the row's problem added to
    `problems` (a birthday that is no date, no name at all)."""
    contact = Contact(row=position, line=line)
    try:
        fill_contact(contact, values)
    except ValueError as error:
        problems.append(Problem(position, line, str(error), values.get("birthday", "")))
        return None
    if not contact.display_name:
        problems.append(Problem(position, line, "name"))
        return None
    return contact


def fill_contact(contact, values):
    """Set the fields of `contact` from {field: text}; ValueError("birthday") for a birthday
    that is no date."""
    for field, value in values.items():
        if field in ("iban", "bic", "tags", "birthday", "is_company"):
            continue
        setattr(contact, field, clean_text(value, multiline=field == "note"))
    if values.get("iban"):
        contact.bank_accounts.append({"iban": values["iban"], "bic": values.get("bic", "")})
    if values.get("tags"):
        contact.tags = [t.strip() for t in re.split(r"[;,]| ::: ", values["tags"]) if t.strip()]
    if values.get("birthday"):
        try:
            contact.birthday = parse_date(values["birthday"])
        except ValueError as error:
            raise ValueError("birthday") from error
    kind = _key(values.get("is_company", ""))
    if contact.first_name or contact.last_name:
        person = full_name(contact.first_name, contact.last_name)
        if contact.name and contact.name != person:
            contact.company_name = contact.company_name or contact.name
        contact.name = person
    contact.is_company = kind in _COMPANY_WORDS or (
        not kind and not (contact.first_name or contact.last_name) and bool(contact.name)
    )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def write_csv(headings, rows, delimiter=",", encoding="utf-8-sig"):
    """A CSV file (bytes) every spreadsheet opens: cells through sanitize.csv_cell (no
    control characters, no formulas), all quoted, CR LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_cell(value) if value else "" for value in row])
    return buffer.getvalue().encode(encoding, errors="replace")


def write_xlsx(headings, rows):
    """An XLSX file (bytes) with one sheet: cells as text (no formulas)."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.append(headings)
    for row in rows:
        sheet.append([csv_cell(value) if value else None for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The generic table our own export writes (and the generic import maps by itself).
GENERIC_COLUMNS = [
    ("Name", "name"),
    ("Vorname", "first_name"),
    ("Nachname", "last_name"),
    ("Firma", "company_name"),
    ("Position", "function"),
    ("Straße", "street"),
    ("Adresszusatz", "street2"),
    ("PLZ", "zip"),
    ("Ort", "city"),
    ("Land", "country"),
    ("Telefon", "phone"),
    ("Mobil", "mobile"),
    ("E-Mail", "email"),
    ("Website", "website"),
    ("USt-IdNr", "vat"),
    ("Kundennummer", "ref"),
    ("Debitor", "debtor_number"),
    ("Kreditor", "creditor_number"),
    ("IBAN", "iban"),
    ("BIC", "bic"),
    ("Kategorien", "tags"),
    ("Geburtstag", "birthday"),
    ("Notiz", "note"),
    ("Typ", "is_company"),
]


def generic_row(contact):
    """The row of `contact` in the generic table (GENERIC_COLUMNS)."""
    bank = contact.bank_accounts[0] if contact.bank_accounts else {}
    values = {
        "iban": bank.get("iban", ""),
        "bic": bank.get("bic", ""),
        "tags": "; ".join(contact.tags),
        "birthday": contact.birthday.isoformat() if contact.birthday else "",
        "is_company": "Firma" if contact.is_company else "Person",
    }
    return [
        values[field] if field in values else getattr(contact, field)
        for _h, field in GENERIC_COLUMNS
    ]
