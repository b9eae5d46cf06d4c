import base64
import io

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from ..tools import sanitize
from ..tools.boundary import ArgumentError
from ..tools.formats import datev, pohoda, tabular
from . import import_samples, pohoda_xsd
from .vcard_samples import OUTLOOK_21


@tagged("post_install", "-at_install")
class TestPartnerImport(BaseCommon):
    """The customer import from other systems: every source read from a file shaped as the
    source writes it, the preview (new, duplicate and why, error), the decisions, atomic
    and row-by-row imports, the remembered mapping, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.user = new_test_user(
            cls.env,
            login="crm_import_user",
            groups="crm_core.group_manager",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.Import = cls.env["crm.partner.import"].with_user(cls.user)
        # customers the tests make or import (the demo data may have namesakes)
        cls.first_new_id = cls.env["res.partner"].search([], order="id desc", limit=1).id + 1

    def run_import(self, data, source="auto", filename="", **kw):
        result = self.Import.import_contacts(
            base64.b64encode(data).decode(), filename=filename, source=source, **kw
        )
        return result

    def find(self, name):
        return self.env["res.partner"].search(
            [("name", "=", name), ("id", ">=", self.first_new_id)]
        )

    # ------------------------------------------------------------------------------------------
    # Each source, as the program writes it
    # ------------------------------------------------------------------------------------------
    def test_outlook_german_export(self):
        result = self.run_import(import_samples.OUTLOOK_DE, filename="Kontakte.CSV")
        self.assertEqual(result["source"], "outlook")
        self.assertEqual(result["created"], 2, result)
        person = self.find("Jürgen Müller")
        self.assertEqual(person.parent_id.name, "Großhandel Süd GmbH")
        self.assertEqual(person.email, "j.mueller@grosshandel-sued.example")
        self.assertEqual(person.city, "München")
        self.assertEqual(person.country_id.code, "DE")
        self.assertEqual(str(person.crm_birthday), "1970-01-15")
        self.assertEqual(person.function, "Einkäufer")
        self.assertEqual(sorted(person.category_id.mapped("name")), ["Kunde", "VIP"])
        self.assertIn("0171 4862093", person.comment)
        company = self.find("Elbe Logistik AG")
        self.assertTrue(company.is_company)
        self.assertFalse(company.crm_birthday)

    def test_outlook_english_export(self):
        result = self.run_import(import_samples.OUTLOOK_EN)
        self.assertEqual(result["source"], "outlook")
        person = self.find("Anna Smith")
        self.assertEqual(str(person.crm_birthday), "1985-03-25")
        self.assertEqual(person.parent_id.name, "Harbour Trading Ltd")

    def test_google_contacts_export(self):
        result = self.run_import(import_samples.GOOGLE, filename="contacts.csv")
        self.assertEqual(result["source"], "google")
        person = self.find("Petra Svobodová")
        self.assertEqual(person.email, "petra@vltava-stavby.example")
        self.assertEqual(person.phone, "+420 603 123 456")
        self.assertEqual(
            (person.zip, person.city, person.country_id.code), ("110 00", "Praha", "CZ")
        )
        self.assertEqual(person.category_id.mapped("name"), ["Kunden"])
        self.assertIn("petra.s@mail.example", person.comment)
        self.assertTrue(self.find("Bäckerei Korn").is_company)

    def test_vcard(self):
        # Outlook's card with a mobile number of its own (a demo customer has the sample's)
        card = OUTLOOK_21.replace(b"0171 2345678", b"0171 4862093")
        result = self.run_import(card, filename="mueller.vcf")
        self.assertEqual(result["source"], "vcard")
        self.assertEqual(result["created"], 1, result)

    def test_datev_debitoren_kreditoren(self):
        result = self.run_import(import_samples.DATEV)
        self.assertEqual(result["source"], "datev")
        self.assertEqual(result["created"], 3, result)
        shop = self.find("Meißner Porzellanhandel GmbH")
        self.assertEqual(shop.crm_debtor_number, "10450")
        self.assertEqual(shop.vat, "DE813495425")
        self.assertEqual(shop.bank_ids.acc_number.replace(" ", ""), "DE45120300001234567890")
        self.assertEqual(self.find("Karl Öhler").crm_debtor_number, "10451")
        self.assertEqual(self.find("Druckerei Elster").crm_creditor_number, "70020")

    def test_pohoda_address_book_export(self):
        result = self.run_import(import_samples.POHODA, filename="adresar.xml")
        self.assertEqual(result["source"], "pohoda")
        shop = self.find("Železářství Novák s.r.o.")
        self.assertTrue(shop.is_company)
        self.assertEqual((shop.company_registry, shop.vat), ("27082440", "CZ27082440"))
        self.assertEqual(shop.child_ids.mapped("name"), ["Jiří Novák"])
        self.assertEqual(shop.bank_ids.acc_number.replace(" ", ""), "CZ1108000000192000145401")
        self.assertEqual(shop.ref, "ADR0012")
        self.assertFalse(self.find("Marie Dvořáková").is_company)

    def test_lexoffice_and_sevdesk(self):
        result = self.run_import(import_samples.LEXOFFICE, filename="kontakte.csv")
        self.assertEqual(result["source"], "lexoffice")
        company = self.find("Sächsische Werkstätten GmbH")
        self.assertEqual((company.ref, company.vat), ("46107", "DE811907980"))
        self.assertTrue(company.bank_ids)
        self.assertEqual(self.find("Lena Weber").city, "Leipzig")
        result = self.run_import(import_samples.SEVDESK)
        self.assertEqual(result["source"], "sevdesk")
        self.assertEqual(self.find("Tomáš Černý").country_id.code, "CZ")
        self.assertEqual(str(self.find("Tomáš Černý").crm_birthday), "1990-03-02")
        self.assertEqual(self.find("Oberlausitzer Holz KG").category_id.mapped("name"), ["Kunde"])

    def test_other_table_mapping_is_remembered(self):
        wizard = self.Import.create(
            {"file": base64.b64encode(import_samples.FILEMAKER), "filename": "export.csv"}
        )
        wizard.action_next()
        self.assertEqual(wizard.state, "mapping")
        guessed = {c.heading: c.field for c in wizard.column_ids}
        self.assertEqual(guessed["Firma"], "name")
        self.assertEqual(guessed["USt-IdNr"], "vat")
        self.assertFalse(guessed["Kontakt-Mail"], "not a known name: the user maps it")
        wizard.column_ids.filtered(lambda c: c.heading == "Kontakt-Mail").field = "email"
        wizard.column_ids.filtered(lambda c: c.heading == "Kd-Nr").field = "ref"
        wizard.action_preview()
        wizard.action_import()
        spielwaren = self.find("Erzgebirgs Spielwaren eG")
        self.assertEqual((spielwaren.email, spielwaren.ref), ("info@spielwaren.example", "F-1"))
        # the next file with the same columns is mapped the same way
        again = self.Import.create({"file": base64.b64encode(import_samples.FILEMAKER)})
        again.action_next()
        self.assertEqual(again.mapping_id, wizard.mapping_id)
        self.assertEqual(
            again.column_ids.filtered(lambda c: c.heading == "Kontakt-Mail").field, "email"
        )
        # XLSX with the same columns
        headings, rows = tabular.read_table(import_samples.FILEMAKER)
        xlsx = tabular.write_xlsx(headings, [cells for _line, cells in rows])
        third = self.Import.create({"file": base64.b64encode(xlsx), "filename": "export.xlsx"})
        third.action_next()
        self.assertEqual(third.mapping_id, wizard.mapping_id)

    def test_columns_given_over_the_api(self):
        # Kd-Nr, Firma, Strasse, PLZ, Ort, Telefon, Kontakt-Mail, USt-IdNr, Bemerkung
        columns = ["ref", "name", "street", "zip", "-", "-", "email", "-", "-"]
        result = self.run_import(import_samples.FILEMAKER, source="table", columns=columns)
        self.assertEqual(result["created"], 1, result)
        spielwaren = self.find("Erzgebirgs Spielwaren eG")
        self.assertEqual((spielwaren.ref, spielwaren.email), ("F-1", "info@spielwaren.example"))
        self.assertFalse(spielwaren.city, "'-': the column is left out (Ort would be guessed)")
        self.assertFalse(spielwaren.vat)
        for wrong in (["name", ""], ["name", "vat_number"], ["name", None]):
            with self.assertRaises(ArgumentError):
                self.run_import(import_samples.FILEMAKER, source="table", columns=wrong)

    # ------------------------------------------------------------------------------------------
    # Preview, duplicates, decisions
    # ------------------------------------------------------------------------------------------
    def test_preview_marks_duplicates_by_each_key(self):
        Partner = self.env["res.partner"]
        by_vat = Partner.create({"name": "Alt Werkstätten", "vat": "DE 811 907 980"})
        by_iban = Partner.create(
            {
                "name": "Konto Weber",
                "bank_ids": [Command.create({"acc_number": "DE65120300004711202051"})],
            }
        )
        by_mail = Partner.create({"name": "Holz", "email": "INFO@holz-kg.example"})
        by_phone = Partner.create({"name": "Mobil Černý", "phone": "00420 777 123 456"})
        by_name = Partner.create({"name": "Lena Weber", "city": "Leipzig"})
        lex = self.run_import(import_samples.LEXOFFICE, preview_only=True)
        sev = self.run_import(import_samples.SEVDESK, preview_only=True)
        rows = {row["name"]: row for row in lex["rows"] + sev["rows"]}
        for name, partner, reason in (
            ("Sächsische Werkstätten GmbH", by_vat, "same VAT id"),
            ("Oberlausitzer Holz KG", by_mail, "same e-mail"),
            ("Tomáš Černý", by_phone, "same phone number"),
            ("Lena Weber", by_name, "same name and city"),
        ):
            self.assertEqual(rows[name]["state"], "duplicate", name)
            self.assertEqual(rows[name]["partner_id"], partner.id, name)
            self.assertIn(reason, rows[name]["reason"], name)
            self.assertEqual(rows[name]["action"], "skip")
        # by the IBAN alone (no VAT id, e-mail or phone number in the row)
        table = import_samples._csv(
            ["Firma", "Ort", "IBAN"],
            [
                {
                    "Firma": "Neues Konto GmbH",
                    "Ort": "Görlitz",
                    "IBAN": "DE65 1203 0000 4711 2020 51",
                }
            ],
            delimiter=";",
        )
        [row] = self.run_import(table, source="table", preview_only=True)["rows"]
        self.assertEqual((row["state"], row["partner_id"]), ("duplicate", by_iban.id))
        self.assertIn("same IBAN", row["reason"])
        self.assertFalse(Partner.search([("name", "=", "Sächsische Werkstätten GmbH")]))

    def test_duplicate_decisions_skip_update_create(self):
        existing = self.env["res.partner"].create(
            {"name": "Alt Werkstätten", "vat": "DE811907980", "city": "Alt"}
        )
        wizard = self.Import.create(
            {"file": base64.b64encode(import_samples.LEXOFFICE), "duplicate_action": "update"}
        )
        wizard.action_next()
        line = wizard.line_ids.filtered(lambda line: line.state == "duplicate")
        self.assertEqual((line.partner_id, line.action), (existing, "update"))
        wizard.action_import()
        self.assertEqual(existing.city, "Chemnitz")
        self.assertEqual(existing.email, "rechnung@werkstaetten.example")
        self.assertEqual(line.result, "updated")
        # create anyway: a second customer with the same e-mail
        self.env["res.partner"].create({"name": "Holz", "email": "info@holz-kg.example"})
        wizard = self.Import.create({"file": base64.b64encode(import_samples.SEVDESK)})
        wizard.action_next()
        duplicate = wizard.line_ids.filtered(lambda line: line.name == "Oberlausitzer Holz KG")
        self.assertEqual((duplicate.state, duplicate.action), ("duplicate", "skip"))
        duplicate.action = "create"
        wizard.action_import()
        self.assertEqual(
            len(self.env["res.partner"].search([("email", "=", "info@holz-kg.example")])), 2
        )
        # the same debtor number twice is refused, naming the holder
        wizard = self.Import.create(
            {"file": base64.b64encode(import_samples.LEXOFFICE), "mode": "rows"}
        )
        wizard.action_next()
        wizard.line_ids.filtered(lambda line: line.state == "duplicate").action = "create"
        wizard.action_import()
        failed = wizard.line_ids.filtered(lambda line: line.result == "failed")
        self.assertIn("46107", " ".join(failed.mapped("message")))

    def test_errors_and_atomic_or_row_by_row(self):
        bad = import_samples._csv(
            ["Firma", "Ort", "Land", "IBAN", "E-Mail"],
            [
                {"Firma": "Gut GmbH", "Ort": "Bautzen", "Land": "DE"},
                {"Firma": "Falsches Konto AG", "IBAN": "DE02120300000000202052"},
                {"Firma": "Nirgendwo KG", "Land": "Atlantis"},
                {"Ort": "ohne Namen"},
            ],
            delimiter=";",
        )
        result = self.run_import(bad, source="table", preview_only=True)
        states = [row["state"] for row in result["rows"]]
        self.assertEqual(states.count("error"), 3, result)
        reasons = " ".join(row["reason"] for row in result["errors"])
        self.assertIn("DE02120300000000202052", reasons)
        self.assertIn("Atlantis", reasons)
        # a row the database refuses: atomic imports nothing, row by row the others
        self.env["res.partner"].create({"name": "Nummernhalter", "crm_debtor_number": "46108"})
        with self.assertRaisesRegex(UserError, "nothing was imported"):
            self.run_import(import_samples.LEXOFFICE, mode="atomic")
        self.assertFalse(self.find("Sächsische Werkstätten GmbH"))
        result = self.run_import(import_samples.LEXOFFICE, mode="rows")
        self.assertEqual((result["created"], result["failed"]), (1, 1), result)
        self.assertTrue(self.find("Sächsische Werkstätten GmbH"))
        self.assertFalse(self.find("Lena Weber"))

    def test_row_by_row_a_failed_row_leaves_nothing_behind(self):
        """A failed row is undone with all it made (its new tag, the company of its person);
        the rows after it make them again instead of pointing at what was undone."""
        self.env["res.partner"].create({"name": "Nummernhalter", "crm_debtor_number": "46108"})
        headings = ["Vorname", "Nachname", "Organisation", "Kategorie", "Debitoren-Nr."]
        data = b"\xef\xbb\xbf" + import_samples._csv(
            headings,
            [
                {
                    "Vorname": "Eva",
                    "Nachname": "Erst",
                    "Organisation": "Messebau Elbe GmbH",
                    "Kategorie": "Messe 2026",
                    "Debitoren-Nr.": "46108",
                },
                {
                    "Vorname": "Paul",
                    "Nachname": "Zweit",
                    "Organisation": "Messebau Elbe GmbH",
                    "Kategorie": "Messe 2026",
                },
            ],
            delimiter=";",
        )
        result = self.run_import(data, source="sevdesk", mode="rows")
        self.assertEqual((result["created"], result["failed"]), (1, 1), result)
        self.assertIn("46108", result["errors"][0]["reason"])
        self.assertFalse(self.find("Eva Erst"))
        paul = self.find("Paul Zweit")
        self.assertEqual(paul.category_id.mapped("name"), ["Messe 2026"])
        self.assertEqual(paul.parent_id.name, "Messebau Elbe GmbH")
        self.assertEqual(len(self.find("Messebau Elbe GmbH")), 1)
        tags = self.env["res.partner.category"].search([("name", "=", "Messe 2026")])
        self.assertEqual(len(tags), 1)

    def test_tables_as_spreadsheets_write_them(self):
        """A Czech Excel's CSV (Windows-1250), a German one (Windows-1252, Excel's "sep="
        line), an XLSX with a merged title and group headings above the column names."""
        czech = (
            "Firma;Jméno;Příjmení;Město;Stát\r\n"
            "Železářství Děčín s.r.o.;Jiří;Dvořák;Děčín;CZ\r\n".encode("cp1250")
        )
        result = self.run_import(czech, source="table", filename="adresy.csv")
        self.assertEqual(result["created"], 1, result)
        person = self.find("Jiří Dvořák")
        self.assertEqual(
            (person.city, person.parent_id.name), ("Děčín", "Železářství Děčín s.r.o.")
        )
        german = (
            "sep=;\r\nFirma;Straße;Ort\r\nMüller & Söhne KG;Königstraße 1;Düsseldorf\r\n"
        ).encode("cp1252")
        self.run_import(german, source="table")
        self.assertEqual(self.find("Müller & Söhne KG").street, "Königstraße 1")
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Kundenliste Dezember 2026"])
        sheet.merge_cells("A1:E1")
        sheet.append(["Kunde", None, "Anschrift", None, None])
        sheet.merge_cells("A2:B2")
        sheet.merge_cells("C2:E2")
        sheet.append(["Firma", "Kundennummer", "Straße", "PLZ", "Ort"])
        sheet.append(["Elbsandstein Reisen GmbH", "K-77", "Marktplatz 2", "01796", "Pirna"])
        buffer = io.BytesIO()
        book.save(buffer)
        result = self.run_import(buffer.getvalue(), filename="kunden.xlsx")
        self.assertEqual((result["source"], result["created"]), ("table", 1), result)
        reisen = self.find("Elbsandstein Reisen GmbH")
        self.assertEqual((reisen.ref, reisen.zip, reisen.city), ("K-77", "01796", "Pirna"))

    def test_file_kept_as_is_and_wrong_arguments(self):
        wizard = self.Import.create({"file": base64.b64encode(import_samples.POHODA)})
        wizard.action_next()
        self.assertEqual(base64.b64decode(wizard.file), import_samples.POHODA)
        for kwargs in (
            {"content": "not base64!"},
            {"content": base64.b64encode(b"x").decode(), "source": "excel"},
            {"content": base64.b64encode(b"x").decode(), "mode": "sometimes"},
        ):
            with self.assertRaises(ArgumentError):
                self.Import.import_contacts(**kwargs)
        with self.assertRaisesRegex(UserError, "cannot be read"):
            self.run_import(b"<?xml version='1.0'?><x", source="pohoda")
        with self.assertRaisesRegex(UserError, "empty"):
            self.run_import(b"   ", source="table")

    def test_access_and_other_company(self):
        crm_user = new_test_user(
            self.env,
            login="crm_import_crm",
            groups="crm_core.group_user",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        wizard = (
            self.env["crm.partner.import"]
            .with_user(crm_user)
            .create({"file": base64.b64encode(import_samples.DATEV)})
        )
        wizard.action_import()
        self.assertEqual(wizard.line_ids.mapped("result"), ["created"] * 3)
        self.assertFalse(self.find("Meißner Porzellanhandel GmbH").crm_debtor_number)
        self.assertIn("10450", wizard.line_ids[0].message, "numbers are for CRM managers")
        plain = new_test_user(self.env, login="crm_import_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["crm.partner.import"].with_user(plain).create(
                {"file": base64.b64encode(import_samples.LEXOFFICE)}
            )
        other = self.env["res.company"].create({"name": "Andere Firma"})
        hidden = self.env["res.partner"].create(
            {"name": "Fremd", "email": "rechnung@werkstaetten.example", "company_id": other.id}
        )
        result = self.run_import(import_samples.LEXOFFICE, preview_only=True)
        row = next(r for r in result["rows"] if r["name"] == "Sächsische Werkstätten GmbH")
        self.assertNotEqual(row["partner_id"], hidden.id, "another company's customer stays unseen")
        self.assertEqual(row["state"], "new")


@tagged("post_install", "-at_install")
class TestPartnerExportRoundTrip(BaseCommon):
    """Our customers exported in each format and imported into an empty database (here: the
    exported customers deleted first): nothing lost that the format can carry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.env.company.company_registry = "12345678"
        cls.tag = cls.env["res.partner.category"].create({"name": "Stammkunde"})

    def make_partners(self):
        Partner = self.env["res.partner"]
        company = Partner.create(
            {
                "name": "Rundreise Handel GmbH",
                "is_company": True,
                "street": "Bautzner Straße 1",
                "zip": "01099",
                "city": "Dresden",
                "country_id": self.env.ref("base.de").id,
                "phone": "+49 351 4862091",
                "email": "info@rundreise.example",
                "website": "https://rundreise.example",
                "vat": "DE136695976",
                "ref": "RH-1",
                "category_id": [Command.set(self.tag.ids)],
                "comment": "<p>Liefert Montags</p>",
                "bank_ids": [Command.create({"acc_number": "DE65120300004711202051"})],
            }
        )
        company.crm_debtor_number = "10901"
        person = Partner.create(
            {
                "name": "Zdeňka Horáková",
                "city": "Brno",
                "zip": "602 00",
                "country_id": self.env.ref("base.cz").id,
                "email": "zdenka@horakova.example",
                "phone": "+420 541 111 222",
                "crm_birthday": "1988-09-09",
            }
        )
        person.crm_debtor_number = "10902"
        return company | person

    # what each format carries of the two partners: (field, ...) compared after the trip
    # (the address, phones, e-mail and website travel in every format)
    _ADDRESS = ("name", "street", "zip", "city", "country_id", "phone", "email", "website")
    _ALL = (*_ADDRESS, "vat", "ref", "bank_ids", "category_id", "crm_birthday", "crm_debtor_number")
    CARRIED = {
        "outlook": (*_ADDRESS, "ref", "category_id", "crm_birthday"),
        "google": (*_ADDRESS, "category_id", "crm_birthday"),
        "vcard": (*_ADDRESS, "category_id"),
        "datev": (*_ADDRESS, "vat", "ref", "crm_debtor_number", "bank_ids"),
        "pohoda": (*_ADDRESS, "vat", "ref", "bank_ids", "company_registry"),
        "lexoffice": (*_ADDRESS, "vat", "ref", "bank_ids"),
        "sevdesk": _ALL,
        "csv": _ALL,
        "xlsx": _ALL,
    }

    def snapshot(self, partners, fields):
        result = {}
        for partner in partners:
            values = {}
            for field in fields:
                value = partner[field]
                if field == "bank_ids":
                    value = sorted(b.acc_number.replace(" ", "") for b in value)
                elif field == "category_id":
                    value = sorted(value.mapped("name"))
                elif hasattr(value, "_name"):
                    value = value.display_name
                values[field] = value or False
            result[partner.name] = values
        return result

    def test_round_trip_per_format(self):
        for export_format, fields in self.CARRIED.items():
            with self.subTest(export_format), self.env.cr.savepoint() as savepoint:
                partners = self.make_partners()
                before = self.snapshot(partners, fields)
                exported = self.env["res.partner"].crm_export_contacts(partners.ids, export_format)
                data = base64.b64decode(exported["file"])
                if export_format == "pohoda":
                    self.assertEqual(pohoda_xsd.errors(data), [])
                if export_format == "datev":
                    self.assertEqual(datev.check(data), [])
                partners.bank_ids.unlink()
                partners.unlink()
                source = {"csv": "table", "xlsx": "table"}.get(export_format, export_format)
                result = self.env["crm.partner.import"].import_contacts(
                    exported["file"], filename=exported["filename"], source=source
                )
                self.assertEqual(result["created"], 2, (export_format, result))
                imported = self.env["res.partner"].browse(
                    [row["partner_id"] for row in result["rows"]]
                )
                if export_format == "datev":  # Windows-1252: no ň
                    before = {
                        sanitize.datev(name): dict(values, name=sanitize.datev(values["name"]))
                        for name, values in before.items()
                    }
                self.assertEqual(self.snapshot(imported, fields), before, export_format)
                savepoint.rollback()

    def test_pohoda_address_book_is_valid(self):
        partners = self.make_partners()
        data = pohoda.write_addressbook(partners._crm_contacts(), ico="12345678")
        self.assertEqual(pohoda_xsd.errors(data), [])
        self.assertTrue(data.startswith(b"<?xml version='1.0' encoding='Windows-1250'?>"))
        # and the check fails on a broken file
        self.assertTrue(
            pohoda_xsd.errors(
                data.replace(b"<adb:email>", b"<adb:mail>", 1).replace(
                    b"</adb:email>", b"</adb:mail>", 1
                )
            )
        )
