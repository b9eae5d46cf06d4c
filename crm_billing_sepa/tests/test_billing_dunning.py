import datetime

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import IBAN_B
from .test_billing_service import ServiceCase


@tagged("post_install", "-at_install")
class TestDunning(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Level = cls.env["crm.dunning.level"]
        cls.level1 = Level.create(
            {"name": "Zahlungserinnerung", "days": 7, "letter_text": "Reminder text"}
        )
        cls.level2 = Level.create(
            {"name": "1. Mahnung", "days": 21, "fee": 5.0, "interest_rate": 5.0}
        )
        cls.level3 = Level.create(
            {
                "name": "Letzte Mahnung",
                "days": 35,
                "fee": 10.0,
                "interest_rate": 9.0,
                "letter_text": "Final notice",
            }
        )
        cls.dunning_user = cls.billing_user
        cls.today = datetime.date(2026, 3, 2)

    def _run(self, date=None, fee_mode="invoice", user=None):
        result = (
            self.env["crm.dunning.run"]
            .with_user(user or self.dunning_user)
            .run_dunning(date=date or self.today, fee_mode=fee_mode)
        )
        return self.env["crm.dunning.letter"].browse(result["letter_ids"])

    def test_one_letter_per_customer_highest_level_exact_interest(self):
        customer = self.env["res.partner"].create({"name": "Säumig GmbH", "is_company": True})
        inv1 = self.make_invoice(customer, 100.0, due=datetime.date(2026, 2, 20))  # 10 days
        inv2 = self.make_invoice(customer, 1000.0, due=datetime.date(2026, 1, 20))  # 41 days
        inv3 = self.make_invoice(customer, 50.0, due=datetime.date(2026, 2, 27))  # 3 days
        recent = self.env["res.partner"].create({"name": "Pünktlich AG", "is_company": True})
        self.make_invoice(recent, 70.0, due=datetime.date(2026, 2, 26))  # 4 days: no level
        letters = self._run()
        letter = letters.filtered(lambda le: le.partner_id == customer)
        self.assertEqual(len(letter), 1)
        self.assertNotIn(recent, letters.partner_id)
        self.assertEqual(letter.level_id, self.level3)
        self.assertEqual(letter.line_ids.move_id, inv1 | inv2 | inv3)
        self.assertEqual(letter.amount_due, 1150.0)
        # 9 % p.a.: 100 * 0.09 * 10 / 365 = 0.2466 -> 0.25; 1000 * 0.09 * 41 / 365 = 10.1096
        # -> 10.11; 50 * 0.09 * 3 / 365 = 0.037 -> 0.04
        self.assertEqual(letter.interest_amount, 10.40)
        self.assertEqual(letter.fee_amount, 10.0)
        self.assertEqual(letter.amount_total, 1170.40)
        self.assertEqual(letter.state, "done")
        # level and date on the customer and the invoices
        self.assertEqual(customer.crm_dunning_level_id, self.level3)
        self.assertEqual(customer.crm_dunning_date, self.today)
        self.assertEqual(inv2.crm_dunning_level_id, self.level3)
        self.assertEqual(inv1.crm_dunning_level_id, self.level1)
        self.assertEqual(inv1.crm_dunning_date, self.today)
        self.assertEqual(inv3.crm_dunning_level_id, self.level3, "listed: the letter's level")
        # the fee invoice, posted, exact
        fee = letter.fee_move_id
        self.assertEqual(fee.state, "posted")
        self.assertEqual(fee.amount_total, 20.40)
        self.assertEqual(fee.partner_id, customer)
        self.assertEqual(letter.fee_state, "invoiced")
        # the chronicle
        entry = letter.chronicle_entry_id
        self.assertEqual(entry.partner_id, customer)
        self.assertEqual(entry.type_id.code, "dunning")
        self.assertEqual((entry.source_model, entry.source_id), (letter._name, letter.id))
        self.assertIn("Letzte Mahnung", entry.name)

    def test_letter_in_the_correspondence(self):
        """A confirmed letter is listed in its customer's correspondence (the letter's row
        stands for the chronicle entry logging it), opens, prints and is sent again with
        the letter's own actions; a user of another company does not see it."""
        customer = self.env["res.partner"].create({"name": "Mahnkunde GmbH", "is_company": True})
        self.make_invoice(customer, 300.0, due=datetime.date(2026, 1, 20))
        letter = self._run().filtered(lambda le: le.partner_id == customer)
        Correspondence = self.env["crm.chronicle.correspondence"].with_user(self.crm_user)
        rows = Correspondence.search([("partner_id", "=", customer.id)])
        [row] = rows.filtered(lambda r: r.kind == "dunning")
        self.assertEqual(
            (row.res_model, row.res_id, row.date.date(), row.name, row.company_id),
            (letter._name, letter.id, letter.date, "Letzte Mahnung", self.company),
        )
        self.assertFalse(rows.filtered(lambda r: r.res_id == letter.chronicle_entry_id.id))
        self.assertEqual(row.action_open()["res_id"], letter.id)
        self.assertTrue(row.can_print and row.can_send)
        self.assertEqual(
            row.action_print()["report_name"], "crm_billing_sepa.report_dunning_letter"
        )
        other = self.env["res.company"].create({"name": "Andere Firma"})
        stranger = new_test_user(
            self.env,
            login="dunning_stranger",
            groups="crm_core.group_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(
            Correspondence.with_user(stranger).search([("partner_id", "=", customer.id)])
        )

    def test_idempotent_per_day_and_escalation(self):
        customer = self.env["res.partner"].create({"name": "Später KG", "is_company": True})
        inv = self.make_invoice(customer, 200.0, due=datetime.date(2026, 2, 20))  # 10 days
        first = self._run(fee_mode="lines")
        self.assertEqual(first.level_id, self.level1)
        self.assertFalse(self._run(fee_mode="lines"), "the same day: no second letter")
        self.assertFalse(
            self._run(date=datetime.date(2026, 3, 5), fee_mode="lines"),
            "no higher level reached: no new letter",
        )
        second = self._run(date=datetime.date(2026, 3, 14), fee_mode="lines")  # 22 days
        self.assertEqual(second.level_id, self.level2)
        # interest only since the last letter: 200 * 5 % * 12 / 365 = 0.3288 -> 0.33
        self.assertEqual(second.interest_amount, 0.33)
        self.assertFalse(second.fee_move_id)
        self.assertEqual(inv.crm_dunning_level_id, self.level2)
        self.assertEqual(customer.crm_dunning_date, datetime.date(2026, 3, 14))
        # the database refuses a second letter of a day as well
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["crm.dunning.letter"].create(
                {
                    "partner_id": customer.id,
                    "date": datetime.date(2026, 3, 14),
                    "level_id": self.level2.id,
                }
            )

    def test_blocked_and_direct_debit_never_dunned(self):
        blocked = self.env["res.partner"].create(
            {"name": "Gesperrt AG", "is_company": True, "crm_dunning_block": True}
        )
        self.make_invoice(blocked, 300.0, due=datetime.date(2026, 1, 2))
        debtor, _bank, _mandate = self.make_customer("Lastschrift GmbH", iban=IBAN_B)
        in_debit = self.make_invoice(debtor, 80.0, due=datetime.date(2026, 1, 10))
        self.assertTrue(in_debit.crm_sepa_direct_debit)
        result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=in_debit.ids)
        self.assertTrue(result["batch_ids"], result["errors"])
        self.assertTrue(in_debit.crm_sepa_line_ids)
        other = self.make_invoice(debtor, 40.0, due=datetime.date(2026, 1, 10))
        other.crm_sepa_direct_debit = False
        letters = self._run(fee_mode="none")
        self.assertNotIn(blocked, letters.partner_id)
        letter = letters.filtered(lambda le: le.partner_id == debtor)
        self.assertEqual(letter.line_ids.move_id, other, "the invoice in a debit is left out")
        self.assertFalse(blocked.crm_dunning_level_id)

    def test_fees_as_lines_on_the_next_invoice(self):
        customer = self.env["res.partner"].create({"name": "Gebühr KG", "is_company": True})
        self.make_invoice(customer, 1000.0, due=datetime.date(2026, 2, 1))  # 29 days
        letter = self._run(fee_mode="lines")
        self.assertEqual(letter.level_id, self.level2)
        self.assertEqual(letter.fee_state, "to_invoice")
        self.assertFalse(letter.fee_move_id)
        # 1000 * 5 % * 29 / 365 = 3.9726 -> 3.97
        self.assertEqual(letter.interest_amount, 3.97)
        self.make_services(customer, [("Wartung", self.product_unit, 1, self.today)])
        [invoice_id] = self.env["crm.service"].invoice_services(partner_ids=customer.ids)
        invoice = self.env["account.move"].browse(invoice_id)
        self.assertEqual(letter.fee_move_id, invoice)
        self.assertEqual(letter.fee_state, "invoiced")
        fee_lines = invoice.invoice_line_ids.filtered(
            lambda li: li.product_id == self.env.ref("crm_billing_sepa.product_dunning_fee")
        )
        self.assertEqual(sum(fee_lines.mapped("price_subtotal")), 8.97)
        self.assertFalse(fee_lines.tax_ids)

    def test_proposal_can_be_reviewed_before_confirming(self):
        a = self.env["res.partner"].create({"name": "Kunde A", "is_company": True})
        b = self.env["res.partner"].create({"name": "Kunde B", "is_company": True})
        self.make_invoice(a, 10.0, due=datetime.date(2026, 2, 1))
        self.make_invoice(b, 20.0, due=datetime.date(2026, 2, 1))
        run_form = Form(self.env["crm.dunning.run"].with_user(self.dunning_user))
        run_form.date = self.today
        run_form.fee_mode = "none"
        run = run_form.save()
        run.action_propose()
        self.assertEqual(run.letter_ids.partner_id, a | b)
        self.assertEqual(run.letter_ids.mapped("state"), ["draft", "draft"])
        self.assertFalse(a.crm_dunning_level_id, "nothing is stamped before confirming")
        run.letter_ids.filtered(lambda le: le.partner_id == b).action_cancel()
        run.action_confirm()
        self.assertEqual(run.state, "done")
        self.assertEqual(a.crm_dunning_level_id, self.level2)
        self.assertFalse(b.crm_dunning_level_id)
        with self.assertRaises(UserError):
            run.action_propose()
        with self.assertRaises(UserError):
            run.letter_ids.filtered(lambda le: le.state == "done").unlink()

    def test_letter_text_per_language_and_send(self):
        for code in ("de_DE", "cs_CZ"):
            self.env["res.lang"]._activate_lang(code)
        self.level2.with_context(lang="en_US").letter_text = "Please pay."
        self.level2.with_context(lang="de_DE").letter_text = "Bitte zahlen Sie."
        self.level2.with_context(lang="cs_CZ").letter_text = "Prosíme o úhradu."
        german = self.env["res.partner"].create(
            {"name": "Deutsch GmbH", "is_company": True, "lang": "de_DE", "email": "de@ex.com"}
        )
        czech = self.env["res.partner"].create(
            {"name": "Česká s.r.o.", "is_company": True, "lang": "cs_CZ"}
        )
        for partner in (german, czech):
            self.make_invoice(partner, 10.0, due=datetime.date(2026, 2, 1))
        letters = self._run(fee_mode="none")
        by_partner = {le.partner_id: le for le in letters}
        self.assertIn("Bitte zahlen Sie.", by_partner[german].letter_text)
        self.assertIn("Prosíme o úhradu.", by_partner[czech].letter_text)
        self.assertIn("Please pay.", self.level2.with_context(lang="en_US").letter_text)
        letters.with_user(self.dunning_user).action_send()
        self.assertEqual(by_partner[german].state, "sent")
        self.assertEqual(by_partner[czech].state, "done", "no e-mail address: print it")
        message = by_partner[german].message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn(german, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        # the file name is translated with the letter (German is active with the demo data)
        self.assertIn("Deutsch GmbH", message.attachment_ids.name)

    def test_normal_user_cannot_dun(self):
        customer = self.env["res.partner"].create({"name": "Kunde X", "is_company": True})
        self.make_invoice(customer, 10.0, due=datetime.date(2026, 2, 1))
        with self.assertRaises(AccessError):
            self._run(user=self.crm_user)
        letters = self._run(fee_mode="none")
        with self.assertRaises(AccessError):
            letters.with_user(self.crm_user).write({"fee_amount": 0})
        self.assertEqual(
            letters.with_user(self.crm_user).read(["level_id"])[0]["level_id"][0],
            self.level2.id,
        )

    def test_no_levels_is_a_clear_error(self):
        self.env["crm.dunning.level"].search([]).active = False
        with self.assertRaises(UserError):
            self._run()

    def test_statistics(self):
        customer = self.env["res.partner"].create({"name": "Statistik AG", "is_company": True})
        self.make_invoice(customer, 10.0, due=datetime.date(2026, 2, 1))
        self._run(fee_mode="none")
        groups = self.env["crm.dunning.letter"]._read_group(
            [("partner_id", "=", customer.id)], ["level_id"], ["amount_due:sum"]
        )
        self.assertEqual(groups, [(self.level2, 10.0)])
        self.make_services(customer, [("Wartung", self.product_unit, 2, self.today)])
        groups = self.env["crm.service"]._read_group(
            [("state", "=", "open"), ("partner_id", "=", customer.id)],
            ["partner_id"],
            ["amount:sum"],
        )
        self.assertEqual(groups, [(customer, 90.0)])
