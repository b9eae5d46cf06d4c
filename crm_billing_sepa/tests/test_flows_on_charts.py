"""The flows the three-chart row comparisons (test_fastpath.py) do not cover, on the generic
chart, SKR03 (l10n_de) and the Czech chart (l10n_cz) (issue 18): credit notes of a chosen
invoice, credit transfers with their booking, returned direct debits with the return fee,
the ABC analysis and the contact sheet with the open items. Each on the chart's own
accounts and taxes."""

import datetime

import lxml.html

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import IBAN_A, IBAN_B
from .fastpath_common import CHARTS, ChartsCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestFlowsOnCharts(ChartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup = {}
        for template in CHARTS:
            company = cls.charts[template]["company"]
            company.crm_sepa_return_fee = 5.0
            taxes = cls.env["account.tax"].search(
                [
                    ("company_id", "=", company.id),
                    ("amount_type", "=", "percent"),
                    ("amount", ">", 0),
                    ("price_include", "=", False),
                ]
            )
            sale = (
                company.account_sale_tax_id
                or taxes.filtered(lambda t: t.type_tax_use == "sale")[:1]
            )
            purchase = (
                company.account_purchase_tax_id
                or taxes.filtered(lambda t: t.type_tax_use == "purchase")[:1]
            )
            customers = cls.env["res.partner"].create(
                [{"name": f"{template} Kunde {i}", "is_company": True} for i in range(3)]
            )
            for customer in customers:
                bank = cls.env["res.partner.bank"].create(
                    {"acc_number": IBAN_A, "partner_id": customer.id}
                )
                mandate = cls.env["crm.sepa.mandate"].create(
                    {
                        "partner_id": customer.id,
                        "bank_account_id": bank.id,
                        "signature_date": D(2025, 6, 1),
                        "company_id": company.id,
                        "scheme": "CORE",
                    }
                )
                mandate.with_company(company).action_activate()
            supplier = cls.env["res.partner"].create({"name": f"{template} Lieferant"})
            cls.env["res.partner.bank"].create({"acc_number": IBAN_B, "partner_id": supplier.id})
            cls.setup[template] = {
                "company": company,
                "sale": sale,
                "purchase": purchase,
                "customers": customers,
                "supplier": supplier,
            }
        cls.env.user.group_ids += cls.env.ref("crm_core.group_manager")

    def move(self, template, partner, amounts, move_type="out_invoice", post=True):
        setup = self.setup[template]
        tax = setup["purchase" if move_type.startswith("in_") else "sale"]
        move = (
            self.env["account.move"]
            .with_company(setup["company"])
            .create(
                {
                    "move_type": move_type,
                    "company_id": setup["company"].id,
                    "partner_id": partner.id,
                    "invoice_date": D(2026, 2, 1),
                    "invoice_date_due": D(2026, 3, 1),
                    "currency_id": self.eur.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Position {index}",
                                "quantity": 1 + index,
                                "price_unit": amount,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for index, amount in enumerate(amounts)
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def test_credit_notes_on_three_charts(self):
        """A full and a partial credit note of a chosen invoice, with the invoice's taxes
        and accounts."""
        for template in CHARTS:
            with self.subTest(template):
                setup = self.setup[template]
                company = setup["company"]
                customer = setup["customers"][0]
                invoice = self.move(template, customer, [120.0, 45.5])
                Wizard = self.env["crm.credit.note.wizard"].with_company(company)
                form = Form(Wizard.with_context(default_partner_id=customer.id))
                form.mode = "full"
                form.move_id = invoice
                refund = self.env["account.move"].browse(form.save().action_create()["res_id"])
                self.assertEqual(refund.move_type, "out_refund")
                self.assertEqual(refund.company_id, company)
                self.assertEqual(refund.reversed_entry_id, invoice)
                self.assertEqual(refund.amount_total, invoice.amount_total)
                self.assertEqual(refund.invoice_line_ids.tax_ids, setup["sale"])
                self.assertEqual(
                    refund.invoice_line_ids.account_id, invoice.invoice_line_ids.account_id
                )
                form = Form(Wizard.with_context(default_partner_id=customer.id))
                form.mode = "partial"
                form.move_id = invoice
                form.reason = "Kulanz"
                with form.line_ids.edit(0) as line:
                    line.quantity = 0.5
                partial = self.env["account.move"].browse(form.save().action_create()["res_id"])
                self.assertEqual(partial.amount_untaxed, 60.0)
                self.assertEqual(partial.invoice_line_ids.tax_ids, setup["sale"])

    def test_credit_transfer_and_booking_on_three_charts(self):
        """A vendor bill and a customer's credit note paid by one pain.001 batch; its
        booking settles both and the bank statement line reconciles with the batch."""
        for template in CHARTS:
            with self.subTest(template):
                setup = self.setup[template]
                company = setup["company"]
                bill = self.move(template, setup["supplier"], [199.99], "in_invoice")
                refund = self.move(template, setup["customers"][1], [20.0], "out_refund")
                result = (
                    self.env["crm.sepa.batch"]
                    .with_company(company)
                    .create_transfer_batches(move_ids=(bill | refund).ids, company_id=company.id)
                )
                self.assertEqual(result["errors"], [])
                batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
                self.assertEqual((batch.kind, batch.company_id), ("transfer", company))
                self.read_file(batch)  # valid against the pain.001 schema
                batch.with_company(company).action_confirm()
                self.assertEqual((bill.amount_residual, refund.amount_residual), (0, 0))
                statement = self.env["account.bank.statement.line"].create(
                    {
                        "journal_id": self.charts[template]["default_journal_bank"].id,
                        "date": D(2026, 3, 5),
                        "payment_ref": batch.name,
                        "amount": -(bill.amount_total + refund.amount_total),
                    }
                )
                self.assertTrue(statement.is_reconciled)
                self.assertEqual(batch.state, "done")
                self.assertEqual(bill.payment_state, "paid")

    def test_debit_return_with_fee_on_three_charts(self):
        """A collected debit comes back: the invoice is open again, the return entry moves
        the amount back to the receivable, and the return fee is invoiced with the chart's
        accounts."""
        for template in CHARTS:
            with self.subTest(template):
                setup = self.setup[template]
                company = setup["company"]
                customer = setup["customers"][2]
                invoice = self.move(template, customer, [40.0])
                result = (
                    self.env["crm.sepa.batch"]
                    .with_company(company)
                    .create_debit_batches(invoice_ids=invoice.ids, company_id=company.id)
                )
                self.assertEqual(result["errors"], [])
                batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
                batch.with_company(company).action_confirm()
                self.assertEqual(invoice.amount_residual, 0)
                line = batch.line_ids
                line.with_company(company).register_return("AM04", charge_fee=True)
                self.assertEqual(line.state, "returned")
                self.assertEqual(invoice.amount_residual, invoice.amount_total)
                self.assertEqual(invoice.payment_state, "not_paid")
                self.assertEqual(line.return_move_id.company_id, company)
                self.assertEqual(line.return_move_id.state, "posted")
                transfer = company._crm_sepa_transfer_account()
                self.assertEqual(
                    line.return_move_id.line_ids.filtered(
                        lambda aml, transfer=transfer: aml.account_id == transfer
                    ).credit,
                    invoice.amount_total,
                )
                fee = line.fee_move_id
                self.assertEqual((fee.company_id, fee.partner_id), (company, customer))
                self.assertEqual(fee.amount_total, 5.0)
                self.assertEqual(fee.state, "posted")

    def test_abc_analysis_on_three_charts(self):
        """Classes by revenue in each chart's company, each company on its own."""
        for template in CHARTS:
            with self.subTest(template):
                setup = self.setup[template]
                company = setup["company"]
                company._crm_ensure_classes()
                big, middle, small = setup["customers"]
                self.move(template, big, [5000.0])
                self.move(template, middle, [800.0])
                self.move(template, small, [40.0])
                self.env["crm.abc.analysis"]._run(company, today=D(2026, 3, 1))
                classes = [p.with_company(company).crm_class_id.name for p in (big, middle, small)]
                self.assertEqual(classes[0], "A")
                self.assertEqual(classes[-1], "C")
                self.assertGreater(big.with_company(company).crm_abc_revenue, 4000)

    def test_contact_sheet_with_open_items_on_three_charts(self):
        for template in CHARTS:
            with self.subTest(template):
                setup = self.setup[template]
                company = setup["company"]
                customer = setup["customers"][0]
                invoice = self.move(template, customer, [77.0])
                # the sheet's HTML (what wkhtmltopdf prints; a PDF would need the HTTP
                # server to see this test's transaction, see test_crm_print_reports.py)
                html, _kind = (
                    self.env["ir.actions.report"]
                    .with_company(company)
                    .with_context(allowed_company_ids=company.ids)
                    ._render_qweb_html("crm_core.action_report_contact_sheet", customer.ids)
                )
                text = " ".join(lxml.html.fromstring(html).text_content().split())
                self.assertIn(customer.name, text)
                self.assertIn(invoice.name, text, "the open item of the chart's receivable")
