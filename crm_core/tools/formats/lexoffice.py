"""lexoffice (Lexware Office) contacts CSV.

Column names and order of lexoffice's contact table ("Kontakte" > "..." > import template;
the export of contacts writes the same columns): A "Kundennummer" (five digits, 10000 to
69999), B "Firmenname" (filled: the contact is a company), C "Steuernummer", D "Umsatzsteuer
ID", as lexoffice's support article "Anleitung zum Import von Kontakten (Kunden und
Lieferanten)" (support.lexoffice.de, article 2112664) lists them; then the person and the
address as lexoffice's contact form has them. Separator semicolon, UTF-8. The Kundennummer
is lexoffice's debtor number (DATEV's range): it becomes the customer's reference and debtor
number.
"""

from .columns import ColumnFormat

FORMAT = ColumnFormat(
    [
        ("Kundennummer", "ref"),
        ("Firmenname", "company"),
        ("Steuernummer", "company_registry"),
        ("Umsatzsteuer ID", "vat"),
        ("Anrede", ""),
        ("Titel", "title"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Straße", "street"),
        ("Adresszusatz", "street2"),
        ("PLZ", "zip"),
        ("Ort", "city"),
        ("Land", "country"),
        ("E-Mail", "email"),
        ("Telefon", "phone"),
        ("Mobil", "mobile"),
        ("Fax", ""),
        ("Webseite", "website"),
        ("IBAN", "iban"),
        ("BIC", "bic"),
        ("Notiz", "note"),
        ("Lieferantennummer", "creditor_number"),
    ],
    company_column="Firmenname",
    debtor_from_ref=True,
    required=("Kundennummer", "Firmenname", "Umsatzsteuer ID"),
)
looks_like = FORMAT.looks_like
read = FORMAT.read_file
write = FORMAT.write_file
