from odoo.tests import Form, tagged

from .common import CrmCoreAccountCommon


@tagged("post_install", "-at_install")
class TestCustomerDefinitions(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.czk = cls.setup_other_currency("CZK", rounding=0.01)
        cls.term = cls.env.ref("account.account_payment_term_30days")
        journal = cls.company_data["default_journal_bank"]
        cls.inbound = journal.inbound_payment_method_line_ids[:1]
        cls.customer = cls._customer("Sklárna Bohemia s.r.o.", customer_rank=1)
        with Form(cls.customer.with_user(cls.crm_manager)) as form:
            form.property_inbound_payment_method_line_id = cls.inbound
            form.property_payment_term_id = cls.term
            form.crm_sale_currency_id = cls.czk
            form.crm_purchase_currency_id = cls.czk

    def test_invoice_takes_definitions(self):
        move = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
        move.partner_id = self.customer
        self.assertEqual(move.currency_id, self.czk)
        self.assertEqual(move.invoice_payment_term_id, self.term)
        self.assertEqual(move.preferred_payment_method_line_id, self.inbound)
        with move.invoice_line_ids.new() as line:
            line.name = "Kristallvasen"
            line.price_unit = 1000
        invoice = move.save()
        self.assertEqual(invoice.currency_id, self.czk)
        # a partner without definitions keeps the company currency
        other = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
        other.partner_id = self.partner_a
        self.assertEqual(other.currency_id, self.company.currency_id)

    def test_bill_takes_purchase_currency(self):
        bill = Form(self.env["account.move"].with_context(default_move_type="in_invoice"))
        bill.partner_id = self.customer
        self.assertEqual(bill.currency_id, self.czk)

    def test_cockpit_invoice_prefilled_with_definitions(self):
        action = self.customer.with_user(self.crm_manager).action_crm_new_invoice()
        move = Form(
            self.env["account.move"].with_user(self.crm_manager).with_context(action["context"])
        )
        self.assertEqual(move.currency_id, self.czk)
        self.assertEqual(move.invoice_payment_term_id, self.term)
        self.assertEqual(move.preferred_payment_method_line_id, self.inbound)

    def test_definitions_are_per_company(self):
        other = self.env["res.company"].create({"name": "Tochter GmbH"})
        self.assertFalse(self.customer.with_company(other).crm_sale_currency_id)
        self.assertEqual(self.customer.crm_sale_currency_id, self.czk)
