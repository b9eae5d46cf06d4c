import datetime

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestCrmLog(ChronicleCommon):
    def test_log_minimal(self):
        before = datetime.datetime.now().replace(microsecond=0)
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "call", "Called")
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.type_id.code, "call")
        self.assertEqual(entry.name, "Called")
        self.assertEqual(entry.user_id, self.user)
        self.assertGreaterEqual(entry.date, before)
        self.assertEqual(entry.state, "done")
        self.assertFalse(entry.resubmission_ids)
        self.assertEqual(entry.create_uid, self.user)

    def test_log_everything(self):
        invoice_partner = self.env["res.partner"].create({"name": "Source record"})
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user)
            .create({"name": "offer.pdf", "raw": b"%PDF-1.4"})
        )
        when = datetime.datetime(2026, 3, 2, 9, 30)
        entry = self.Entry.with_user(self.user).crm_log(
            self.contact,
            "visit",
            "Visited the warehouse",
            body="<p>Long talk</p>",
            source=invoice_partner,
            date=when,
            user=self.user2,
            duration=1.5,
            resubmission_date=datetime.datetime(2026, 3, 9, 8, 0),
            resubmission_user=self.user,
            attachment_ids=attachment,
        )
        self.assertEqual(entry.partner_id, self.contact)
        self.assertEqual(entry.commercial_partner_id, self.customer)
        self.assertEqual(entry.date, when)
        self.assertEqual(entry.user_id, self.user2)
        self.assertEqual(entry.duration, 1.5)
        self.assertIn("Long talk", entry.description)
        self.assertEqual(entry.attachment_ids, attachment)
        self.assertEqual(entry._get_source(), invoice_partner)
        self.assertEqual(entry.source_name, "Source record")
        action = entry.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", invoice_partner.id)
        )
        self.assertEqual(entry.state, "open")
        resubmission = entry.resubmission_ids
        self.assertEqual(len(resubmission), 1)
        self.assertEqual(resubmission.user_id, self.user)
        self.assertEqual(resubmission.date, datetime.datetime(2026, 3, 9, 8, 0))
        self.assertFalse(resubmission.all_day)
        self.assertEqual(entry.resubmission_date, resubmission.date)

    def test_resubmission_date_only_is_all_day_in_user_tz(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "call", "Call back", resubmission_date=datetime.date(2026, 7, 1)
        )
        resubmission = entry.resubmission_ids
        self.assertTrue(resubmission.all_day)
        # Berlin is UTC+2 in summer: local midnight is 22:00 UTC the day before
        self.assertEqual(resubmission.date, datetime.datetime(2026, 6, 30, 22, 0))
        self.assertEqual(resubmission.user_id, self.user)
        # default resubmission user is the responsible user, in their time zone
        entry = self.Entry.crm_log(
            self.customer,
            "call",
            "For a colleague",
            user=self.user2,
            resubmission_date="2026-01-15",
        )
        self.assertEqual(entry.resubmission_ids.user_id, self.user2)
        self.assertEqual(entry.resubmission_ids.date, datetime.datetime(2026, 1, 14, 23, 0))

    def test_ids_and_strings_as_from_rpc(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer.id,
            "note",
            "Via RPC",
            source=f"res.partner,{self.contact.id}",
            user=self.user2.id,
            date="2026-02-03 10:00:00",
            resubmission_date="2026-02-10 07:00:00",
        )
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.user_id, self.user2)
        self.assertEqual(entry._get_source(), self.contact)
        self.assertEqual(entry.date, datetime.datetime(2026, 2, 3, 10, 0))
        self.assertEqual(entry.resubmission_ids.date, datetime.datetime(2026, 2, 10, 7, 0))
        self.assertFalse(entry.resubmission_ids.all_day)

    def test_bad_input_is_refused_clearly_and_nothing_written(self):
        count = self.Entry.search_count([])
        Entry = self.Entry.with_user(self.user)
        with self.assertRaisesRegex(
            ValidationError, "no chronicle entry type with the code 'nope'"
        ):
            Entry.crm_log(self.customer, "nope", "x")
        with self.assertRaisesRegex(ValidationError, "needs a subject"):
            Entry.crm_log(self.customer, "call", "  ")
        with self.assertRaisesRegex(ValidationError, "partner res.partner .* does not exist"):
            Entry.crm_log(999999999, "call", "x")
        with self.assertRaisesRegex(ValidationError, "must be a res.partner record"):
            Entry.crm_log(self.user, "call", "x")
        with self.assertRaisesRegex(ValidationError, "neither a record nor 'model,id'"):
            Entry.crm_log(self.customer, "call", "x", source="nonsense")
        with self.assertRaisesRegex(ValidationError, "not a date and time"):
            Entry.crm_log(self.customer, "call", "x", date="yesterday-ish")
        with self.assertRaisesRegex(ValidationError, "duration cannot be negative"):
            Entry.crm_log(self.customer, "call", "x", duration=-1)
        self.assertEqual(self.Entry.search_count([]), count)

    def test_logging_does_not_need_write_access_to_partner(self):
        self.env["ir.rule"].create(
            {
                "name": "test: customer read-only",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "domain_force": f"[('id', '!=', {self.customer.id})]",
                "perm_read": False,
                "perm_create": False,
                "perm_unlink": False,
                "perm_write": True,
            }
        )
        customer = self.customer.with_user(self.user)
        self.assertFalse(customer._filtered_access("write"))
        entry = self.Entry.with_user(self.user).crm_log(customer, "call", "Still logged")
        self.assertEqual(entry.create_uid, self.user)
        self.assertEqual(entry.partner_id, self.customer)

    def test_type_code_unique_and_valid(self):
        Type = self.env["crm.chronicle.type"]
        with self.assertRaisesRegex(ValidationError, "one word"):
            Type.create({"name": "Bad", "code": "two words"})
        with self.assertRaisesRegex(ValidationError, "'call' is already used by Phone Call"):
            Type.create({"name": "Again", "code": "call"})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Type.create({"name": "Neg", "code": "neg", "resubmission_delay": -2})

    def test_form_default_resubmission_from_type(self):
        offer = self.env.ref("crm_chronicle.crm_chronicle_type_offer")
        with Form(self.Entry.with_user(self.user)) as form:
            form.name = "Offer 4711 sent"
            form.partner_id = self.customer
            form.type_id = offer
            self.assertEqual(form.resubmission_date, form.date + datetime.timedelta(days=14))
        entry = form.record
        self.assertEqual(entry.resubmission_ids.user_id, self.user)
        self.assertEqual(entry.resubmission_ids.state, "open")

    def test_partner_chronicle_count_and_tab(self):
        Entry = self.Entry
        e1 = Entry.crm_log(self.customer, "call", "company")
        e2 = Entry.crm_log(self.contact, "call", "person")
        e3 = Entry.crm_log(self.contact2, "call", "other person")
        e4 = Entry.crm_log(self.customer, "meeting", "meeting with Erika")
        e4.contact_ids = self.contact
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.crm_chronicle_count, 4)
        self.assertEqual(self.customer.crm_chronicle_entry_ids, e1 | e2 | e3 | e4)
        self.assertEqual(self.contact.crm_chronicle_count, 2)
        self.assertEqual(self.contact.crm_chronicle_entry_ids, e2 | e4)
        action = self.contact.action_open_crm_chronicle()
        # the action shows the company's chronicle, filtered on the person by default
        company_entries = self.Entry.search(action["domain"])
        self.assertEqual(company_entries, e1 | e2 | e3 | e4)
        self.assertEqual(action["context"]["search_default_partner_id"], self.contact.id)

    def test_partner_counts_in_batch_query_count(self):
        """The smart button's count costs the same few queries for 5 or 20 partners."""
        partners = self.env["res.partner"].create(
            [{"name": f"Firma {i}", "is_company": True} for i in range(20)]
        )
        for partner in partners:
            self.Entry.crm_log(partner, "call", "hello")
        used = []
        # the first two rounds warm the caches (access rules, groups)
        for batch in (partners[:5], partners, partners[:5], partners):
            self.env["res.partner"].invalidate_model()
            self.env["crm.chronicle.entry"].invalidate_model()
            before = self.cr.sql_log_count
            counts = batch.with_user(self.user).mapped("crm_chronicle_count")
            used.append(self.cr.sql_log_count - before)
            self.assertEqual(counts, [1] * len(batch))
        self.assertEqual(used[2], used[3])
        self.assertLessEqual(used[3], 3)
