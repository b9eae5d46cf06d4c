"""Outlook's contact CSV (File > Open & Export > Import/Export > Export to a file > Comma
Separated Values), in English and in German.

The columns are those of the desktop Outlook export: the English names and their order as
Microsoft documents them in "Create or edit .csv files to import into Outlook"
(support.microsoft.com, article 4518d70d-8fe9-46ad-94fa-1494247193c7); the German Outlook
writes the same columns with German names ("Vorname", "Firma", "Straße geschäftlich",
"E-Mail-Adresse", ...). Outlook writes an empty birthday as "0.0.00" (German) or "0/0/00".
"""

from . import full_name, tabular

COLUMNS = [
    # (English, German, field)
    ("Title", "Anrede", "title"),
    ("First Name", "Vorname", "first_name"),
    ("Middle Name", "Weitere Vornamen", ""),
    ("Last Name", "Nachname", "last_name"),
    ("Suffix", "Suffix", ""),
    ("Company", "Firma", "company_name"),
    ("Department", "Abteilung", "department"),
    ("Job Title", "Position", "function"),
    ("Business Street", "Straße geschäftlich", "street"),
    ("Business Street 2", "Straße geschäftlich 2", "street2"),
    ("Business Street 3", "Straße geschäftlich 3", ""),
    ("Business City", "Ort geschäftlich", "city"),
    ("Business State", "Region geschäftlich", "state"),
    ("Business Postal Code", "Postleitzahl geschäftlich", "zip"),
    ("Business Country/Region", "Land/Region geschäftlich", "country"),
    ("Home Street", "Straße privat", "home_street"),
    ("Home Street 2", "Straße privat 2", ""),
    ("Home Street 3", "Straße privat 3", ""),
    ("Home City", "Ort privat", "home_city"),
    ("Home State", "Bundesland/Kanton privat", ""),
    ("Home Postal Code", "Postleitzahl privat", "home_zip"),
    ("Home Country/Region", "Land/Region privat", "home_country"),
    ("Other Street", "Weitere Straße", ""),
    ("Other Street 2", "Weitere Straße 2", ""),
    ("Other Street 3", "Weitere Straße 3", ""),
    ("Other City", "Weiterer Ort", ""),
    ("Other State", "Weiteres/r Bundesland/Kanton", ""),
    ("Other Postal Code", "Weitere Postleitzahl", ""),
    ("Other Country/Region", "Weiteres/e Land/Region", ""),
    ("Assistant's Phone", "Telefon Assistent", ""),
    ("Business Fax", "Fax geschäftlich", ""),
    ("Business Phone", "Telefon geschäftlich", "phone"),
    ("Business Phone 2", "Telefon geschäftlich 2", ""),
    ("Callback", "Rückmeldung", ""),
    ("Car Phone", "Autotelefon", ""),
    ("Company Main Phone", "Telefon Firma", "company_phone"),
    ("Home Fax", "Fax privat", ""),
    ("Home Phone", "Telefon (privat)", "home_phone"),
    ("Home Phone 2", "Telefon (privat 2)", ""),
    ("ISDN", "ISDN", ""),
    ("Mobile Phone", "Mobiltelefon", "mobile"),
    ("Other Fax", "Weiteres Fax", ""),
    ("Other Phone", "Weiteres Telefon", ""),
    ("Pager", "Pager", ""),
    ("Primary Phone", "Haupttelefon", ""),
    ("Radio Phone", "Mobiltelefon 2", ""),
    ("TTY/TDD Phone", "Telefon für Hörbehinderte", ""),
    ("Telex", "Telex", ""),
    ("Account", "Konto", ""),
    ("Anniversary", "Jahrestag", ""),
    ("Assistant's Name", "Assistent(in)", ""),
    ("Billing Information", "Abrechnungsinformation", ""),
    ("Birthday", "Geburtstag", "birthday"),
    ("Business Address PO Box", "Postfach geschäftlich", ""),
    ("Categories", "Kategorien", "tags"),
    ("Children", "Kinder", ""),
    ("Directory Server", "Verzeichnisserver", ""),
    ("E-mail Address", "E-Mail-Adresse", "email"),
    ("E-mail Type", "E-Mail-Typ", ""),
    ("E-mail Display Name", "E-Mail: Angezeigter Name", ""),
    ("E-mail 2 Address", "E-Mail 2: Adresse", "email2"),
    ("E-mail 2 Type", "E-Mail 2: Typ", ""),
    ("E-mail 2 Display Name", "E-Mail 2: Angezeigter Name", ""),
    ("E-mail 3 Address", "E-Mail 3: Adresse", ""),
    ("E-mail 3 Type", "E-Mail 3: Typ", ""),
    ("E-mail 3 Display Name", "E-Mail 3: Angezeigter Name", ""),
    ("Gender", "Geschlecht", ""),
    ("Government ID Number", "Sozialversicherungsnr.", ""),
    ("Hobby", "Hobby", ""),
    ("Home Address PO Box", "Postfach privat", ""),
    ("Initials", "Initialen", ""),
    ("Internet Free Busy", "Internet Frei/Gebucht", ""),
    ("Keywords", "Stichwörter", ""),
    ("Language", "Sprache", ""),
    ("Location", "Ort", ""),
    ("Manager's Name", "Name des/r Vorgesetzten", ""),
    ("Mileage", "Reisekilometer", ""),
    ("Notes", "Notizen", "note"),
    ("Office Location", "Büro", ""),
    ("Organizational ID Number", "Organisationsnr.", "ref"),
    ("Other Address PO Box", "Weiteres Postfach", ""),
    ("Priority", "Priorität", ""),
    ("Private", "Privat", ""),
    ("Profession", "Beruf", ""),
    ("Referred By", "Empfohlen von", ""),
    ("Sensitivity", "Vertraulichkeit", ""),
    ("Spouse", "Partner/in", ""),
    ("User 1", "Benutzer 1", ""),
    ("User 2", "Benutzer 2", ""),
    ("User 3", "Benutzer 3", ""),
    ("User 4", "Benutzer 4", ""),
    ("Web Page", "Webseite", "website"),
]
HEADERS_EN = [english for english, _german, _field in COLUMNS]
HEADERS_DE = [german for _english, german, _field in COLUMNS]
_FIELDS = {name: field for english, german, field in COLUMNS for name in (english, german) if field}
_EMPTY_DATES = {"0.0.00", "0/0/00", "00.00.0000", "1/0/00"}


def looks_like(headings):
    names = set(headings)
    return {"First Name", "E-mail Address"} <= names or {"Vorname", "E-Mail-Adresse"} <= names


def read(data):
    """(contacts, problems) of an Outlook CSV file (bytes)."""
    headings, rows = tabular.read_table(data)
    contacts, problems = [], []
    for position, (line, cells) in enumerate(rows, 1):
        values = {}
        for index, heading in enumerate(headings):
            field = _FIELDS.get(heading)
            if field and index < len(cells) and cells[index].strip():
                values.setdefault(field, cells[index].strip())
        if values.get("birthday") in _EMPTY_DATES:
            values.pop("birthday")
        # a person's business address, else the home address
        if not any(values.get(f) for f in ("street", "zip", "city")):
            for field in ("street", "city", "zip", "country"):
                if values.get(f"home_{field}"):
                    values[field] = values[f"home_{field}"]
        values["phone"] = (
            values.get("phone") or values.get("company_phone") or values.get("home_phone", "")
        )
        extra_email = values.pop("email2", "")
        for key in [k for k in values if k.startswith("home_") or k == "company_phone"]:
            values.pop(key)
        person = full_name(values.get("first_name", ""), values.get("last_name", ""))
        if not person and values.get("company_name"):
            values["name"] = values.pop("company_name")
            values["is_company"] = "Firma"
        contact = tabular.contact_from_values(position, line, values, problems)
        if not contact:
            continue
        if extra_email:
            contact.note = "\n".join(p for p in (contact.note, extra_email) if p)
        contacts.append(contact)
    return contacts, problems


def write(contacts):
    """The contacts as an English Outlook CSV (UTF-8 with BOM, as Outlook reads it)."""
    index = {english: i for i, english in enumerate(HEADERS_EN)}
    rows = []
    for contact in contacts:
        row = [""] * len(HEADERS_EN)
        put = _putter(row, index)

        if contact.is_company:
            put("Company", contact.name)
        else:
            first, last = contact.person_names
            put("First Name", first)
            put("Last Name", last)
            put("Company", contact.company_name)
            put("Title", contact.title)
        put("Job Title", contact.function)
        put("Department", contact.department)
        put("Business Street", contact.street)
        put("Business Street 2", contact.street2)
        put("Business City", contact.city)
        put("Business State", contact.state)
        put("Business Postal Code", contact.zip)
        put("Business Country/Region", contact.country)
        put("Business Phone", contact.phone)
        put("Mobile Phone", contact.mobile)
        put("E-mail Address", contact.email)
        put("E-mail Type", "SMTP" if contact.email else "")
        put("Web Page", contact.website)
        put("Birthday", contact.birthday.strftime("%m/%d/%Y") if contact.birthday else "")
        put("Categories", ";".join(contact.tags))
        put("Notes", contact.note)
        put("Organizational ID Number", contact.ref)
        rows.append(row)
    return tabular.write_csv(HEADERS_EN, rows)


def _putter(row, index):
    def put(heading, value):
        row[index[heading]] = value or ""

    return put
