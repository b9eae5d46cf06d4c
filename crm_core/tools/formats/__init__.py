"""Contacts in the file formats of other systems, without the ORM.

Every format reads into and writes from `Contact`, one customer, supplier or contact person
as the exchange formats know it; the import wizard (wizards/crm_partner_import.py) turns
contacts into partners and the exports turn partners into contacts. A reader returns
`(contacts, problems)`: the rows it could read and a `Problem` for each row it could not,
so one bad row never hides the others. A file that is not of the format at all raises
`FormatError`.

Modules: `tabular` (CSV and XLSX reading and writing, the generic column mapping),
`outlook`, `google`, `lexoffice`, `sevdesk` (their contact CSV exports), `datev` (DATEV
EXTF: Debitoren/Kreditoren and the header shared with the Buchungsstapel), `pohoda` (POHODA
address book XML); vCard is `..vcard`.
"""

import datetime
from dataclasses import dataclass, field


class FormatError(ValueError):
    """The file as a whole is not of the expected format (the message says why)."""


@dataclass
class Problem:
    """A row that could not be read: its row number as the user sees it in the file (1 =
    first data row), the line in the file and what is wrong (English; `code` and `value`
    let the caller say it in the user's language)."""

    row: int
    line: int
    code: str
    value: str = ""
    name: str = ""


@dataclass
class Contact:
    row: int = 0  # row number in the file (1 = first data row)
    line: int = 0  # line in the file
    is_company: bool = False
    name: str = ""  # the company's name, or the person's full name
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""  # for a person: the company they work for
    contact_person: str = ""  # for a company: the name of its contact person
    title: str = ""  # Dr., Prof., Ing.
    function: str = ""
    department: str = ""
    street: str = ""
    street2: str = ""
    zip: str = ""
    city: str = ""
    state: str = ""
    country: str = ""  # ISO code or a country's name
    phone: str = ""
    mobile: str = ""
    email: str = ""
    website: str = ""
    vat: str = ""
    company_registry: str = ""  # Czech IČO, German Handelsregister number
    ref: str = ""  # customer number in the other system
    debtor_number: str = ""
    creditor_number: str = ""
    bank_accounts: list = field(default_factory=list)  # [{"iban", "bic", "holder", "bank"}]
    mandates: list = field(default_factory=list)  # SEPA mandate references
    tags: list = field(default_factory=list)
    note: str = ""
    birthday: datetime.date | None = None
    lang: str = ""  # ISO language code (de, cs, en)
    external_id: str = ""  # the other system's own id of the record

    @property
    def display_name(self):
        if self.name:
            return self.name
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.company_name

    @property
    def person_names(self):
        """(first name, last name) of a person: as given, or split from `name`."""
        if self.first_name or self.last_name:
            return self.first_name, self.last_name
        return split_name(self.name)


def full_name(first, last):
    return " ".join(p.strip() for p in (first or "", last or "") if p and p.strip())


def split_name(name):
    """(first name, last name) of a person's full name: the last word is the last name."""
    name = (name or "").strip()
    if " " not in name:
        return "", name
    first, _sep, last = name.rpartition(" ")
    return first.strip(), last.strip()


def parse_date(value):
    """A date as exchange files write it: 2026-12-07, 07.12.2026, 12/7/2026, 20261207;
    None when empty; ValueError when it is no date."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%Y", "%Y%m%d", "%d%m%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    if value[:10] != value:
        return parse_date(value[:10])
    raise ValueError(value)
