"""Languages as a German or Czech office sees them (issue 18): a new customer gets the
language of its country by every path that creates customers, and activating a language
loads the translations of every installed module (proven with zh_CN, the only language
Odoo's own tree here has translations for)."""

import base64

import vobject

from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user

from . import import_samples


@tagged("post_install", "-at_install")
class TestPartnerLanguage(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("de_DE", "cs_CZ"):
            cls.env["res.lang"]._activate_lang(code)
        cls.de = cls.env.ref("base.de")
        cls.cz = cls.env.ref("base.cz")
        cls.user = new_test_user(
            cls.env, login="crm_lang_user", groups="crm_core.group_manager", lang="en_US"
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.user)

    def test_create_takes_the_language_of_the_country(self):
        """Create (RPC, integrations): DE -> de_DE, CZ -> cs_CZ; a language given stays, a
        contact person takes the company's, a country without one active language of its
        own (Austria: de_AT is not active) keeps Odoo's default."""
        german, czech, given, austrian = self.Partner.create(
            [
                {"name": "Sachsen Stahl GmbH", "is_company": True, "country_id": self.de.id},
                {"name": "Brněnská ocel s.r.o.", "is_company": True, "country_id": self.cz.id},
                {"name": "Prag Kontor", "country_id": self.cz.id, "lang": "de_DE"},
                {"name": "Wiener Holz GmbH", "country_id": self.env.ref("base.at").id},
            ]
        )
        self.assertEqual(german.lang, "de_DE")
        self.assertEqual(czech.lang, "cs_CZ")
        self.assertEqual(given.lang, "de_DE")
        self.assertNotIn(austrian.lang, ("de_DE", "cs_CZ"))
        person = self.Partner.create(
            {"name": "Jana Nováková", "parent_id": german.id, "country_id": self.cz.id}
        )
        self.assertEqual(person.lang, "de_DE", "a contact person reads the company's letters")

    def test_form(self):
        with Form(self.Partner) as form:
            form.name = "Plzeňská strojírna a.s."
            form.company_type = "company"
            form.country_id = self.cz
            self.assertEqual(form.lang, "cs_CZ")
        self.assertEqual(form.record.lang, "cs_CZ")
        with Form(self.Partner) as form:
            form.name = "Erzgebirge Holz KG"
            form.country_id = self.cz
            form.country_id = self.de  # the language follows the country
            self.assertEqual(form.lang, "de_DE")
        self.assertEqual(form.record.lang, "de_DE")
        with Form(self.Partner) as form:
            form.name = "Vltava Kontor GmbH"
            form.country_id = self.cz
            form.lang = "de_DE"  # chosen after the country: stays
        self.assertEqual(form.record.lang, "de_DE")
        with Form(form.record) as edit:  # an existing customer keeps its language
            edit.country_id = self.de
            edit.country_id = self.cz
        self.assertEqual(form.record.lang, "de_DE")

    def test_odoo_import(self):
        """Odoo's own import (Favourites > Import records)."""
        result = self.Partner.load(
            ["name", "country_id/id"], [["Moravia Textil s.r.o.", "base.cz"]]
        )
        self.assertFalse(result["messages"], result)
        self.assertEqual(self.Partner.browse(result["ids"]).lang, "cs_CZ")

    def test_customer_import_wizard(self):
        data = import_samples._csv(
            ["Name", "Street", "City", "Country"],
            [
                dict(
                    Name="Pilsner Handel s.r.o.", Street="Americká 12", City="Plzeň", Country="CZ"
                ),
                dict(
                    Name="Lausitz Glas GmbH", Street="Bahnhofstr. 3", City="Görlitz", Country="DE"
                ),
            ],
        )
        result = (
            self.env["crm.partner.import"]
            .with_user(self.user)
            .import_contacts(base64.b64encode(data).decode(), filename="k.csv", source="table")
        )
        self.assertEqual(result["created"], 2, result)
        partners = self.env["res.partner"].browse([row["partner_id"] for row in result["rows"]])
        self.assertEqual(
            {p.name: p.lang for p in partners},
            {"Pilsner Handel s.r.o.": "cs_CZ", "Lausitz Glas GmbH": "de_DE"},
        )

    def test_vcard_import(self):
        text = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tomáš Král\r\nN:Král;Tomáš;;;\r\n"
            "ADR;TYPE=WORK:;;Masarykova 5;Brno;;60200;Česká republika\r\nEND:VCARD\r\n"
        )
        wizard = (
            self.env["crm.vcard.import"]
            .with_user(self.user)
            .create({"file": base64.b64encode(text.encode()), "filename": "k.vcf"})
        )
        wizard.action_preview()
        wizard.action_import()
        partner = self.env["res.partner"].search([("name", "=", "Tomáš Král")])
        self.assertEqual(partner.country_id, self.cz)
        self.assertEqual(partner.lang, "cs_CZ")

    def test_carddav(self):
        """A card created on a phone (CardDAV PUT)."""
        text = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:lang-1\r\nFN:Radek Novák\r\nN:Novák;Radek;;;\r\n"
            "ADR;TYPE=WORK:;;Náměstí Republiky 1;Plzeň;;30100;CZ\r\nEND:VCARD\r\n"
        )
        book = (
            self.env["crm.dav.addressbook"]
            .with_user(self.user)
            .with_context(allowed_company_ids=self.user.company_ids.ids)
        )
        book._dav_put("lang-1.vcf", vobject.readOne(text), text)
        partner = self.env["res.partner"].search([("name", "=", "Radek Novák")])
        self.assertEqual(partner.country_id, self.cz)
        self.assertEqual(partner.lang, "cs_CZ")

    def test_activating_a_language_loads_odoo_translations(self):
        """What the demo does for German and Czech (res.lang._crm_activate_with_translations,
        the same as Odoo's language installer in the settings), here with zh_CN: Odoo's own
        modules' terms arrive, of modules installed before and after ours."""
        Lang = self.env["res.lang"].with_context(active_test=False)
        self.assertFalse(Lang.search([("code", "=", "zh_CN"), ("active", "=", True)]))
        terms = ("base.menu_administration", "contacts.menu_contacts", "account.menu_finance")
        self.env["res.lang"]._crm_activate_with_translations(["zh_CN"])
        self.assertTrue(Lang.search([("code", "=", "zh_CN"), ("active", "=", True)]))
        self.env.invalidate_all()
        for xmlid in terms:
            record = self.env.ref(xmlid)
            chinese = record.with_context(lang="zh_CN").name
            self.assertNotEqual(chinese, record.with_context(lang="en_US").name, xmlid)
            self.assertTrue(any(ord(char) > 0x2E80 for char in chinese), (xmlid, chinese))
