"""sevDesk contacts CSV (Kontakte > Export, and the same columns in sevDesk's contact import
template, Einstellungen > System > Kontakte importieren).

One row per person or organisation: "Organisation" filled and no first or last name is an
organisation; the country written out in German ("Deutschland"), as sevDesk's help article
"Kunden- und Lieferantendaten ... in sevdesk importieren" (hilfe.sevdesk.de) asks for it;
"Kategorie" is sevDesk's contact category (Kunde, Lieferant, Partner, Interessent or your
own). Separator semicolon, UTF-8 with BOM.
"""

from .columns import ColumnFormat

FORMAT = ColumnFormat(
    [
        ("Kunden-Nr.", "ref"),
        ("Anrede", ""),
        ("Titel", "title"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Organisation", "company"),
        ("Kategorie", "tags"),
        ("Position", "function"),
        ("Straße", "street"),
        ("PLZ", "zip"),
        ("Ort", "city"),
        ("Land", "country"),
        ("Telefon", "phone"),
        ("Mobil", "mobile"),
        ("E-Mail", "email"),
        ("Webseite", "website"),
        ("Umsatzsteuer-ID", "vat"),
        ("Steuernummer", "company_registry"),
        ("IBAN", "iban"),
        ("BIC", "bic"),
        ("Geburtstag", "birthday"),
        ("Beschreibung", "note"),
        ("Debitoren-Nr.", "debtor_number"),
        ("Kreditoren-Nr.", "creditor_number"),
    ],
    company_column="Organisation",
    country_names=True,
    required=("Kunden-Nr.", "Organisation", "Kategorie"),
)
looks_like = FORMAT.looks_like
read = FORMAT.read_file
write = FORMAT.write_file
