"""The "First Steps" of the settings (issue 20): what an administrator sets up, each step
done or to do, each with a link. Each step is checked in both states."""

from lxml import etree

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestFirstSteps(TransactionCase):
    def _done(self, step):
        settings = self.env["res.config.settings"].create({})
        return settings[f"crm_step_{step}_done"], settings

    def _check_link(self, settings, step):
        action = getattr(settings, f"action_crm_step_{step}")()
        self.assertIn(action["type"], ("ir.actions.act_window",), step)
        self.assertTrue(action["res_model"], step)

    def test_steps_in_the_settings(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]
        form = etree.fromstring(arch["arch"])
        block = form.xpath("//block[@name='crm_first_steps']")
        self.assertTrue(block, "the First Steps block")
        steps = {s.get("id") for s in block[0].iter("setting")}
        expected = {"crm_step_roles"}
        for model, step in [
            ("crm.sepa.mandate", "crm_step_bank"),
            ("crm.telephony.box", "crm_step_fritzbox"),
            ("crm.route", "crm_step_geocoder"),
            ("crm.scan.document", "crm_step_scan_intake"),
        ]:
            if model in self.env:
                expected.add(step)
        self.assertEqual(steps, expected)
        for step in expected:
            self.assertTrue(block[0].xpath(f"//button[@name='action_{step}']"), step)

    def test_roles(self):
        roles = self.env.ref("crm_core.group_role_salesperson") | self.env.ref(
            "crm_core.group_role_office_manager"
        )
        roles.write({"user_ids": [(5,)]})
        done, settings = self._done("roles")
        self.assertFalse(done)
        self._check_link(settings, "roles")
        new_test_user(self.env, login="first_step_sales", groups="crm_core.group_role_salesperson")
        self.assertTrue(self._done("roles")[0])

    def test_bank_and_creditor(self):
        if "crm.sepa.mandate" not in self.env:
            self.skipTest("crm_billing_sepa not installed")
        company = self.env["res.company"].create({"name": "First Steps GmbH"})
        self.env.user.write({"company_ids": [(4, company.id)], "company_id": company.id})
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        done, settings = self._done("bank")
        self.assertFalse(done)
        self.assertEqual(settings.action_crm_step_bank()["res_model"], "res.partner.bank")
        self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": company.partner_id.id}
        )
        self.assertFalse(self._done("bank")[0], "a bank account alone is not enough")
        company.crm_sepa_creditor_identifier = "DE98ZZZ09999999999"
        done, settings = self._done("bank")
        self.assertTrue(done)
        self.assertEqual(settings.action_crm_step_bank()["res_model"], "res.config.settings")

    def test_fritzbox(self):
        if "crm.telephony.box" not in self.env:
            self.skipTest("crm_telephony not installed")
        Box = self.env["crm.telephony.box"]
        Box.search([("company_id", "=", self.env.company.id)]).sudo()._set_status("error", "x")
        done, settings = self._done("fritzbox")
        self.assertFalse(done)
        self._check_link(settings, "fritzbox")
        box = Box.create({"name": "First Box", "host": "127.0.0.1", "monitor_enabled": False})
        box._set_status("ok")
        self.assertTrue(self._done("fritzbox")[0])

    def test_geocoder(self):
        if "crm.route" not in self.env:
            self.skipTest("crm_routing not installed")
        Partner = self.env["res.partner"].with_context(active_test=False)
        Partner.search([("crm_geo_state", "=", "found")]).write({"crm_geo_state": "todo"})
        done, settings = self._done("geocoder")
        self.assertFalse(done)
        self._check_link(settings, "geocoder")
        Partner.create({"name": "Located", "crm_geo_state": "found"})
        self.assertTrue(self._done("geocoder")[0])

    def test_scan_intake(self):
        if "crm.scan.document" not in self.env:
            self.skipTest("crm_scan not installed")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_scan.hot_folder", False)
        self.env["fetchmail.server"].sudo().search([]).write({"state": "draft"})
        done, settings = self._done("scan_intake")
        self.assertFalse(done)
        self._check_link(settings, "scan_intake")
        params.set_param("crm_scan.hot_folder", "/srv/scans")
        self.assertTrue(self._done("scan_intake")[0])
