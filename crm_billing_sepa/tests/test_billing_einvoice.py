import datetime

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common_einvoice import EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceFlows(EinvoiceCase):
    """Every invoice and credit note the suite makes is a valid XRechnung (UBL and CII)
    and ZUGFeRD/Factur-X: XSD, EN 16931 and XRechnung rules without an error."""

    def test_invoice_and_credit_note_from_the_cockpit(self):
        for partner in (self.public, self.business, self.craftsman):
            for action in (partner.action_crm_new_invoice(), partner.action_crm_new_refund()):
                with Form(self.env["account.move"].with_context(action["context"])) as form:
                    form.invoice_date = self.today
                    with form.invoice_line_ids.new() as line:
                        line.product_id = self.product
                        line.quantity = 3
                move = form.save()
                move.action_post()
                self.assert_einvoices_valid(move)

    def _services(self, partner, count=3):
        return self.env["crm.service"].create(
            [
                {
                    "partner_id": partner.id,
                    "name": f"Wartung {index}",
                    "product_id": self.product.id,
                    "quantity": 0.25 * (index + 1),
                    "date": self.today - datetime.timedelta(days=index),
                }
                for index in range(count)
            ]
        )

    def test_services_both_line_modes_and_the_bulk_path(self):
        partners = self.public + self.business + self.craftsman
        for line_mode in ("service", "product"):
            for partner in partners:
                self._services(partner)
            ids = self.env["crm.service"].invoice_services(
                partner_ids=partners.ids, line_mode=line_mode, invoice_date=self.today
            )
            moves = self.env["account.move"].browse(ids)
            self.assertEqual(len(moves), 3)
            moves.action_post()
            self.assert_einvoices_valid(moves)

    def test_dunning_fee_invoice_and_fee_lines(self):
        Level = self.env["crm.dunning.level"]
        Level.create({"name": "Zahlungserinnerung", "days": 7})
        Level.create({"name": "1. Mahnung", "days": 21, "fee": 5.0, "interest_rate": 5.0})
        invoice = self.make_invoice(self.business, lines=((10, 100.0),))
        invoice.invoice_date_due = datetime.date(2026, 2, 1)
        result = self.env["crm.dunning.run"].run_dunning(date=self.today, fee_mode="invoice")
        letter = self.env["crm.dunning.letter"].browse(result["letter_ids"])
        self.assertTrue(letter.fee_move_id)
        self.assert_einvoices_valid(letter.fee_move_id)
        # fees and interest as lines on the customer's next services invoice
        other = self.make_invoice(self.craftsman, lines=((10, 100.0),))
        other.invoice_date_due = datetime.date(2026, 2, 1)
        result = self.env["crm.dunning.run"].run_dunning(date=self.today, fee_mode="lines")
        self._services(self.craftsman)
        [move_id] = self.env["crm.service"].invoice_services(
            partner_ids=self.craftsman.ids, invoice_date=self.today
        )
        move = self.env["account.move"].browse(move_id)
        move.action_post()
        self.assert_einvoices_valid(move)

    def test_credit_notes_of_a_chosen_invoice(self):
        invoice = self.make_invoice(self.public, lines=((4, 85.0), (1, 120.0)))
        for mode in ("full", "partial"):
            wizard = Form(
                self.env["crm.credit.note.wizard"].with_context(default_partner_id=self.public.id)
            )
            wizard.mode = mode
            wizard.move_id = invoice
            wizard.reason = "Reklamation"
            if mode == "partial":
                with wizard.line_ids.edit(0) as line:
                    line.quantity = 1
            action = wizard.save().action_create()
            refund = self.env["account.move"].browse(action["res_id"])
            refund.action_post()
            self.assert_einvoices_valid(refund)
        # Odoo's own reversal too
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Storno"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assert_einvoices_valid(refund)

    def test_several_tax_rates(self):
        tax_7 = self.env["account.tax"].search(
            [
                ("company_id", "=", self.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 7),
            ],
            limit=1,
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1.5, "price_unit": 85.0}
                    ),
                    Command.create(
                        {
                            "name": "Fachbuch Heizungstechnik",
                            "quantity": 2,
                            "price_unit": 39.9,
                            "tax_ids": [Command.set(tax_7.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": 85.0,
                            "discount": 10,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        self.assert_einvoices_valid(move)
