"""Contact CSVs of programs whose export is one row per contact with fixed German column
names (lexoffice, sevDesk): read by column name, written in the program's column order."""

from . import tabular

# German country names for programs that write the country out (sevDesk); reading takes
# any name crm_core knows (COUNTRY_NAMES, and Odoo's names in the import wizard).
GERMAN_COUNTRIES = {
    "DE": "Deutschland",
    "AT": "Österreich",
    "CH": "Schweiz",
    "CZ": "Tschechien",
    "SK": "Slowakei",
    "PL": "Polen",
    "FR": "Frankreich",
    "IT": "Italien",
    "NL": "Niederlande",
    "BE": "Belgien",
    "LU": "Luxemburg",
    "DK": "Dänemark",
    "ES": "Spanien",
    "HU": "Ungarn",
    "GB": "Vereinigtes Königreich",
    "US": "Vereinigte Staaten",
}


class ColumnFormat:
    """A program's contact CSV: `columns` [(heading, field)] in the program's order (field
    '' = not read), `company_column` the heading whose value makes the row a company,
    `delimiter`, `encoding`, `country_names` (write countries as German names), `required`
    (the column names that tell the format) and `debtor_from_ref` (a reference in the debtor
    range is the debtor number)."""

    def __init__(
        self,
        columns,
        company_column,
        delimiter=";",
        encoding="utf-8-sig",
        country_names=False,
        required=(),
        debtor_from_ref=False,
    ):
        self.columns = columns
        self.company_column = company_column
        self.delimiter = delimiter
        self.encoding = encoding
        self.country_names = country_names
        self.required = set(required)
        self.debtor_from_ref = debtor_from_ref
        self.headings = [heading for heading, _field in columns]
        self.fields = {heading.casefold(): field for heading, field in columns if field}

    def looks_like(self, headings):
        names = {h.casefold() for h in headings}
        return {h.casefold() for h in self.required} <= names

    def read_file(self, data):
        """(contacts, problems) of the program's CSV file (bytes)."""
        headings, rows = tabular.read_table(data)
        contacts, problems = [], []
        for position, (line, cells) in enumerate(rows, 1):
            values = {}
            for index, heading in enumerate(headings):
                field = self.fields.get(heading.casefold())
                if field and index < len(cells) and cells[index].strip():
                    values.setdefault(field, cells[index].strip())
            company = values.pop("company", "")
            if company and not (values.get("first_name") or values.get("last_name")):
                values["name"], values["is_company"] = company, "Firma"
            elif company:
                values["company_name"] = company
            ref = values.get("ref", "")
            if self.debtor_from_ref and ref.isdigit() and 10000 <= int(ref) <= 69999:
                values.setdefault("debtor_number", ref)
            contact = tabular.contact_from_values(position, line, values, problems)
            if contact:
                contacts.append(contact)
        return contacts, problems

    def write_file(self, contacts):
        rows = []
        for contact in contacts:
            first, last = (
                (contact.first_name, contact.last_name)
                if contact.is_company
                else contact.person_names
            )
            bank = contact.bank_accounts[0] if contact.bank_accounts else {}
            country = contact.country
            if self.country_names:
                country = GERMAN_COUNTRIES.get(country, country)
            values = {
                "company": contact.name if contact.is_company else contact.company_name,
                "first_name": "" if contact.is_company else first,
                "last_name": "" if contact.is_company else last,
                "iban": bank.get("iban", ""),
                "bic": bank.get("bic", ""),
                "tags": ", ".join(contact.tags),
                "birthday": contact.birthday.strftime("%d.%m.%Y") if contact.birthday else "",
                "country": country,
            }
            rows.append(
                [
                    values[field] if field in values else (getattr(contact, field) if field else "")
                    for _heading, field in self.columns
                ]
            )
        return tabular.write_csv(
            self.headings, rows, delimiter=self.delimiter, encoding=self.encoding
        )
