"""Which program a contact file comes from, and reading it into `Contact`s (no ORM).

`detect(data, filename)` names the source from the file's content (DATEV's header line,
POHODA's namespace, BEGIN:VCARD, the column names of Outlook, Google, lexoffice and
sevDesk); anything else with a heading line is a "table" whose columns are mapped by the
user. `read(source, data, mapping)` returns (contacts, problems, headings).
"""

from .. import vcard as vcard_tools
from . import (
    Contact,
    FormatError,
    Problem,
    datev,
    google,
    lexoffice,
    outlook,
    pohoda,
    sevdesk,
    tabular,
)

SOURCES = ["outlook", "google", "vcard", "datev", "pohoda", "lexoffice", "sevdesk", "table"]
TABULAR = {"outlook": outlook, "google": google, "lexoffice": lexoffice, "sevdesk": sevdesk}


def detect(data, filename=""):
    """The source of a file's content (one of SOURCES)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if datev.looks_like(data):
        return "datev"
    if head.lstrip().startswith(b"<") and pohoda.looks_like(data):
        return "pohoda"
    if b"BEGIN:VCARD" in head.upper() or (filename or "").lower().endswith((".vcf", ".vcard")):
        return "vcard"
    try:
        headings, _rows = tabular.read_table(data)
    except FormatError:
        return "table"
    for source in ("outlook", "google", "sevdesk", "lexoffice"):
        if TABULAR[source].looks_like(headings):
            return source
    return "table"


def read(source, data, mapping=None, debtor_range=(10000, 69999), creditor_range=(70000, 99999)):
    """(contacts, problems, headings) of a file of `source`; `mapping` ({column index:
    field}) for a table (None: guessed from the column names). FormatError when the file is
    not of the source at all."""
    if source == "datev":
        contacts, problems = datev.contacts_from_partner_file(data, debtor_range, creditor_range)
        return contacts, problems, []
    if source == "pohoda":
        contacts, problems = pohoda.read_addressbook(data)
        return contacts, problems, []
    if source == "vcard":
        return *read_vcards(data), []
    if source in TABULAR:
        headings, _rows = tabular.read_table(data)
        contacts, problems = TABULAR[source].read(data)
        return contacts, problems, headings
    headings, rows = tabular.read_table(data)
    if mapping is None:
        mapping = tabular.guess_mapping(headings)
    contacts, problems = tabular.contacts_from_rows(headings, rows, mapping)
    return contacts, problems, headings


def _main_address(card):
    for wanted in ("pref", "work"):
        for address in card.addresses:
            if wanted in address["types"]:
                return address
    return card.addresses[0] if card.addresses else {}


def read_vcards(data):
    """(contacts, problems) of a vCard file, through crm_core's vCard reader."""
    try:
        cards, errors = vcard_tools.parse_vcards(data)
    except vcard_tools.VCardFileError as error:
        raise FormatError("The file contains no vCard (no BEGIN:VCARD line).") from error
    contacts = []
    for card in cards:
        address = _main_address(card)
        emails = sorted(card.emails, key=lambda e: "pref" not in e[1])
        phones = sorted(card.phones, key=lambda p: ("pref" not in p[1], "cell" in p[1]))
        mobiles = [value for value, types in card.phones if "cell" in types]
        contact = Contact(row=card.index, line=card.line)
        contact.is_company = card.kind == "org" or not card.person_name
        contact.name = card.person_name or card.org or card.fn
        if not contact.is_company:
            contact.first_name, contact.last_name = card.given, card.family
            contact.company_name = card.org
            contact.title = card.prefix
            contact.function = card.title
            contact.birthday = card.bday
        contact.department = card.department
        contact.email = emails[0][0] if emails else ""
        others = [value for value, _types in phones if value not in mobiles]
        contact.phone = others[0] if others else ""
        contact.mobile = mobiles[0] if mobiles else ""
        contact.website = card.urls[0] if card.urls else ""
        contact.street = address.get("street", "")
        contact.street2 = address.get("street2", "")
        contact.zip = address.get("zip", "")
        contact.city = address.get("city", "")
        contact.state = address.get("region", "")
        contact.country = address.get("country", "")
        contact.tags = list(card.categories)
        more = [e for e, _t in emails[1:]] + [p for p in others[1:]]
        contact.note = "\n".join(p for p in (card.note, ", ".join(more)) if p)
        contact.external_id = card.uid
        contacts.append(contact)
    problems = [Problem(e.index, e.line, "vcard", e.message, e.name) for e in errors]
    return contacts, problems
