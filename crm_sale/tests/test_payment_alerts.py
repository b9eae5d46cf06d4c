"""Dunning block and returned direct debits in sales terms (crm_billing_sepa's facts, read
by crm_sale through the registry). The install matrix of `make test` installs
crm_billing_sepa in the database of the bridges, so these tests run there."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import get_db_name

from odoo.addons.crm_billing_sepa.tests.common import SepaCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestPaymentAlerts(SepaCase):
    @classmethod
    def setUpClass(cls):
        if "crm.sepa.batch.line" not in Registry(get_db_name()):
            cls.skipTest(cls, "crm_billing_sepa is not installed")
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        cls.salesperson = new_test_user(
            cls.env,
            login="crm_sale_alerts",
            groups="sales_team.group_sale_salesman,crm_core.group_user",
            company_id=cls.company.id,
        )
        cls.blocked = cls.env["res.partner"].create(
            {"name": "Mahnsperre Kunde GmbH", "is_company": True, "crm_dunning_block": True}
        )
        cls.good = cls.env["res.partner"].create({"name": "Guter Kunde", "is_company": True})
        # a customer whose direct debit came back: its invoice is open again
        cls.returner, _bank, _mandate = cls.make_customer("Rücklast Kunde KG")
        invoice = cls.make_invoice(cls.returner, 99.0, due=datetime.date(2026, 2, 20))
        result = cls.env["crm.sepa.batch"].create_debit_batches(
            due_date_to=datetime.date(2026, 3, 31)
        )
        batch = cls.env["crm.sepa.batch"].browse(result["batch_ids"])
        batch.action_confirm()
        batch.line_ids.register_return("AM04")
        cls.invoice = invoice

    def set_policy(self, policy):
        self.env["res.config.settings"].create({"crm_sale_payment_alert": policy}).execute()

    def test_warn_shows_the_alert_on_the_quotation(self):
        self.set_policy("warn")
        self.assertIn(self.invoice.payment_state, ("not_paid", "partial"))
        for customer, text in (
            (self.blocked, "Mahnsperre Kunde GmbH is on dunning block."),
            (self.returner, "Rücklast Kunde KG has 1 returned direct debit(s) not paid yet."),
        ):
            action = customer.with_user(self.salesperson).action_crm_new_quotation()
            order_form = Form(
                self.env["sale.order"].with_user(self.salesperson).with_context(**action["context"])
            )
            self.assertIn(text, order_form.sale_warning_text)
            order = order_form.save()
            order.action_confirm()  # warned, not refused
            self.assertEqual(order.state, "sale")
            self.assertIn(text, order.sale_warning_text)
        order = self.env["sale.order"].create({"partner_id": self.good.id})
        self.assertFalse(order.sale_warning_text)

    def test_paid_return_alerts_no_more(self):
        self.assertTrue(self.returner._crm_sale_payment_alerts())
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertFalse(self.returner._crm_sale_payment_alerts())

    def test_block_refuses_to_start_and_confirm(self):
        draft = self.env["sale.order"].create({"partner_id": self.blocked.id})
        self.set_policy("block")
        customer = self.blocked.with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "Mahnsperre Kunde GmbH is on dunning block"):
            customer.action_crm_new_quotation()
        with self.assertRaisesRegex(UserError, "Mahnsperre Kunde GmbH"):
            self.env["sale.order"].with_user(self.salesperson).create(
                {"partner_id": self.blocked.id}
            )
        with self.assertRaisesRegex(UserError, "Mahnsperre Kunde GmbH"):
            draft.with_user(self.salesperson).action_confirm()
        self.assertEqual(draft.state, "draft")
        with self.assertRaisesRegex(UserError, "Rücklast Kunde KG has 1 returned direct debit"):
            self.env["sale.order"].create({"partner_id": self.good.id}).write(
                {"partner_id": self.returner.id}
            )
        # a contact person of a blocked customer is blocked too; other customers are not
        contact = self.env["res.partner"].create({"name": "Kurt", "parent_id": self.blocked.id})
        with self.assertRaisesRegex(UserError, "Mahnsperre Kunde GmbH"):
            self.env["sale.order"].create({"partner_id": contact.id})
        order = self.env["sale.order"].create({"partner_id": self.good.id})
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_block_message_is_translated(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["crm_sale"], ["de_DE"])
        self.set_policy("block")
        with self.assertRaises(UserError) as caught:
            self.blocked.with_context(lang="de_DE").action_crm_new_quotation()
        self.assertIn("Mahnsperre Kunde GmbH", str(caught.exception))
        self.assertIn("Mahnsperre", str(caught.exception))
        self.assertNotIn("is on dunning block", str(caught.exception))
