"""A fast path steps aside where it cannot be exact: a module that adds a stored field its
SQL would not fill, or overrides what its SQL replaces, gets the ORM path, and the result is
what the ORM makes. Where the ORM itself keeps a fast path exact (a stored field computed
from what it writes), the fast path stays and the field is right."""

import datetime
import logging

from freezegun import freeze_time

from odoo import api, models
from odoo.fields import Command
from odoo.tests import tagged

from ..tools import fastpath_booking, fastpath_invoice, fastpath_rows
from .fastpath_common import ExtensionCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestFastPathFallback(ExtensionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna, _bank, cls.anna_mandate = cls.make_customer("Anna Kunde")
        cls.bernd, _bank, cls.bernd_mandate = cls.make_customer("Bernd Kunde")

    def collect(self):
        for partner, amount in ((self.anna, 12.5), (self.bernd, 99.99), (self.anna, 7.0)):
            self.make_invoice(partner, amount)
        result = self.env["crm.sepa.batch"].create_debit_batches()
        self.assertEqual(result["errors"], [])
        return self.env["crm.sepa.batch"].browse(result["batch_ids"])

    def column(self, records, name):
        """A column's values as PostgreSQL holds them, in the records' order."""
        self.env.flush_all()
        self.env.cr.execute(
            f'SELECT id, "{name}" FROM "{records._table}" WHERE id = ANY(%s)', [records.ids]
        )
        values = dict(self.env.cr.fetchall())
        return [values[record_id] for record_id in records.ids]

    # -------------------------------------------------------------------------------------
    # Payments of a batch (fastpath_rows.create)
    # -------------------------------------------------------------------------------------
    def test_payments_custom_stored_field_takes_the_orm(self):
        self.add_custom_field(
            "crm.sepa.batch.line",
            "x_crm_probe",
            "for line in self: line['x_crm_probe'] = 'E2E ' + (line.end_to_end_id or '')",
            "end_to_end_id",
        )
        with self.assertLogs(fastpath_rows.__name__, logging.DEBUG) as logs:
            batch = self.collect()
        self.assertIn("by the ORM", "\n".join(logs.output))
        lines = batch.line_ids
        self.assertEqual(
            self.column(lines, "x_crm_probe"),
            [f"E2E {e2e}" for e2e in lines.mapped("end_to_end_id")],
        )

    def test_payments_create_override_takes_the_orm(self):
        seen = []

        class Probe(models.Model):
            _module = "crm_fastpath_probe"
            _name = "crm.sepa.batch.line"
            _inherit = ["crm.sepa.batch.line"]

            @api.model_create_multi
            def create(self, vals_list):
                seen.extend(vals["end_to_end_id"] for vals in vals_list)
                return super().create(vals_list)

        self.extend_registry(Probe)
        batch = self.collect()
        self.assertEqual(sorted(seen), sorted(batch.line_ids.mapped("end_to_end_id")))

    # -------------------------------------------------------------------------------------
    # Mandates after a debit (fastpath_rows.write)
    # -------------------------------------------------------------------------------------
    def test_mandates_custom_field_from_written_values_stays_exact(self):
        """A stored field computed from what the fast path writes is recomputed by the ORM:
        the fast path stays, the field is right."""
        self.add_custom_field(
            "crm.sepa.mandate",
            "x_crm_probe",
            "for m in self: m['x_crm_probe'] = (m.sequence_type or '') + '/' + (m.state or '')",
            "sequence_type,state",
        )
        batch = self.collect()
        with self.assertLogs(fastpath_rows.__name__, logging.DEBUG) as logs:
            batch.action_confirm()
        if self.fast_paths_on:
            self.assertIn("crm.sepa.mandate: 2 rows written in SQL", "\n".join(logs.output))
        mandates = self.anna_mandate | self.bernd_mandate
        self.assertEqual(mandates.mapped("sequence_type"), ["RCUR", "RCUR"])
        self.assertEqual(self.column(mandates, "x_crm_probe"), ["RCUR/active", "RCUR/active"])

    def test_mandates_write_override_takes_the_orm(self):
        seen = []

        class Probe(models.Model):
            _module = "crm_fastpath_probe"
            _name = "crm.sepa.mandate"
            _inherit = ["crm.sepa.mandate"]

            def write(self, vals):
                seen.append((tuple(self.ids), vals.get("sequence_type")))
                return super().write(vals)

        self.extend_registry(Probe)
        batch = self.collect()
        batch.action_confirm()
        mandates = self.anna_mandate | self.bernd_mandate
        self.assertIn(
            (tuple(sorted(mandates.ids)), "RCUR"), [(tuple(sorted(i)), s) for i, s in seen]
        )

    # -------------------------------------------------------------------------------------
    # Booking (fastpath_booking)
    # -------------------------------------------------------------------------------------
    def test_booking_custom_field_on_journal_items_takes_the_orm(self):
        """The SQL copies the ORM-made counterpart line into one line per payment: a custom
        field would keep the copied value (the batch's name), not its own."""
        self.add_custom_field(
            "account.move.line",
            "x_crm_probe",
            "for line in self: line['x_crm_probe'] = 'label ' + (line.name or '')",
            "name",
        )
        batch = self.collect()
        with self.assertLogs(fastpath_booking.__name__, logging.DEBUG) as logs:
            batch.action_confirm()
        self.assertIn("x_crm_probe of a custom field", "\n".join(logs.output))
        booked = batch.line_ids.booking_line_id
        self.assertEqual(len(booked), 3)
        self.assertEqual(
            self.column(booked, "x_crm_probe"), [f"label {name}" for name in booked.mapped("name")]
        )
        self.assertTrue(all(booked.mapped("reconciled")))

    def test_booking_reconcile_override_takes_the_orm(self):
        seen = []

        class Probe(models.Model):
            _module = "crm_fastpath_probe"
            _name = "account.move.line"
            _inherit = ["account.move.line"]

            def _reconcile_plan(self, reconciliation_plan):
                seen.extend(reconciliation_plan)
                return super()._reconcile_plan(reconciliation_plan)

        self.extend_registry(Probe)
        batch = self.collect()
        with self.assertLogs(fastpath_booking.__name__, logging.DEBUG) as logs:
            batch.action_confirm()
        self.assertIn("crm_fastpath_probe: _reconcile_plan", "\n".join(logs.output))
        self.assertEqual(len(seen), 3)
        self.assertTrue(all(batch.line_ids.move_id.line_ids.filtered("reconciled")))

    # -------------------------------------------------------------------------------------
    # Draft invoices (fastpath_invoice)
    # -------------------------------------------------------------------------------------
    def invoice_vals(self):
        tax = self.company_data["default_tax_sale"]
        return [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": D(2026, 3, 2),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Stunde {index}",
                            "price_unit": 80.0 + index,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for index in range(2)
                ],
            }
            for partner in (self.anna, self.bernd)
        ]

    def test_invoice_lines_custom_field_takes_the_orm(self):
        self.add_custom_field(
            "account.move.line",
            "x_crm_probe",
            "for line in self: line['x_crm_probe'] = 'label ' + (line.name or '')",
            "name",
        )
        Move = self.env["account.move"].with_context(default_move_type="out_invoice")
        self.assertIn("x_crm_probe", " ".join(fastpath_invoice.insert_blockers(Move)))
        moves = fastpath_invoice.create_draft_invoices(Move, self.invoice_vals())
        lines = moves.line_ids
        self.assertEqual(len(lines), 8)  # 2 products, 1 tax, 1 receivable line each
        self.assertEqual(
            self.column(lines, "x_crm_probe"),
            [f"label {name or ''}" for name in lines.mapped("name")],
        )

    def test_invoice_lines_create_override_takes_the_orm(self):
        seen = []

        class Probe(models.Model):
            _module = "crm_fastpath_probe"
            _name = "account.move.line"
            _inherit = ["account.move.line"]

            @api.model_create_multi
            def create(self, vals_list):
                seen.extend(vals.get("name") for vals in vals_list)
                return super().create(vals_list)

        self.extend_registry(Probe)
        Move = self.env["account.move"].with_context(default_move_type="out_invoice")
        self.assertIn("crm_fastpath_probe: create", fastpath_invoice.insert_blockers(Move))
        moves = fastpath_invoice.create_draft_invoices(Move, self.invoice_vals())
        for name in ("Stunde 0", "Stunde 1"):
            self.assertEqual(seen.count(name), 2)
        self.assertEqual(len(moves.invoice_line_ids), 4)
