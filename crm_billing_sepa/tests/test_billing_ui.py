import datetime

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.pdf_text import pdf_text


@tagged("post_install", "-at_install")
class TestBillingUi(HttpCase):
    def test_record_two_services_and_invoice_tour(self):
        env = self.env
        eur = env.ref("base.EUR")
        eur.active = True
        product = env["product.product"].create(
            {"name": "Tour Stunde", "type": "service", "list_price": 90.0, "sale_ok": True}
        )
        partner = env["res.partner"].create({"name": "Tour Service GmbH", "is_company": True})
        self.start_tour(f"/odoo/contacts/{partner.id}", "crm_service_tour", login="admin")
        services = env["crm.service"].search([("partner_id", "=", partner.id)])
        self.assertEqual(len(services), 2)
        self.assertEqual(services.mapped("state"), ["invoiced", "invoiced"])
        invoice = services.invoice_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.invoice_line_ids.product_id, product)
        self.assertEqual(sum(invoice.invoice_line_ids.mapped("quantity")), 3.5)
        self.assertEqual(invoice.amount_untaxed, 315.0)

    def test_dunning_letter_pdf_text(self):
        env = self.env
        env["res.lang"]._activate_lang("de_DE")
        level = env["crm.dunning.level"].create({"name": "Payment reminder", "days": 9, "fee": 5.0})
        level.with_context(lang="de_DE").write(
            {
                "name": "Zahlungserinnerung",
                "letter_text": "Bitte überweisen Sie den offenen Betrag umgehend.",
            }
        )
        partner = env["res.partner"].create(
            {"name": "Mahnkunde Übermut GmbH", "is_company": True, "lang": "de_DE"}
        )
        today = datetime.date.today()
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - datetime.timedelta(days=40),
                "invoice_date_due": today - datetime.timedelta(days=10),
                "currency_id": env.company.currency_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Wartung", "price_unit": 1234.56, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()
        result = env["crm.dunning.run"].run_dunning(fee_mode="invoice")
        letter = (
            env["crm.dunning.letter"]
            .browse(result["letter_ids"])
            .filtered(lambda le: le.partner_id == partner)
        )
        self.assertEqual(len(letter), 1)
        pdf, kind = (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_billing_sepa.crm_dunning_letter_report", letter.ids)
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Zahlungserinnerung", text)
        self.assertIn("Bitte überweisen Sie den offenen Betrag umgehend.", text)
        self.assertIn("Mahnkunde Übermut GmbH", text)
        self.assertIn(invoice.name, text)
        self.assertIn("1.234,56", text, "German number format")
        self.assertIn("1.239,56", text, "total with the fee")
