"""Every fast path of crm_billing_sepa writes the rows its ORM path writes for the same
input, on the generic chart, SKR03 and the Czech chart: SEPA batches (payments, chronicle
entries), their booking (entry, reconciliations, invoices, payments, mandates), invoicing
services (draft invoices, their lines, the services' links) and dunning (levels and dates on
customers and invoices, chronicle links). And the booking of a batch settles its invoices as
Odoo's own payment registration does."""

import datetime
import logging

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..tools import fastpath_booking, fastpath_invoice
from .common import IBAN_A, IBAN_B
from .fastpath_common import CHARTS, ChartsCase

D = datetime.date
TODAY = D(2026, 3, 2)
BOOKING_LOGGER = fastpath_booking.__name__


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestFastPaths(ChartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = [data["company"] for data in cls.charts.values()]
        cls.runner = new_test_user(
            cls.env,
            login="fastpath_runner",
            groups="crm_billing_sepa.group_sepa_manager,account.group_account_manager,"
            "crm_core.group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set([company.id for company in companies])],
        )
        cls.setup = {template: cls._setup_chart(template) for template in CHARTS}

    @classmethod
    def _setup_chart(cls, template):
        """Two sale tax rates, three customers with mandates, a product, dunning levels."""
        company = cls.charts[template]["company"]
        Tax = cls.env["account.tax"].with_company(company)
        taxes = Tax.search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", ">", 0),
            ]
        )
        by_rate = {}
        for tax in taxes.sorted(lambda t: (-t.amount, t.id)):
            by_rate.setdefault(tax.amount, tax)
        rates = list(by_rate.values())
        if len(rates) < 2:
            rates.append(rates[0].copy({"name": f"{rates[0].name} reduced", "amount": 7.0}))
        customers = []
        for index, iban in enumerate((IBAN_A, IBAN_B, IBAN_A)):
            partner = cls.env["res.partner"].create(
                {"name": f"{template} Kunde {index}", "is_company": True}
            )
            bank = cls.env["res.partner.bank"].create(
                {"acc_number": iban, "partner_id": partner.id}
            )
            mandate = cls.env["crm.sepa.mandate"].create(
                {
                    "partner_id": partner.id,
                    "bank_account_id": bank.id,
                    "signature_date": D(2025, 6, 1),
                    "company_id": company.id,
                    "scheme": "CORE",
                }
            )
            mandate.with_company(company).action_activate()
            customers.append(partner)
        levels = (
            cls.env["crm.dunning.level"]
            .sudo()
            .create(
                [
                    {"name": "Erinnerung", "days": 7, "company_id": company.id},
                    {
                        "name": "Mahnung",
                        "days": 21,
                        "fee": 5.0,
                        "interest_rate": 5.0,
                        "company_id": company.id,
                    },
                ]
            )
        )
        return {
            "company": company,
            "taxes": rates[:2],
            "customers": customers,
            "levels": levels,
            "product": cls.env["product.product"].create(
                {"name": f"Stunde {template}", "type": "service", "list_price": 80.0}
            ),
        }

    def invoice(self, template, partner, amounts, due=None):
        """A posted invoice of `partner` in the chart's company, one line per amount, the
        lines alternating between the two tax rates."""
        setup = self.setup[template]
        taxes = setup["taxes"]
        move = (
            self.env["account.move"]
            .with_company(setup["company"])
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": setup["company"].id,
                    "partner_id": partner.id,
                    "invoice_date": D(2026, 2, 1),
                    "invoice_date_due": due or D(2026, 3, 1),
                    "currency_id": self.eur.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Position {index}",
                                "quantity": 1 + index % 3,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes[index % 2].ids)],
                            }
                        )
                        for index, amount in enumerate(amounts)
                    ],
                }
            )
        )
        move.action_post()
        return move

    def debit_batch(self, template):
        setup = self.setup[template]
        invoices = self.env["account.move"]
        for index, partner in enumerate(setup["customers"]):
            invoices |= self.invoice(template, partner, [10.5 + index, 33.33, 7.77 * (index + 1)])
        invoices |= self.invoice(template, setup["customers"][0], [99.99])
        result = self.env["crm.sepa.batch"].create_debit_batches(
            invoice_ids=invoices.ids, company_id=setup["company"].id
        )
        self.assertEqual(result["errors"], [])
        return self.env["crm.sepa.batch"].browse(result["batch_ids"]), invoices

    def mixed_batch(self, template, instalments=True):
        """A batch of two clean invoices, one partly paid before (Odoo's payment
        registration) and (`instalments`) one payable in two instalments: the first two are
        booked by SQL, the others reconciled by Odoo."""
        setup = self.setup[template]
        customers = setup["customers"]
        company = setup["company"]
        partly = self.invoice(template, customers[2], [120.0, 19.99])
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=partly.ids
        ).create(
            {
                "payment_date": D(2026, 2, 15),
                "journal_id": self.charts[template]["default_journal_bank"].id,
                "amount": 50.0,
                "payment_difference_handling": "open",
            }
        )._create_payments()
        self.assertEqual(partly.payment_state, "partial")
        invoices = (
            self.invoice(template, customers[0], [10.5, 33.33])
            | partly
            | self.invoice(template, customers[1], [7.77 * 3])
        )
        if not instalments:
            return self.collect(template, invoices), invoices
        instalments = self.invoice(template, customers[1], [200.0])
        instalments.button_draft()
        instalments.invoice_payment_term_id = self.env["account.payment.term"].create(
            {
                "name": f"30/70 {template}",
                "company_id": company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 14}),
                ],
            }
        )
        instalments.action_post()
        self.assertEqual(len(instalments.line_ids.filtered("date_maturity")), 2)
        invoices |= instalments
        return self.collect(template, invoices), invoices

    def collect(self, template, invoices):
        """The one debit batch of these invoices, one payment each."""
        result = self.env["crm.sepa.batch"].create_debit_batches(
            invoice_ids=invoices.ids, company_id=self.setup[template]["company"].id
        )
        self.assertEqual(result["errors"], [])
        batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
        self.assertEqual(len(batch.line_ids), len(invoices))
        return batch

    def assert_paths(self, logs, expected_fast):
        """The first run took the fast path (when the switch is on), the second the ORM."""
        fast_run = [line for line in logs.output if "(fast path)" in line]
        orm_run = [line for line in logs.output if "by the ORM" in line]
        if self.fast_paths_on and expected_fast:
            self.assertEqual(len(fast_run), 1, logs.output)
            self.assertEqual(len(orm_run), 1, logs.output)
        else:
            self.assertEqual(len(orm_run), 2, logs.output)

    # -------------------------------------------------------------------------------------
    # SEPA: collecting and booking
    # -------------------------------------------------------------------------------------
    def test_debit_batch_rows_as_orm_on_three_charts(self):
        """Creating a direct debit batch: the batch, its payments, its chronicle entries, the
        invoices ("in payment") as the ORM writes them."""
        for template in CHARTS:
            with self.subTest(chart=template):
                setup = self.setup[template]
                invoices = self.env["account.move"]
                for partner in setup["customers"]:
                    invoices |= self.invoice(template, partner, [12.34, 56.78])

                def collect(env, invoices=invoices, company=setup["company"]):
                    env["crm.sepa.batch"].create_debit_batches(
                        invoice_ids=invoices.ids, company_id=company.id
                    )

                ids = ",".join(map(str, invoices.ids))
                fast, orm = self.both_paths(
                    collect,
                    {
                        "crm_sepa_batch": "t.id > {new_crm_sepa_batch}",
                        "crm_sepa_batch_line": "t.id > {new_crm_sepa_batch_line}",
                        "crm_chronicle_entry": "t.id > {new_crm_chronicle_entry}",
                        "account_move": f"t.id IN ({ids})",
                        "ir_attachment": "t.id > {new_ir_attachment}",
                        "mail_message": "t.id > {new_mail_message}",
                    },
                )
                self.assertEqual(len(fast["crm_sepa_batch_line"]), len(invoices))
                self.assertSameRows(fast, orm)

    def test_booking_rows_as_orm_on_three_charts(self):
        """Confirming a batch: the entry, its lines, the reconciliations, the invoices, the
        payments, the batch and the mandates as Odoo's reconciliation writes them."""
        for template in CHARTS:
            with self.subTest(chart=template):
                batch, invoices = self.debit_batch(template)
                ids = ",".join(map(str, invoices.ids))
                mandates = ",".join(map(str, batch.line_ids.mandate_id.ids))
                with self.assertLogs(BOOKING_LOGGER, logging.DEBUG) as logs:
                    fast, orm = self.both_paths(
                        lambda env, batch=batch: batch.with_env(env).action_confirm(),
                        {
                            "account_move": f"t.id IN ({ids}) OR t.id > {{new_account_move}}",
                            "account_move_line": f"t.move_id IN ({ids})"
                            " OR t.id > {new_account_move_line}",
                            "account_partial_reconcile": "t.id > {new_account_partial_reconcile}",
                            "account_full_reconcile": "t.id > {new_account_full_reconcile}",
                            "crm_sepa_batch": f"t.id = {batch.id}",
                            "crm_sepa_batch_line": f"t.batch_id = {batch.id}",
                            "crm_sepa_mandate": f"t.id IN ({mandates})",
                            "mail_message": "t.id > {new_mail_message}",
                            "mail_tracking_value": "t.id > {new_mail_tracking_value}",
                        },
                    )
                self.assert_paths(logs, expected_fast=True)
                self.assertEqual(len(fast["account_full_reconcile"]), len(invoices))
                self.assertSameRows(fast, orm)

    def test_mixed_booking_rows_as_orm_on_three_charts(self):
        """A batch with a partly paid invoice and one in instalments: the clean payments are
        booked by SQL, the other two reconciled by Odoo in the same entry; the rows equal
        the ORM path's (everything by Odoo's reconciliation)."""
        for template in CHARTS:
            with self.subTest(chart=template):
                batch, invoices = self.mixed_batch(template)
                ids = ",".join(map(str, invoices.ids))
                mandates = ",".join(map(str, batch.line_ids.mandate_id.ids))
                with self.assertLogs(BOOKING_LOGGER, logging.DEBUG) as logs:
                    fast, orm = self.both_paths(
                        lambda env, batch=batch: batch.with_env(env).action_confirm(),
                        {
                            "account_move": f"t.id IN ({ids}) OR t.id > {{new_account_move}}",
                            "account_move_line": f"t.move_id IN ({ids})"
                            " OR t.id > {new_account_move_line}",
                            "account_partial_reconcile": "t.id > {new_account_partial_reconcile}",
                            "account_full_reconcile": "t.id > {new_account_full_reconcile}",
                            "crm_sepa_batch": f"t.id = {batch.id}",
                            "crm_sepa_batch_line": f"t.batch_id = {batch.id}",
                            "crm_sepa_mandate": f"t.id IN ({mandates})",
                            "mail_message": "t.id > {new_mail_message}",
                            "mail_tracking_value": "t.id > {new_mail_tracking_value}",
                        },
                    )
                self.assert_paths(logs, expected_fast=True)
                if self.fast_paths_on:
                    self.assertIn("2 payment(s) reconciled by Odoo", "\n".join(logs.output))
                self.assertEqual(len(fast["account_full_reconcile"]), len(invoices))
                self.assertSameRows(fast, orm)

    def test_booking_settles_invoices_as_odoos_payment_registration(self):
        """The booking of a batch settles each invoice as Odoo's own payment registration
        (one payment per invoice, reconciled by Odoo) does: the invoices and their lines,
        the partial and full reconciliations and the counterpart lines' amounts, residuals,
        partners and matching numbers are the same rows (the counterpart's account, label
        and entry differ by nature: a transfer account and one entry for the batch, an
        outstanding account and one entry per payment)."""
        counterpart_columns = (
            "partner_id, company_id, currency_id, company_currency_id, debit, credit, balance,"
            " amount_currency, amount_residual, amount_residual_currency, reconciled,"
            " full_reconcile_id, matching_number, date, parent_state, display_type"
        )
        for template, kind in [(t, k) for t in CHARTS for k in ("clean", "mixed")]:
            with self.subTest(chart=template, batch=kind):
                batch, invoices = (
                    self.debit_batch(template)
                    if kind == "clean"
                    # (Odoo's registration pays the next instalment only, not a whole invoice)
                    else self.mixed_batch(template, instalments=False)
                )
                journal = self.charts[template]["default_journal_bank"]
                ids = ",".join(map(str, invoices.ids))

                def ours(env, batch=batch):
                    batch.with_env(env).action_confirm()

                def odoos(env, invoices=invoices, journal=journal):
                    env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoices.ids
                    ).create(
                        {"payment_date": TODAY, "journal_id": journal.id, "group_payment": False}
                    )._create_payments()

                tables = {
                    "account_move": f"t.id IN ({ids})",
                    "account_move_line": f"t.move_id IN ({ids})",
                    "account_partial_reconcile": "t.id > {new_account_partial_reconcile}",
                    "account_full_reconcile": "t.id > {new_account_full_reconcile}",
                    "counterpart lines": (
                        "account_move_line",
                        counterpart_columns,
                        "t.id IN (SELECT credit_move_id FROM account_partial_reconcile"
                        " WHERE id > {new_account_partial_reconcile})",
                    ),
                }
                mine = self.run_path(ours, tables, fast=True)
                theirs = self.run_path(odoos, tables, fast=False)
                self.assertEqual(len(mine["account_partial_reconcile"]), len(invoices))
                self.assertSameRows(mine, theirs)

    # -------------------------------------------------------------------------------------
    # Billing: draft invoices, invoicing services, dunning
    # -------------------------------------------------------------------------------------
    INVOICE_RELATIONS = {
        "account_move_line_account_tax_rel": {
            "account_move_line_id": "account_move_line",
            "account_tax_id": "account_tax",
        },
        "account_account_tag_account_move_line_rel": {
            "account_move_line_id": "account_move_line",
            "account_account_tag_id": "account_account_tag",
        },
    }
    INVOICE_TABLES = {
        "account_move": "t.id > {new_account_move}",
        "account_move_line": "t.id > {new_account_move_line}",
        "account_move_line_account_tax_rel": "t.account_move_line_id > {new_account_move_line}",
        "account_account_tag_account_move_line_rel": (
            "t.account_move_line_id > {new_account_move_line}"
        ),
        "mail_message": "t.id > {new_mail_message}",
    }

    def test_draft_invoices_rows_as_orm_on_three_charts(self):
        """Draft invoices in bulk: two tax rates, a payment term in two instalments, a
        section, an invoice in another currency; the same invoices and lines as Odoo's
        create, column by column."""
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.2345)])
        term = self.env["account.payment.term"].create(
            {
                "name": "30 % now, rest in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 30}),
                ],
            }
        )
        for template in CHARTS:
            with self.subTest(chart=template):
                setup = self.setup[template]
                company = setup["company"]

                def vals_list(setup=setup, company=company):
                    taxes = setup["taxes"]
                    return [
                        {
                            "move_type": "out_invoice",
                            "company_id": company.id,
                            "currency_id": currency.id,
                            "partner_id": partner.id,
                            "invoice_date": TODAY,
                            "invoice_payment_term_id": term.id,
                            "invoice_line_ids": [
                                Command.create({"display_type": "line_section", "name": "März"}),
                                *(
                                    Command.create(
                                        {
                                            "product_id": setup["product"].id,
                                            "name": f"Stunde {index}",
                                            "quantity": 0.25 * (index + 1),
                                            "price_unit": 72.5 + index,
                                            "tax_ids": [Command.set(taxes[index % 2].ids)],
                                        }
                                    )
                                    for index in range(3)
                                ),
                            ],
                        }
                        for partner, currency in zip(
                            setup["customers"], (self.eur, usd, self.eur), strict=True
                        )
                    ]

                def create(env, company=company, vals_list=vals_list):
                    Move = (
                        env["account.move"]
                        .with_company(company)
                        .with_context(default_move_type="out_invoice")
                    )
                    fastpath_invoice.create_draft_invoices(Move, vals_list())

                fast, orm = self.both_paths(create, self.INVOICE_TABLES, self.INVOICE_RELATIONS)
                self.assertEqual(len(fast["account_move"]), 3)
                self.assertSameRows(fast, orm)

    def test_invoicing_services_rows_as_orm_on_three_charts(self):
        """Invoicing services: the draft invoices, their lines and notes, the services
        linked to their lines, one line per service and summed per product."""
        for template in CHARTS:
            setup = self.setup[template]
            company = setup["company"]
            services = self.env["crm.service"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "name": f"Wartung {index}",
                        "product_id": setup["product"].id,
                        "quantity": 0.25 * (index + 1),
                        "date": D(2026, 2, 10 + index),
                    }
                    for partner in setup["customers"]
                    for index in range(3)
                ]
            )
            for line_mode in ("service", "product"):
                with self.subTest(chart=template, line_mode=line_mode):

                    def invoice(env, services=services, company=company, line_mode=line_mode):
                        env["crm.service"].with_company(company).browse(
                            services.ids
                        ).invoice_services(line_mode=line_mode)

                    ids = ",".join(map(str, services.ids))
                    tables = dict(self.INVOICE_TABLES, crm_service=f"t.id IN ({ids})")
                    fast, orm = self.both_paths(invoice, tables, self.INVOICE_RELATIONS)
                    self.assertEqual(len(fast["account_move"]), 3)
                    self.assertSameRows(fast, orm)

    def test_dunning_rows_as_orm_on_three_charts(self):
        """Confirming a dunning run: the levels and dates on customers and invoices, the
        letters, their chronicle entries and fee invoices."""
        for template in CHARTS:
            with self.subTest(chart=template):
                setup = self.setup[template]
                company = setup["company"]
                invoices = self.env["account.move"]
                for index, partner in enumerate(setup["customers"]):
                    due = D(2026, 1, 5) if index else D(2026, 2, 20)
                    invoices |= self.invoice(template, partner, [40.0 + index, 12.0], due=due)
                run = (
                    self.env["crm.dunning.run"]
                    .with_user(self.runner)
                    .with_company(company)
                    .create({"date": TODAY, "fee_mode": "invoice"})
                )
                run.action_propose()
                self.assertEqual(len(run.letter_ids), 3)
                ids = ",".join(map(str, invoices.ids))
                partners = ",".join(str(partner.id) for partner in setup["customers"])
                fast, orm = self.both_paths(
                    lambda env, run=run: run.with_env(env).action_confirm(),
                    {
                        "res_partner": f"t.id IN ({partners})",
                        "account_move": f"t.id IN ({ids}) OR t.id > {{new_account_move}}",
                        "account_move_line": "t.id > {new_account_move_line}",
                        "crm_dunning_run": f"t.id = {run.id}",
                        "crm_dunning_letter": f"t.run_id = {run.id}",
                        "crm_chronicle_entry": "t.id > {new_crm_chronicle_entry}",
                        "mail_message": "t.id > {new_mail_message}",
                    },
                )
                letters_logged = [
                    entry
                    for entry in fast["crm_chronicle_entry"]
                    if entry["source_model"] == "crm.dunning.letter"
                ]
                self.assertEqual(len(letters_logged), 3)
                # the customers' event log: level and date of each, on both paths alike
                events = fast["crm_partner_event"]
                self.assertEqual(
                    sorted(event["field_name"] for event in events),
                    ["crm_dunning_date"] * 3 + ["crm_dunning_level_id"] * 3,
                )
                self.assertTrue(all(event["new_value"] for event in events))
                self.assertSameRows(fast, orm)
