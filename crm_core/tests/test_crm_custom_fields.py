from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestCustomFields(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="crm_cf_manager", groups="crm_core.group_manager"
        )
        cls.user = new_test_user(
            cls.env, login="crm_cf_user", groups="crm_core.group_user,base.group_allow_export"
        )
        cls.Field = cls.env["crm.custom.field"].with_user(cls.manager)

    def _arch(self, view_type, user):
        views = self.env["res.partner"].with_user(user).get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_fields_in_more_tab_filters_and_exports(self):
        fair = self.Field.create({"name": "Messe-Kontakt", "field_type": "boolean"})
        size = self.Field.create(
            {
                "name": "Betriebsgröße",
                "field_type": "selection",
                "selection_values": "klein\nmittel\ngroß",
            }
        )
        since = self.Field.create({"name": "Kunde seit", "field_type": "date"})
        referrer = self.Field.create({"name": "Empfohlen von", "field_type": "many2one"})
        gate = self.Field.create(
            {"name": "Tor / Rampe", "field_type": "char", "applies_to": "address"}
        )
        self.assertEqual(fair.technical_name, "x_crm_messe_kontakt")
        self.assertEqual(size.technical_name, "x_crm_betriebsgroesse")
        self.assertEqual(fair.sudo().field_id.state, "manual")
        # the form shows them in the "More" tab, for a plain CRM user too
        form = self._arch("form", self.user)
        [page] = form.xpath("//page[@name='crm_more']")
        names = page.xpath(".//field/@name")
        for record in (fair, size, since, referrer, gate):
            self.assertIn(record.technical_name, names)
        self.assertTrue(
            form.xpath("//group[@name='crm_more_address']/field[@name='x_crm_tor_rampe']")
        )
        search = self._arch("search", self.user)
        self.assertTrue(search.xpath("//filter[@name='x_crm_messe_kontakt']"))
        self.assertTrue(search.xpath("//filter[@date='x_crm_kunde_seit']"))
        self.assertTrue(search.xpath("//field[@name='x_crm_betriebsgroesse']"))
        self.assertTrue(search.xpath("//filter[@name='group_x_crm_betriebsgroesse']"))
        # users fill them in the form and search and export by them
        other = self.env["res.partner"].create({"name": "Empfehlungsgeber GmbH"})
        partner = (
            self.env["res.partner"]
            .with_user(self.user)
            .create({"name": "Messebau Krause GmbH", "is_company": True})
        )
        with Form(partner) as f:
            f.x_crm_messe_kontakt = True
            f.x_crm_betriebsgroesse = "mittel"
            f.x_crm_kunde_seit = "2020-03-01"
            f.x_crm_empfohlen_von = other
        Partner = self.env["res.partner"].with_user(self.user)
        self.assertEqual(Partner.search([("x_crm_messe_kontakt", "=", True)]), partner)
        self.assertEqual(Partner.search([("x_crm_betriebsgroesse", "=", "mittel")]), partner)
        exported = partner.export_data(["name", "x_crm_betriebsgroesse", "x_crm_empfohlen_von"])
        self.assertEqual(exported["datas"], [["Messebau Krause GmbH", "mittel", other.name]])
        self.assertEqual(fair.partner_value_count, 1)

    def test_survives_module_update(self):
        record = self.Field.create({"name": "Branche", "field_type": "char"})
        view = self.env["ir.ui.view"].search([("name", "=", "res.partner.crm.custom.fields.form")])
        # nothing of it is module data that an update could remove
        self.assertTrue(view)
        self.assertFalse(
            self.env["ir.model.data"].search(
                [
                    ("model", "in", ("ir.ui.view", "ir.model.fields")),
                    ("res_id", "in", view.ids + record.field_id.ids),
                    ("module", "=", "crm_core"),
                ]
            )
        )
        self.assertEqual(record.sudo().field_id.state, "manual")
        self.assertIn("x_crm_branche", self.env["res.partner"]._fields)
        # the real module update is in tests/test_rpc_core_custom_fields.py

    def test_malformed_definitions_and_rights(self):
        with (
            self.assertRaisesRegex(ValidationError, "Rating.*at least one option"),
            self.env.cr.savepoint(),
        ):
            self.Field.create({"name": "Rating", "field_type": "selection"})
        with self.assertRaisesRegex(ValidationError, "Rating.*twice"), self.env.cr.savepoint():
            self.Field.create(
                {"name": "Rating", "field_type": "selection", "selection_values": "gut\nGut"}
            )
        with (
            self.assertRaisesRegex(ValidationError, "letters or digits"),
            self.env.cr.savepoint(),
        ):
            self.Field.create({"name": "???", "field_type": "char"})
        with self.assertRaises(AccessError):
            self.env["crm.custom.field"].with_user(self.user).create(
                {"name": "Heimlich", "field_type": "char"}
            )
        record = self.Field.create({"name": "Notiz", "field_type": "char"})
        with self.assertRaisesRegex(ValidationError, "Notiz"), self.env.cr.savepoint():
            record.field_type = "integer"

    def test_removal(self):
        record = self.Field.create({"name": "Altes Feld", "field_type": "integer"})
        partner = self.env["res.partner"].create({"name": "Test", "x_crm_altes_feld": 3})
        self.assertEqual(partner.x_crm_altes_feld, 3)
        form = Form(record)
        self.assertTrue(form)
        button = etree.fromstring(
            record.get_views([(False, "form")])["views"]["form"]["arch"]
        ).xpath("//button[@name='action_remove']")[0]
        self.assertIn("cannot be restored", button.get("confirm"))
        record.action_remove()
        self.assertNotIn("x_crm_altes_feld", self.env["res.partner"]._fields)
        self.assertNotIn("x_crm_altes_feld", etree.tostring(self._arch("form", self.user)).decode())
