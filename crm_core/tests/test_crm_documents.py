from odoo.fields import Command
from odoo.tests import tagged

from .common import CrmCoreAccountCommon


@tagged("post_install", "-at_install")
class TestNumbersOnDocuments(CrmCoreAccountCommon):
    def test_debtor_number_on_invoice_and_report(self):
        customer = self._customer("Autohaus Becker GmbH", customer_rank=1)
        person = self.env["res.partner"].create({"name": "Frank Becker", "parent_id": customer.id})
        invoice = self._post(person, 250.0)
        number = customer.crm_debtor_number
        self.assertTrue(number)
        self.assertEqual(invoice.crm_debtor_number, number)
        found = self.env["account.move"].search([("crm_debtor_number", "=", number)])
        self.assertEqual(found, invoice)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Debtor No.", html)
        self.assertIn(number, html)

    def test_creditor_number_on_bill(self):
        supplier = self._customer("Papier Krüger GmbH", supplier_rank=1)
        bill = self._create_invoice(
            move_type="in_invoice",
            partner_id=supplier,
            invoice_line_ids=[
                Command.create({"name": "Papier", "quantity": 1, "price_unit": 40, "tax_ids": []})
            ],
        )
        self.assertTrue(supplier.crm_creditor_number)
        self.assertEqual(bill.crm_creditor_number, supplier.crm_creditor_number)
        self.assertFalse(bill.crm_debtor_number)
