"""One odd character never stops a SEPA run (issue 17, finding 3): names, account holders
and remittance texts of the database, whatever they hold, reach pain.008/pain.001 through the
EPC sanitising layer; a record that still cannot be written is left out with its reason on
the batch and in the run's errors, the others are collected."""

import base64
import datetime

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_core.tests import hostile
from odoo.addons.crm_core.tools import sanitize

from ..tools import pain
from .common import IBAN_A, IBAN_B, SepaCase

D = datetime.date
# what the database holds: anything but NUL and lone surrogates (crm_core's hostile pieces)
TEXT = hostile.text(max_size=40, storable=True)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestDebitFreeText(SepaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = []
        for index in range(3):
            partner, bank, _mandate = cls.make_customer(
                f"Kunde {index}", iban=(IBAN_A, IBAN_B)[index % 2]
            )
            cls.customers.append((partner, bank, cls.make_invoice(partner, 10 + index)))
        cls.supplier = cls.env["res.partner"].create({"name": "Lieferant", "is_company": True})
        cls.supplier_bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN_B, "partner_id": cls.supplier.id}
        )
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.supplier.id,
                "invoice_date": D(2026, 2, 20),
                "invoice_date_due": D(2026, 3, 1),
                "invoice_line_ids": [
                    Command.create({"name": "Ware", "price_unit": 80.0, "tax_ids": []})
                ],
            }
        )
        cls.bill.action_post()

    def store(self, record, field, value):
        """Put `value` into the database as an import or an old version may have left it
        (the ORM's checks of today would not see it)."""
        record.flush_recordset([field])
        self.env.cr.execute(
            f'UPDATE "{record._table}" SET "{field}" = %s WHERE id = %s',  # noqa: S608
            (value, record.id),
        )
        record.invalidate_recordset([field])

    def file_of(self, batch):
        content = base64.b64decode(batch.file)
        pain.validate(content, batch.version)
        return {
            tx["end_to_end_id"]: tx
            for group in pain.read_payment_file(content)["groups"]
            for tx in group["transactions"]
        }

    def test_a_soft_line_break_in_a_debtor_name_never_stops_the_run(self):
        """The finding: U+000B in a debtor name made create_debit_batches fail (lxml)."""
        (first, _b1, inv1), (second, _b2, inv2), (third, _b3, inv3) = self.customers
        self.store(first, "name", "Müller\x0bHandel GmbH")
        self.store(second, "name", "王小明")
        self.store(inv3, "payment_reference", 'Abo <März> & "Extra"\r\nZeile 2')
        result = self.env["crm.sepa.batch"].create_debit_batches(
            invoice_ids=(inv1 | inv2 | inv3).ids
        )
        batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
        self.assertEqual(len(batch), 1)
        txs = self.file_of(batch)
        self.assertEqual(txs[inv1.name]["name"], "Mueller Handel GmbH")
        self.assertEqual(txs[inv3.name]["description"], "Abo Maerz + 'Extra' Zeile 2")
        self.assertNotIn(inv2.name, txs)
        # left out with its reason: in the run's errors and on the batch
        [error] = result["errors"]
        self.assertEqual(error["invoice_id"], inv2.id)
        self.assertIn("王小明", error["message"])
        self.assertIn("SEPA character set", error["message"])
        self.assertIn(inv2.name, batch.skipped_note)
        self.assertIn("王小明", batch.skipped_note)
        self.assertEqual(batch.line_ids.move_id, inv1 | inv3)
        self.assertEqual(batch.line_count, 2)
        self.assertEqual(batch.total_cents, 1000 + 1200)
        self.assertEqual(inv2.payment_state, "not_paid")
        # the left-out invoice is collected once the name is spelled in Latin letters
        second.name = "Wang Xiaoming"
        result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=inv2.ids)
        self.assertEqual(result["errors"], [])
        # it was never in a file: its end-to-end id is the invoice number
        batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
        self.assertEqual(self.file_of(batch)[inv2.name]["name"], "Wang Xiaoming")

    def test_when_nothing_can_be_written_no_batch_and_every_reason(self):
        for partner, _bank, _invoice in self.customers:
            self.store(partner, "name", "😀\x0b")
        invoices = self.env["account.move"].union(*(inv for _p, _b, inv in self.customers))
        result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=invoices.ids)
        self.assertEqual(result["batch_ids"], [])
        self.assertEqual({e["invoice_id"] for e in result["errors"]}, set(invoices.ids))
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid"})

    def test_credit_transfer_holder_and_reference(self):
        self.store(self.supplier_bank, "acc_holder_name", "Dvořák\u202e & Syn\x0b")
        self.store(self.bill, "ref", "R-4711\x0b<script>")
        result = self.env["crm.sepa.batch"].create_transfer_batches(move_ids=self.bill.ids)
        self.assertEqual(result["errors"], [])
        txs = self.file_of(self.env["crm.sepa.batch"].browse(result["batch_ids"]))
        [tx] = txs.values()
        self.assertEqual(tx["name"], "Dvorak + Syn")
        self.assertEqual(tx["description"], "R-4711 script")

    def test_invoice_numbers_become_clean_end_to_end_ids(self):
        partner, _bank, invoice = self.customers[0]
        self.store(invoice, "name", "/RE//2026 Ä 7/")
        result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=invoice.ids)
        self.assertEqual(result["errors"], [])
        line = self.env["crm.sepa.batch"].browse(result["batch_ids"]).line_ids
        self.assertEqual(line.end_to_end_id, "RE/2026Ae7")
        self.assertEqual(sanitize.identifier(line.end_to_end_id), line.end_to_end_id)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        names=st.lists(TEXT, min_size=3, max_size=3), texts=st.lists(TEXT, min_size=3, max_size=3)
    )
    def test_random_names_and_texts_never_break_a_debit_run(self, names, texts):
        with self.env.cr.savepoint(flush=False) as savepoint:
            invoices = self.env["account.move"]
            for (partner, _bank, invoice), name, text in zip(
                self.customers, names, texts, strict=True
            ):
                self.store(partner, "name", name or "-")
                self.store(invoice, "payment_reference", text)
                invoices |= invoice
            result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=invoices.ids)
            batches = self.env["crm.sepa.batch"].browse(result["batch_ids"])
            collected = {}
            for batch in batches:
                collected.update(self.file_of(batch))
            left_out = {error["invoice_id"] for error in result["errors"]}
            notes = " ".join(filter(None, batches.mapped("skipped_note")))
            for partner, _bank, invoice in self.customers:
                if sanitize.epc(partner.name):
                    self.assertIn(invoice.name, collected)
                    self.assertEqual(
                        collected[invoice.name]["name"], sanitize.epc(partner.name, 70)
                    )
                else:
                    self.assertIn(invoice.id, left_out)
                    if batches:
                        self.assertIn(invoice.name, notes)
            savepoint.rollback()
        self.env.invalidate_all()
