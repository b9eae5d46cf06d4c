"""Contact files shaped as the source systems write them (made by hand for the tests; the
column names and layouts are the programs' own, see each constant and readme/USAGE.md)."""

from odoo.addons.crm_core.tools.formats import datev, outlook

# German Outlook (desktop; File > Open & Export > Export to a file > CSV): the German column
# names in Outlook's order (the 92 columns Microsoft documents in "Create or edit .csv files
# to import into Outlook", localised), comma-separated, Windows-1252, "0.0.00" for no
# birthday, dates as d.m.yyyy.
_DE_ROW_1 = {
    "Anrede": "Dr.",
    "Vorname": "Jürgen",
    "Nachname": "Müller",
    "Firma": "Großhandel Süd GmbH",
    "Abteilung": "Einkauf",
    "Position": "Einkäufer",
    "Straße geschäftlich": "Leopoldstraße 10",
    "Ort geschäftlich": "München",
    "Postleitzahl geschäftlich": "80802",
    "Land/Region geschäftlich": "Deutschland",
    "Telefon geschäftlich": "089 45218736",
    "Mobiltelefon": "0171 4862093",
    "E-Mail-Adresse": "j.mueller@grosshandel-sued.example",
    "E-Mail-Typ": "SMTP",
    "Geburtstag": "15.1.1970",
    "Kategorien": "Kunde;VIP",
    "Notizen": "Bestellt quartalsweise.",
    "Webseite": "www.grosshandel-sued.example",
}
_DE_ROW_2 = {
    "Firma": "Elbe Logistik AG",
    "Straße geschäftlich": "Hafenstraße 3",
    "Ort geschäftlich": "Dresden",
    "Postleitzahl geschäftlich": "01097",
    "Land/Region geschäftlich": "Deutschland",
    "Telefon geschäftlich": "+49 351 4445566",
    "Geburtstag": "0.0.00",
}


def _csv(headings, rows, delimiter=",", encoding="utf-8"):
    def quote(value):
        return '"' + value.replace('"', '""') + '"'

    lines = [delimiter.join(quote(h) for h in headings)]
    for row in rows:
        lines.append(delimiter.join(quote(row.get(h, "")) for h in headings))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


OUTLOOK_DE = _csv(outlook.HEADERS_DE, [_DE_ROW_1, _DE_ROW_2], encoding="cp1252")

# English Outlook (Outlook.com / new Outlook export): the same columns in English, UTF-8
# with BOM, US dates.
OUTLOOK_EN = b"\xef\xbb\xbf" + _csv(
    outlook.HEADERS_EN,
    [
        {
            "First Name": "Anna",
            "Last Name": "Smith",
            "Company": "Harbour Trading Ltd",
            "Job Title": "Buyer",
            "Business Street": "1 Dock Road",
            "Business City": "Hamburg",
            "Business Postal Code": "20457",
            "Business Country/Region": "Germany",
            "Business Phone": "+49 40 555 0101",
            "E-mail Address": "anna.smith@harbour.example",
            "Birthday": "3/25/1985",
            "Categories": "Partner",
        }
    ],
)

# Google Contacts export (Google CSV, 2023 layout): numbered groups, " ::: " between
# several values, "* " before the preferred label, the system label "* myContacts".
GOOGLE = _csv(
    [
        "First Name",
        "Middle Name",
        "Last Name",
        "Phonetic First Name",
        "Phonetic Middle Name",
        "Phonetic Last Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "File As",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Birthday",
        "Notes",
        "Photo",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "Phone 1 - Label",
        "Phone 1 - Value",
        "Address 1 - Label",
        "Address 1 - Formatted",
        "Address 1 - Street",
        "Address 1 - City",
        "Address 1 - PO Box",
        "Address 1 - Region",
        "Address 1 - Postal Code",
        "Address 1 - Country",
        "Address 1 - Extended Address",
        "Website 1 - Label",
        "Website 1 - Value",
    ],
    [
        {
            "First Name": "Petra",
            "Last Name": "Svobodová",
            "Organization Name": "Vltava Stavby s.r.o.",
            "Organization Title": "Jednatelka",
            "Birthday": "1979-06-30",
            "Labels": "* myContacts ::: Kunden",
            "E-mail 1 - Label": "* Work ::: Home",
            "E-mail 1 - Value": "petra@vltava-stavby.example ::: petra.s@mail.example",
            "Phone 1 - Label": "Mobile",
            "Phone 1 - Value": "+420 603 123 456",
            "Address 1 - Label": "Work",
            "Address 1 - Formatted": "Na Příkopě 5\n110 00 Praha\nCZ",
            "Address 1 - Street": "Na Příkopě 5",
            "Address 1 - City": "Praha",
            "Address 1 - Postal Code": "110 00",
            "Address 1 - Country": "CZ",
        },
        {
            "Organization Name": "Bäckerei Korn",
            "File As": "Bäckerei Korn",
            "Labels": "* myContacts",
            "Phone 1 - Label": "Work",
            "Phone 1 - Value": "0351 999888",
            "Address 1 - City": "Pirna",
        },
    ],
)

# lexoffice contacts (the columns of lexoffice's contact table: Kundennummer 10000-69999,
# Firmenname makes a company, Steuernummer, Umsatzsteuer ID, ...), semicolon, UTF-8.
LEXOFFICE = _csv(
    [
        "Kundennummer",
        "Firmenname",
        "Steuernummer",
        "Umsatzsteuer ID",
        "Anrede",
        "Titel",
        "Vorname",
        "Nachname",
        "Straße",
        "PLZ",
        "Ort",
        "Land",
        "E-Mail",
        "Telefon",
        "IBAN",
        "BIC",
        "Notiz",
    ],
    [
        {
            "Kundennummer": "46107",
            "Firmenname": "Sächsische Werkstätten GmbH",
            "Umsatzsteuer ID": "DE811907980",
            "Straße": "Werkstraße 7",
            "PLZ": "09111",
            "Ort": "Chemnitz",
            "Land": "DE",
            "E-Mail": "rechnung@werkstaetten.example",
            "IBAN": "DE65 1203 0000 4711 2020 51",
            "BIC": "BYLADEM1001",
        },
        {
            "Kundennummer": "46108",
            "Anrede": "Frau",
            "Vorname": "Lena",
            "Nachname": "Weber",
            "Straße": "Lindenallee 2",
            "PLZ": "04109",
            "Ort": "Leipzig",
            "Land": "DE",
            "Telefon": "0341 123123",
        },
    ],
    delimiter=";",
)

# sevDesk contacts (persons and organisations, category, the country written out in
# German), semicolon, UTF-8 with BOM.
SEVDESK = b"\xef\xbb\xbf" + _csv(
    [
        "Kunden-Nr.",
        "Anrede",
        "Titel",
        "Vorname",
        "Nachname",
        "Organisation",
        "Kategorie",
        "Position",
        "Straße",
        "PLZ",
        "Ort",
        "Land",
        "Telefon",
        "Mobil",
        "E-Mail",
        "Webseite",
        "Umsatzsteuer-ID",
        "Steuernummer",
        "IBAN",
        "BIC",
        "Geburtstag",
        "Beschreibung",
        "Debitoren-Nr.",
        "Kreditoren-Nr.",
    ],
    [
        {
            "Kunden-Nr.": "1001",
            "Organisation": "Oberlausitzer Holz KG",
            "Kategorie": "Kunde",
            "Straße": "Am Sägewerk 1",
            "PLZ": "02763",
            "Ort": "Zittau",
            "Land": "Deutschland",
            "Telefon": "03583 77889",
            "E-Mail": "info@holz-kg.example",
            "Umsatzsteuer-ID": "DE136695976",
        },
        {
            "Kunden-Nr.": "1002",
            "Vorname": "Tomáš",
            "Nachname": "Černý",
            "Kategorie": "Interessent",
            "Ort": "Ústí nad Labem",
            "Land": "Tschechien",
            "Mobil": "+420 777 123 456",
            "Geburtstag": "02.03.1990",
        },
    ],
    delimiter=";",
)


def _datev_file():
    """Debitoren/Kreditoren as DATEV Rechnungswesen exports them (EXTF header, Windows-1252)."""
    import datetime  # noqa: PLC0415

    from odoo.addons.crm_core.tools.formats import Contact  # noqa: PLC0415

    header = datev.Header(
        datev.PARTNERS,
        consultant=29098,
        client=55,
        fiscal_year_start=datetime.date(2026, 1, 1),
        account_length=4,
        created=datetime.datetime(2026, 11, 30, 16, 5, 12, 345000),
        label="Debitoren",
    )
    rows = [
        datev.partner_row(
            Contact(
                is_company=True,
                name="Meißner Porzellanhandel GmbH",
                street="Talstraße 9",
                zip="01662",
                city="Meißen",
                country="DE",
                vat="DE813495425",
                email="buchhaltung@porzellan.example",
                bank_accounts=[{"iban": "DE45120300001234567890", "bic": "BYLADEM1001"}],
                ref="MEISS",
            ),
            "10450",
        ),
        datev.partner_row(
            Contact(first_name="Karl", last_name="Öhler", city="Görlitz", country="DE"),
            "10451",
        ),
        datev.partner_row(Contact(is_company=True, name="Druckerei Elster"), "70020"),
    ]
    return datev.write(header, rows)


DATEV = _datev_file()

# POHODA's export of the address book (XML export "Adresář"): a responsePack with
# lAdb:listAddressBook, Windows-1250, the identity as typ:address, bank accounts the Czech way.
POHODA = """<?xml version="1.0" encoding="Windows-1250"?>
<rsp:responsePack version="2.0" id="Usr01" state="ok" programVersion="13300.4 (16.10.2026)"
 ico="12345678" application="XML" note="Export adresáře"
 xmlns:rsp="http://www.stormware.cz/schema/version_2/response.xsd"
 xmlns:lAdb="http://www.stormware.cz/schema/version_2/list_addBook.xsd"
 xmlns:adb="http://www.stormware.cz/schema/version_2/addressbook.xsd"
 xmlns:typ="http://www.stormware.cz/schema/version_2/type.xsd">
 <rsp:responsePackItem version="2.0" id="li1" state="ok">
  <lAdb:listAddressBook version="2.0" dateTimeStamp="2026-12-01T10:15:00" state="ok">
   <lAdb:addressbook version="2.0">
    <adb:addressbookHeader>
     <adb:id>12</adb:id>
     <adb:identity>
      <typ:address>
       <typ:company>Železářství Novák s.r.o.</typ:company>
       <typ:name>Jiří Novák</typ:name>
       <typ:city>Liberec</typ:city>
       <typ:street>Pražská 14</typ:street>
       <typ:zip>460 01</typ:zip>
       <typ:ico>27082440</typ:ico>
       <typ:dic>CZ27082440</typ:dic>
       <typ:country><typ:ids>CZ</typ:ids></typ:country>
      </typ:address>
     </adb:identity>
     <adb:phone>+420 485 111 222</adb:phone>
     <adb:mobil>+420 602 333 444</adb:mobil>
     <adb:email>obchod@zelezarstvi-novak.example</adb:email>
     <adb:web>www.zelezarstvi-novak.example</adb:web>
     <adb:number><typ:ids>ADR0012</typ:ids></adb:number>
     <adb:note>Odběratel od 2019</adb:note>
    </adb:addressbookHeader>
    <adb:addressbookAccount>
     <adb:accountItem>
      <adb:id>3</adb:id>
      <adb:accountNumber>19-2000145401</adb:accountNumber>
      <adb:bankCode>0800</adb:bankCode>
      <adb:defaultAccount>true</adb:defaultAccount>
     </adb:accountItem>
    </adb:addressbookAccount>
   </lAdb:addressbook>
   <lAdb:addressbook version="2.0">
    <adb:addressbookHeader>
     <adb:id>13</adb:id>
     <adb:identity>
      <typ:address>
       <typ:name>Marie Dvořáková</typ:name>
       <typ:city>Jablonec nad Nisou</typ:city>
       <typ:country><typ:ids>CZ</typ:ids></typ:country>
      </typ:address>
     </adb:identity>
     <adb:email>marie.dvorakova@mail.example</adb:email>
    </adb:addressbookHeader>
   </lAdb:addressbook>
  </lAdb:listAddressBook>
 </rsp:responsePackItem>
</rsp:responsePack>
""".encode("cp1250")

# A table of another program (a FileMaker export): its own column names, semicolons.
FILEMAKER = _csv(
    ["Kd-Nr", "Firma", "Strasse", "PLZ", "Ort", "Telefon", "Kontakt-Mail", "USt-IdNr", "Bemerkung"],
    [
        {
            "Kd-Nr": "F-1",
            "Firma": "Erzgebirgs Spielwaren eG",
            "Strasse": "Kirchstraße 3",
            "PLZ": "09548",
            "Ort": "Seiffen",
            "Telefon": "037362 1234",
            "Kontakt-Mail": "info@spielwaren.example",
            "USt-IdNr": "DE811128135",
            "Bemerkung": "aus FileMaker",
        }
    ],
    delimiter=";",
)
