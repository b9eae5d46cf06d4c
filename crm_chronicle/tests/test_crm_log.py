import datetime

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.crm_core.tools.boundary import ArgumentError

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
        with self.assertRaisesRegex(ValidationError, "argument subject must be a single line"):
            Entry.crm_log(self.customer, "call", "  ")
        with self.assertRaisesRegex(
            ValidationError, "partner names res.partner records that do not exist: 999999999"
        ):
            Entry.crm_log(999999999, "call", "x")
        with self.assertRaisesRegex(ValidationError, "partner must be the id of one res.partner"):
            Entry.crm_log(self.user, "call", "x")
        with self.assertRaisesRegex(ValidationError, "neither a record nor 'model,id'"):
            Entry.crm_log(self.customer, "call", "x", source="nonsense")
        with self.assertRaisesRegex(ValidationError, "argument date must be a date and time"):
            Entry.crm_log(self.customer, "call", "x", date="yesterday-ish")
        with self.assertRaisesRegex(ValidationError, "argument duration must be a number of at"):
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

    def test_project_chronicle(self):
        project = self.env["project.project"].create(
            {"name": "Umbau Lager", "partner_id": self.customer.id}
        )
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "visit", "Baustelle")
        entry.project_id = project
        self.Entry.crm_log(self.customer, "call", "ohne Projekt")
        self.assertEqual(project.with_user(self.user).crm_chronicle_count, 1)
        action = project.action_open_crm_chronicle()
        self.assertEqual(self.Entry.search(action["domain"]), entry)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)


@tagged("post_install", "-at_install")
class TestCrmLogBoundary(ChronicleCommon):
    """Wrong arguments of the public methods: a clear error naming the argument (an
    ArgumentError, logged at INFO), never a Python error from deep inside."""

    def test_wrong_types_name_the_argument(self):
        Entry = self.Entry.with_user(self.user)
        cases = [
            ({"partner": "Chronik Kunde"}, "partner"),
            ({"partner": None}, "partner"),
            ({"type_code": 7}, "type_code"),
            ({"type_code": "x" * 100}, "type_code"),
            ({"subject": 123}, "subject"),
            ({"subject": "Zeile\x0beins"}, "subject"),
            ({"subject": "x" * 600}, "subject"),
            ({"body": ["<p>x</p>"]}, "body"),
            ({"body": "a\x00b"}, "body"),
            ({"duration": "eine Stunde"}, "duration"),
            ({"duration": float("nan")}, "duration"),
            ({"user": "admin"}, "user"),
            ({"user": 2**40}, "user"),
            ({"resubmission_user": [1, 2]}, "resubmission_user"),
            ({"attachment_ids": "1,2"}, "attachment_ids"),
            ({"date": "gestern"}, "date"),
            ({"resubmission_date": "nächste Woche"}, "resubmission_date"),
            ({"resubmission_date": 20261224}, "resubmission_date"),
            ({"source": 17}, "source"),
            ({"source": "res.partner,abc"}, "source"),
            ({"source": "no.such.model,1"}, "source"),
            ({"source": "res.partner,99999999999"}, "source"),
        ]
        count = self.Entry.search_count([])
        for change, argument in cases:
            kwargs = {"partner": self.customer.id, "type_code": "call", "subject": "x", **change}
            with self.assertRaisesRegex(ArgumentError, argument, msg=str(change)):
                Entry.crm_log(**kwargs)
        for bad in (None, "x", [1], [{"partner": self.customer.id}], [[]], {"partner": 1}):
            with self.assertRaisesRegex(ArgumentError, "entries", msg=repr(bad)):
                Entry.crm_log_batch(bad)
        with self.assertRaisesRegex(ArgumentError, "unexpected keyword|got an unexpected"):
            Entry.crm_log(self.customer.id, "call", "x", colour="red")
        self.assertEqual(self.Entry.search_count([]), count)

    def test_resubmission_done_followup_is_checked(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "call", "Rückruf", resubmission_date="2026-12-20"
        )
        resubmission = entry.resubmission_ids.with_user(self.user)
        for followup in (
            "x",
            {"name": 5},
            {"colour": "red"},
            {"type_id": 999999},
            {"duration": -1},
        ):
            with self.assertRaisesRegex(ArgumentError, "followup", msg=repr(followup)):
                resubmission.action_done(followup=followup)
        self.assertEqual(resubmission.state, "open")
        [followup] = resubmission.action_done(followup={"name": "Erledigt", "duration": 0.5})
        self.assertEqual((followup.name, followup.duration), ("Erledigt", 0.5))
        self.assertEqual(
            self.env["crm.chronicle.resubmission"].with_user(self.user).browse().action_done(),
            self.Entry,
        )
