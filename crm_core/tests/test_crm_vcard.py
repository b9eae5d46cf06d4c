"""vCard export and import through the ORM: round trip, Outlook files, duplicates, preview
with create/update/skip, atomic import, clear errors, access rights."""

import base64
import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import BaseCommon, new_test_user

from ..tools import vcard as vc
from . import vcard_samples as samples


class VcardCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.cz = cls.env.ref("base.cz")
        cls.env.company.country_id = cls.de
        cls.user = new_test_user(cls.env, login="vcard_user", groups="crm_core.group_user")

    def _wizard(self, data, user=None, filename="contacts.vcf"):
        return (
            self.env["crm.vcard.import"]
            .with_user(user or self.user)
            .create({"file": base64.b64encode(data), "filename": filename})
        )

    def _preview(self, data, **kwargs):
        wizard = self._wizard(data, **kwargs)
        wizard.action_preview()
        return wizard


@tagged("post_install", "-at_install")
class TestVcardExportImport(VcardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.company = Partner.create(
            {
                "name": "Bäckerei Körner KG",
                "is_company": True,
                "street": "Brotweg 3",
                "street2": "Hof links",
                "zip": "14467",
                "city": "Potsdam",
                "country_id": cls.de.id,
                "phone": "+49 331 9876543",
                "email": "info@koerner.example",
                "website": "https://koerner.example",
                "comment": "<p>Liefert montags; Rechnung per Post</p>",
            }
        )
        cls.delivery = Partner.create(
            {
                "type": "delivery",
                "parent_id": cls.company.id,
                "street": "Lagerweg 9",
                "zip": "14469",
                "city": "Potsdam",
                "country_id": cls.de.id,
            }
        )
        cls.person = Partner.create(
            {
                "name": "Jiří Dvořák",
                "parent_id": cls.company.id,
                "function": "Einkäufer",
                "phone": "+49 331 9876500",
                "email": "jiri@koerner.example",
                "crm_birthday": datetime.date(1975, 12, 24),
            }
        )

    def test_export_action_downloads_one_file(self):
        partners = self.company | self.person
        action = partners.with_user(self.user).action_crm_export_vcard()
        self.assertEqual(action["type"], "ir.actions.act_url")
        export = self.env["crm.vcard.export"].search([], order="id desc", limit=1)
        self.assertIn(f"/web/content/crm.vcard.export/{export.id}/file/contacts.vcf", action["url"])
        text = base64.b64decode(export.file).decode()
        self.assertEqual(text.count("BEGIN:VCARD"), 2)
        self.assertIn("X-ABSHOWAS:COMPANY", text)
        self.assertIn("ADR;TYPE=parcel,work:;;Lagerweg 9;Potsdam;;14469;Germany", text)
        self.assertIn("TITLE:Einkäufer", text)
        self.assertIn("BDAY:1975-12-24", text)
        self.assertIn("NOTE:Liefert montags\\; Rechnung per Post", text)

    def test_round_trip_keeps_the_data(self):
        text = (self.company | self.person)._crm_vcard_text()
        before = {
            "company": self.company.read(
                [
                    "name",
                    "street",
                    "street2",
                    "zip",
                    "city",
                    "country_id",
                    "phone",
                    "email",
                    "website",
                ]
            )[0],
            "person": self.person.read(["name", "function", "phone", "email", "crm_birthday"])[0],
        }
        (self.person | self.delivery | self.company).unlink()
        wizard = self._preview(text.encode())
        self.assertEqual(wizard.line_ids.mapped("action"), ["create", "create"])
        wizard.action_import()
        company = self.env["res.partner"].search([("name", "=", "Bäckerei Körner KG")])
        person = self.env["res.partner"].search([("name", "=", "Jiří Dvořák")])
        self.assertEqual(len(company), 1)
        self.assertEqual(len(person), 1)
        self.assertTrue(company.is_company)
        self.assertEqual(person.parent_id, company)
        for field, value in before["company"].items():
            if field != "id":
                self.assertEqual(
                    company[field].id if field == "country_id" else company[field],
                    value[0] if field == "country_id" else value,
                    field,
                )
        for field, value in before["person"].items():
            if field != "id":
                self.assertEqual(person[field], value, field)
        self.assertIn("Liefert montags; Rechnung per Post", company.comment)
        delivery = company.child_ids.filtered(lambda c: c.type == "delivery")
        self.assertEqual(
            (delivery.street, delivery.zip, delivery.city), ("Lagerweg 9", "14469", "Potsdam")
        )

    def test_duplicates_by_email_phone_and_name_city(self):
        cards = [
            vc.Card(
                fn="Jemand Anders",
                given="Jemand",
                family="Anders",
                emails=[("JIRI@koerner.example", {"work"})],
            ),
            vc.Card(
                fn="Telefon Treffer",
                given="Telefon",
                family="Treffer",
                phones=[("0331 9876500", {"work"})],
            ),
            vc.Card(
                kind="org",
                fn="Bäckerei Körner KG",
                org="Bäckerei Körner KG",
                addresses=[
                    {
                        "types": {"work"},
                        "street": "",
                        "street2": "",
                        "city": "potsdam",
                        "region": "",
                        "zip": "",
                        "country": "",
                    }
                ],
            ),
            vc.Card(
                fn="Neu Mensch",
                given="Neu",
                family="Mensch",
                emails=[("neu@example.com", {"work"})],
            ),
            vc.Card(
                fn="Neu Mensch Zwei",
                given="Neu",
                family="Zwei",
                emails=[("NEU@example.com", {"home"})],
            ),
        ]
        wizard = self._preview(vc.write_vcards(cards).encode())
        lines = wizard.line_ids.sorted("position")
        self.assertEqual(lines.mapped("action"), ["update", "update", "update", "create", "skip"])
        self.assertEqual(lines[0].partner_id, self.person)
        self.assertIn("same e-mail", lines[0].match_reason)
        self.assertEqual(lines[1].partner_id, self.person)
        self.assertIn("same phone +493319876500", lines[1].match_reason)
        self.assertEqual(lines[2].partner_id, self.company)
        self.assertEqual(lines[2].match_reason, "same name and city")
        self.assertIn("same contact as card 4", lines[4].match_reason)
        # the user decides per card: skip the first, create the second anyway
        lines[0].action = "skip"
        lines[1].action = "create"
        count = self.env["res.partner"].search_count([])
        wizard.action_import()
        self.assertEqual(self.env["res.partner"].search_count([]), count + 2)
        self.assertEqual(self.person.name, "Jiří Dvořák")  # skipped: untouched
        self.assertTrue(self.env["res.partner"].search([("name", "=", "Telefon Treffer")]))

    def test_update_writes_card_values(self):
        card = vc.Card(
            fn="Jiří Dvořák",
            given="Jiří",
            family="Dvořák",
            emails=[("jiri@koerner.example", {"work"})],
            title="Leiter Einkauf",
            phones=[("+49 331 111222", {"work"})],
        )
        wizard = self._preview(vc.write_vcards([card]).encode())
        self.assertEqual(wizard.line_ids.action, "update")
        wizard.action_import()
        self.assertEqual(self.person.function, "Leiter Einkauf")
        self.assertEqual(self.person.phone, "+49 331 111222")
        self.assertEqual(self.person.parent_id, self.company)


@tagged("post_install", "-at_install")
class TestVcardImportFiles(VcardCommon):
    def test_outlook_file_creates_company_and_person(self):
        wizard = self._preview(
            samples.OUTLOOK_21 + samples.OUTLOOK_30_FOLDED + samples.APPLE_COMPANY
        )
        self.assertEqual(wizard.card_count, 3)
        self.assertEqual(wizard.error_count, 0)
        wizard.action_import()
        person = self.env["res.partner"].search(
            [("email", "=", "j.mueller@grosshandel-sued.example")]
        )
        self.assertEqual(person.name, "Dr. Jürgen Müller")
        self.assertEqual(person.function, "Einkäufer")
        self.assertEqual(person.crm_birthday, datetime.date(1970, 4, 2))
        self.assertEqual(person.phone, "+49 89 1234567")
        self.assertIn("0171 2345678", person.comment)  # the second number is kept
        company = person.parent_id
        self.assertEqual(company.name, "Großhandel Süd GmbH")
        self.assertTrue(company.is_company)
        self.assertEqual(company.street, "Leopoldstraße 12")
        self.assertEqual(company.street2, "Hinterhaus")
        self.assertEqual(company.city, "München")
        self.assertEqual(company.country_id, self.de)
        self.assertEqual(company.state_id, self.env.ref("base.state_de_by"))  # "Bayern"
        self.assertEqual(person.city, "München")  # contact address follows the company
        jiri = self.env["res.partner"].search([("name", "=", "Jiří Dvořák")])
        self.assertEqual(jiri.parent_id.name, "Příklad s.r.o.")
        self.assertEqual(jiri.parent_id.country_id, self.cz)
        self.assertIn("pokračovací řádky začínají mezerou", jiri.comment)
        bakery = self.env["res.partner"].search([("name", "=", "Bäckerei Körner KG")])
        self.assertTrue(bakery.is_company)
        self.assertEqual(bakery.website, "https://koerner.example")

    def test_unreadable_cards_reported_rest_previewed(self):
        wizard = self._preview(samples.BROKEN_BETWEEN_GOOD)
        ok = wizard.line_ids.filtered(lambda line: line.state == "ok")
        bad = wizard.line_ids.filtered(lambda line: line.state == "error").sorted("position")
        self.assertEqual(ok.mapped("name"), ["Erika Eins", "Dora Drei"])
        self.assertEqual(bad.mapped("position"), [2, 3, 4, 6])
        self.assertEqual(
            bad[0].message,
            "Card 2 (line 6) cannot be read: line 9: no ':' separates the property name from "
            "its value",
        )
        self.assertTrue(all(line.action == "skip" for line in bad))
        wizard.action_import()
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "in", ["Erika Eins", "Dora Drei"])]), 2
        )

    def test_file_errors(self):
        with self.assertRaisesRegex(UserError, "The file leer.vcf is empty"):
            self._preview(b"  \r\n", filename="leer.vcf")
        with self.assertRaisesRegex(UserError, "liste.csv is not a vCard file"):
            self._preview(b"Name;Telefon\r\nMeier;0301234\r\n", filename="liste.csv")

    def test_import_is_atomic(self):
        """A card that fails while importing rolls back the cards imported before it; the
        wizard (and the file in it) stays for another try."""
        cards = [
            vc.Card(fn="Vorher Angelegt", given="Vorher", family="Angelegt"),
            vc.Card(fn="Zweite Karte", given="Zweite", family="Karte"),
        ]
        wizard = self._preview(vc.write_vcards(cards).encode())
        second = wizard.line_ids.sorted("position")[1]
        second.write({"action": "update", "partner_id": False})
        with self.assertRaisesRegex(UserError, "Card 2 .*'Update' but no existing contact"):
            wizard.action_import()
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Vorher Angelegt")]))
        # a card the ORM refuses (a person without a name) after a good one (as if read from
        # the file: the cards of a preview change only by reading a file)
        second.with_context(crm_vcard_preview=True).write(
            {
                "action": "create",
                "card_data": dict(second.card_data, fn="", given="", family="", org=""),
            }
        )
        with self.assertRaisesRegex(
            UserError, "Card 2 .*could not be imported, nothing was imported"
        ):
            wizard.action_import()
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Vorher Angelegt")]))
        self.assertTrue(wizard.exists().file)

    def test_note_is_text_not_html_and_update_appends_it(self):
        card = vc.Card(fn="Nora Notiz", given="Nora", family="Notiz", note="<b>fett</b> & mehr")
        self._preview(vc.write_vcards([card]).encode()).action_import()
        partner = self.env["res.partner"].search([("name", "=", "Nora Notiz")])
        self.assertIn("&lt;b&gt;fett&lt;/b&gt; &amp; mehr", partner.comment)
        partner.email = "nora@example.com"
        card.emails = [("nora@example.com", {"work"})]
        card.note = "Zweite Notiz"
        wizard = self._preview(vc.write_vcards([card]).encode())
        self.assertEqual(wizard.line_ids.action, "update")
        wizard.action_import()
        self.assertIn("fett", partner.comment)
        self.assertIn("Zweite Notiz", partner.comment)
        wizard = self._preview(vc.write_vcards([card]).encode())
        wizard.action_import()  # the same note again is not repeated
        self.assertEqual(partner.comment.count("Zweite Notiz"), 1)

    def test_user_without_crm_group_cannot_import(self):
        outsider = new_test_user(self.env, login="vcard_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._wizard(samples.VCARD_40, user=outsider)


@tagged("post_install", "-at_install")
class TestVcardDownload(HttpCase):
    def test_download_over_http(self):
        partner = self.env["res.partner"].create({"name": "Příklad s.r.o.", "is_company": True})
        action = partner.action_crm_export_vcard()
        self.authenticate("admin", "admin")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        cards, errors = vc.parse_vcards(response.content)
        self.assertFalse(errors)
        self.assertEqual(cards[0].org, "Příklad s.r.o.")
