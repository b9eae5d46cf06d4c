"""Label wizard: partners' address blocks on label sheets, read back from the PDF."""

import base64

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.base.tests.common import BaseCommon, new_test_user

from .pdf_text import pdf_text, pdf_words

MM = 72 / 25.4


@tagged("post_install", "-at_install")
class TestCrmLabels(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.cz = cls.env.ref("base.cz")
        cls.env.company.write(
            {
                "name": "Absender AG",
                "street": "Senderweg 1",
                "zip": "01067",
                "city": "Dresden",
                "country_id": cls.de.id,
            }
        )
        cls.user = new_test_user(cls.env, login="label_user", groups="crm_core.group_user")
        Partner = cls.env["res.partner"]
        cls.firma = Partner.create(
            {
                "name": "Müller & Söhne GmbH",
                "is_company": True,
                "street": "Hauptstraße 5",
                "zip": "10115",
                "city": "Berlin",
                "country_id": cls.de.id,
            }
        )
        cls.eva = Partner.create({"name": "Eva Muster", "parent_id": cls.firma.id})
        cls.jan = Partner.create({"name": "Jan Řezníček", "parent_id": cls.firma.id})
        cls.praha = Partner.create(
            {
                "name": "Příklad s.r.o.",
                "is_company": True,
                "street": "Václavské náměstí 1",
                "zip": "110 00",
                "city": "Praha",
                "country_id": cls.cz.id,
            }
        )

    def _print(self, partners, user=None, **values):
        wizard = (
            self.env["crm.label.wizard"]
            .with_user(user or self.env.user)
            .create({"partner_ids": [(6, 0, partners.ids)], **values})
        )
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/crm.label.wizard/{wizard.id}/file/labels.pdf", action["url"])
        return base64.b64decode(wizard.file)

    def test_address_blocks(self):
        blocks = (self.firma | self.eva | self.praha)._crm_address_blocks()
        self.assertEqual(blocks[0], ["Müller & Söhne GmbH", "Hauptstraße 5", "10115 Berlin"])
        self.assertEqual(
            blocks[1], ["Müller & Söhne GmbH", "Eva Muster", "Hauptstraße 5", "10115 Berlin"]
        )
        self.assertEqual(
            blocks[2],
            ["Příklad s.r.o.", "Václavské náměstí 1", "110 00 Praha", "CZECH REPUBLIC"],
        )

    def test_print_per_partner_with_start_position_and_sender(self):
        pdf = self._print(
            self.firma | self.praha,
            user=self.user,
            preset="avery_l7163",
            start_position=4,
            print_sender=True,
        )
        text = pdf_text(pdf)
        self.assertIn("Absender AG · Senderweg 1 · 01067 Dresden", text)
        self.assertIn("Václavské náměstí 1", text)
        self.assertIn("CZECH REPUBLIC", text)
        words = {w[1]: w for w in pdf_words(pdf)}
        # L7163: 2 columns; position 4 = row 2, column 2; position 5 = row 3, column 1
        _page, _t, x0, y0, _x1, _y1 = words["Müller"]
        self.assertAlmostEqual(x0, (4.65 + 101.6 + 4) * MM, delta=1)
        self.assertTrue((15.15 + 38.1) * MM < y0 < (15.15 + 2 * 38.1) * MM)
        _page, _t, x0, y0, _x1, _y1 = words["Příklad"]
        self.assertAlmostEqual(x0, (4.65 + 4) * MM, delta=1)
        self.assertTrue((15.15 + 2 * 38.1) * MM < y0 < (15.15 + 3 * 38.1) * MM)

    def test_print_per_contact_person(self):
        wizard = self.env["crm.label.wizard"].create(
            {"partner_ids": [(6, 0, (self.firma | self.praha).ids)], "per": "contact"}
        )
        self.assertEqual(wizard.label_count, 3)  # Eva, Jan, and Příklad (no contacts)
        pdf = self._print(self.firma | self.praha, per="contact", preset="herma_5051")
        text = pdf_text(pdf, layout=False)
        self.assertIn("Eva Muster", text)
        self.assertIn("Jan Řezníček", text)
        self.assertEqual(text.count("Müller & Söhne GmbH"), 2)

    def test_custom_size(self):
        pdf = self._print(
            self.firma,
            preset="custom",
            page_width=100,
            page_height=150,
            columns=1,
            rows=3,
            label_width=90,
            label_height=45,
            margin_top=5,
            margin_left=5,
            pitch_x=90,
            pitch_y=48,
            start_position=2,
        )
        words = {w[1]: w for w in pdf_words(pdf)}
        self.assertAlmostEqual(words["Müller"][2], (5 + 4) * MM, delta=1)
        self.assertTrue((5 + 48) * MM < words["Müller"][3] < (5 + 48 + 45) * MM)

    def test_bad_input_is_refused_clearly(self):
        with self.assertRaisesRegex(ValidationError, "beyond the page width of 210.00 mm"):
            self._print(
                self.firma,
                preset="custom",
                columns=3,
                label_width=80,
                pitch_x=80,
                margin_left=0,
            )
        with self.assertRaisesRegex(ValidationError, "Label width must be greater than 0"):
            self._print(self.firma, preset="custom", label_width=0)
        with self.assertRaisesRegex(ValidationError, "Start position 22 does not exist"):
            self._print(self.firma, preset="avery_l7160", start_position=22)

    def test_list_action_opens_wizard(self):
        action = (self.firma | self.praha).action_crm_print_labels()
        self.assertEqual(action["res_model"], "crm.label.wizard")
        with Form(self.env["crm.label.wizard"].with_context(action["context"])) as form:
            form.preset = "avery_3474"
            self.assertEqual(form.label_count, 2)

    def test_server_actions_on_partner_lists(self):
        """The list actions "Print labels" and "Export vCard" (bound to res.partner)."""
        partners = self.firma | self.praha
        for xmlid in (
            "crm_core.res_partner_action_print_labels",
            "crm_core.res_partner_action_export_vcard",
        ):
            action = self.env.ref(xmlid)
            self.assertEqual(action.binding_model_id.model, "res.partner")
            self.assertIn("list", action.binding_view_types)
        result = (
            self.env.ref("crm_core.res_partner_action_print_labels")
            .with_user(self.user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .run()
        )
        self.assertEqual(result["res_model"], "crm.label.wizard")
        self.assertEqual(result["context"]["default_partner_ids"], [(6, 0, partners.ids)])
        result = (
            self.env.ref("crm_core.res_partner_action_export_vcard")
            .with_user(self.user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .run()
        )
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.assertTrue(result["url"].endswith("/file/contacts.vcf?download=true"))

    def test_user_without_crm_group_cannot_print(self):
        outsider = new_test_user(self.env, login="label_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["crm.label.wizard"].with_user(outsider).create(
                {"partner_ids": [(6, 0, self.firma.ids)]}
            )
