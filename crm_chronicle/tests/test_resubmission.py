import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.crm_core.tests.common import record_queries

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestResubmission(ChronicleCommon):
    def _log(self, when, user=None, **kw):
        user = user or self.user
        return (
            self.Entry.with_user(user)
            .crm_log(self.customer, "call", kw.pop("subject", "Call"), resubmission_date=when, **kw)
            .resubmission_ids
        )

    @freeze_time("2026-03-04 10:00:00")  # Wednesday, 11:00 in Berlin
    def test_due_buckets_search_and_group(self):
        Resub = self.env["crm.chronicle.resubmission"].with_user(self.user)
        overdue = self._log(datetime.datetime(2026, 3, 3, 22, 30))  # Tue 23:30 local
        today_early = self._log(datetime.datetime(2026, 3, 3, 23, 30))  # Wed 00:30 local
        today_late = self._log(datetime.datetime(2026, 3, 4, 22, 30))  # Wed 23:30 local
        week = self._log(datetime.datetime(2026, 3, 4, 23, 30))  # Thu 00:30 local
        week_sunday = self._log(datetime.date(2026, 3, 8))  # all day Sunday
        later = self._log(datetime.date(2026, 3, 9))  # next Monday
        other = self._log(datetime.date(2026, 3, 4), user=self.user2)
        mine = overdue | today_early | today_late | week | week_sunday | later
        self.assertEqual(
            mine.mapped("due_bucket"), ["overdue", "today", "today", "week", "week", "later"]
        )
        domain = [("user_id", "=", self.user.id)]
        self.assertEqual(Resub.search(domain + [("due_bucket", "=", "overdue")]), overdue)
        self.assertEqual(
            Resub.search(domain + [("due_bucket", "=", "today")]), today_early | today_late
        )
        self.assertEqual(Resub.search(domain + [("due_bucket", "=", "week")]), week | week_sunday)
        self.assertEqual(Resub.search(domain + [("due_bucket", "=", "later")]), later)
        self.assertEqual(
            Resub.search(domain + [("due_bucket", "not in", ["later", "week"])]),
            overdue | today_early | today_late,
        )
        groups = dict(Resub._read_group(domain, ["due_bucket"], ["__count"]))
        self.assertEqual(groups, {"overdue": 1, "today": 2, "week": 2, "later": 1})
        web = Resub.web_read_group(domain, ["due_bucket"], ["__count"])
        self.assertEqual(
            [(g["due_bucket"], g["__count"]) for g in web["groups"]],
            [("overdue", 1), ("today", 2), ("week", 2), ("later", 1)],
        )
        self.assertIn(other, Resub.search([("due_bucket", "=", "today")]))
        self.assertTrue(Resub.fields_get(["due_bucket"])["due_bucket"]["groupable"])

    @freeze_time("2026-03-04 10:00:00")
    def test_my_resubmissions_list_reads_no_entry(self):
        """The list "My resubmissions - today" as the web client reads it (its list view's
        columns) costs the same queries for 2 or 20 rows and reads no chronicle entry:
        subject and type are stored on the resubmission, and follow their entry."""
        view = self.env.ref("crm_chronicle.crm_chronicle_resubmission_view_list")
        Resub = self.env["crm.chronicle.resubmission"].with_user(self.user)
        arch = Resub.get_views([(view.id, "list")])["views"]["list"]["arch"]
        spec = {}
        for name in ("date", "due_bucket", "type_id", "name", "partner_id", "note", "user_id"):
            self.assertIn(f'name="{name}"', arch)
            relational = Resub._fields[name].type == "many2one"
            spec[name] = {"fields": {"display_name": {}}} if relational else {}
        domain = [("user_id", "=", self.user.id), ("due_bucket", "=", "today")]
        counts = []
        for size in (2, 20):
            for i in range(size - len(Resub.search(domain))):
                self._log(datetime.datetime(2026, 3, 4, 12, 0), subject=f"Rückruf {i}")
            self.env.flush_all()
            self.env.invalidate_all()
            Resub.web_search_read(domain, spec, limit=80)  # ormcaches of this user
            self.env.invalidate_all()
            with record_queries() as queries:
                rows = Resub.web_search_read(domain, spec, limit=80)
            self.assertEqual(rows["length"], size)
            self.assertFalse([q for q in queries if 'FROM "crm_chronicle_entry"' in q])
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        resubmission = Resub.search(domain, limit=1)
        self.assertTrue(resubmission.name.startswith("Rückruf"))
        resubmission.entry_id.name = "Angebot nachfassen"
        self.assertEqual(resubmission.name, "Angebot nachfassen")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT name, type_id FROM crm_chronicle_resubmission WHERE id = %s",
            [resubmission.id],
        )
        self.assertEqual(
            self.env.cr.fetchone(), ("Angebot nachfassen", resubmission.entry_id.type_id.id)
        )

    def test_done_with_followup_and_no_recurrence(self):
        resubmission = self._log(datetime.date(2026, 3, 4))
        entry = resubmission.entry_id
        self.assertEqual(entry.state, "open")
        wizard = Form(
            self.env["crm.chronicle.resubmission.done"]
            .with_user(self.user)
            .with_context(default_resubmission_ids=resubmission.ids)
        )
        self.assertEqual(wizard.type_id, entry.type_id)
        wizard.subject = "Called back, order placed"
        wizard.description = "<p>200 units</p>"
        wizard.save().action_done()
        self.assertEqual(resubmission.state, "done")
        self.assertEqual(resubmission.done_user_id, self.user)
        followup = resubmission.followup_entry_id
        self.assertEqual(followup.name, "Called back, order placed")
        self.assertEqual(followup.partner_id, self.customer)
        self.assertEqual(followup._get_source(), entry)
        self.assertEqual(followup.state, "done")
        self.assertEqual(entry.state, "done")
        self.assertEqual(len(entry.resubmission_ids), 1)  # no next occurrence
        with self.assertRaisesRegex(UserError, "already closed"):
            resubmission.with_user(self.user).action_done()

    def test_done_recurring_creates_next_occurrence_keeping_local_time(self):
        # 09:00 Berlin in winter (08:00 UTC); three months later it is summer time
        resubmission = self._log(datetime.datetime(2026, 1, 15, 8, 0))
        resubmission.recurrence = "quarterly"
        resubmission.note = "Quarterly review"
        followups = resubmission.with_user(self.user).action_done()
        self.assertFalse(followups)
        self.assertFalse(resubmission.followup_entry_id)
        entry = resubmission.entry_id
        following = entry.resubmission_ids - resubmission
        self.assertEqual(len(following), 1)
        self.assertEqual(following.date, datetime.datetime(2026, 4, 15, 7, 0))
        self.assertEqual(following.state, "open")
        self.assertEqual(following.recurrence, "quarterly")
        self.assertEqual(following.note, "Quarterly review")
        self.assertEqual(entry.state, "open")  # still on resubmission
        self.assertEqual(entry.resubmission_date, following.date)

    def test_wizard_followup_put_on_resubmission_again(self):
        resubmission = self._log(datetime.date(2026, 3, 4))
        wizard = (
            self.env["crm.chronicle.resubmission.done"]
            .with_user(self.user)
            .create(
                {
                    "resubmission_ids": [(6, 0, resubmission.ids)],
                    "resubmission_date": "2026-03-20 08:00:00",
                    "resubmission_user_id": self.user2.id,
                }
            )
        )
        wizard.action_done()
        followup = resubmission.followup_entry_id
        self.assertEqual(followup.state, "open")
        self.assertEqual(followup.resubmission_ids.user_id, self.user2)
        self.assertEqual(followup.resubmission_ids.date, datetime.datetime(2026, 3, 20, 8))

    def test_entry_form_resubmission_fields_edit_and_clear(self):
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "call", "x")
        with Form(entry) as form:
            form.resubmission_date = datetime.datetime(2026, 5, 1, 7, 0)
            form.resubmission_user_id = self.user2
            form.resubmission_note = "ask again"
        self.assertEqual(len(entry.resubmission_ids), 1)
        self.assertEqual(entry.resubmission_ids.user_id, self.user2)
        with Form(entry) as form:
            form.resubmission_date = datetime.datetime(2026, 5, 2, 7, 0)
        self.assertEqual(len(entry.resubmission_ids), 1)
        self.assertEqual(entry.resubmission_ids.date, datetime.datetime(2026, 5, 2, 7, 0))
        with Form(entry) as form:
            form.resubmission_date = False
        self.assertFalse(entry.resubmission_ids)

    @freeze_time("2026-03-04 10:00:00")
    def test_activity_menu_counts_without_activities(self):
        self._log(datetime.datetime(2026, 3, 2, 8, 0))  # overdue
        self._log(datetime.datetime(2026, 3, 3, 8, 0))  # overdue
        self._log(datetime.datetime(2026, 3, 4, 15, 0))  # today
        self._log(datetime.datetime(2026, 3, 12, 8, 0))  # planned
        self._log(datetime.datetime(2026, 3, 4, 8, 0), user=self.user2)  # someone else's
        done = self._log(datetime.datetime(2026, 3, 1, 8, 0))
        done.action_done()
        activities_before = self.env["mail.activity"].search_count([])
        groups = self.env["res.users"].with_user(self.user)._get_activity_groups()
        [group] = [g for g in groups if g["model"] == "crm.chronicle.resubmission"]
        self.assertEqual(
            (group["overdue_count"], group["today_count"], group["planned_count"]), (2, 1, 1)
        )
        self.assertEqual(group["total_count"], 3)
        self.assertEqual(self.env["mail.activity"].search_count([]), activities_before)
        # the user with nothing due gets no group; a user without CRM rights neither
        groups = self.env["res.users"].with_user(self.manager)._get_activity_groups()
        self.assertFalse([g for g in groups if g["model"] == "crm.chronicle.resubmission"])
