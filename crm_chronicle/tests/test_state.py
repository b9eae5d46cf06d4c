from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.crm_core.tools.boundary import ArgumentError

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestStates(ChronicleCommon):
    """States change only through their actions: a write of the state (as over RPC) is
    refused, also for managers; the actions do what they must."""

    def test_entry_state_only_by_its_actions(self):
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "call", "Anruf")
        self.assertEqual(entry.state, "done")
        for user in (self.user, self.manager):
            with self.assertRaisesRegex(ArgumentError, "Mark Done and Reopen"):
                entry.with_user(user).write({"state": "open"})
        self.assertEqual(entry.state, "done")
        # writing the state it has changes nothing and is no error (a form saving it)
        entry.with_user(self.user).write({"state": "done", "name": "Anruf (ok)"})
        entry.with_user(self.user).action_reopen()
        self.assertEqual(entry.state, "open")
        entry.with_user(self.user).action_done()
        self.assertEqual(entry.state, "done")
        # another user's private entry: no action for them
        entry.private = True
        with self.assertRaises(Exception):  # noqa: B017 - AccessError or MissingError
            entry.with_user(self.user2).action_reopen()
        self.assertEqual(entry.state, "done")

    def test_resubmission_closed_only_by_done(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "call", "Rückruf", resubmission_date="2026-12-20"
        )
        resubmission = entry.resubmission_ids.with_user(self.user)
        self.assertEqual((entry.state, resubmission.state), ("open", "open"))
        for vals in (
            {"state": "done"},
            {"done_user_id": self.user2.id},
            {"done_date": "2026-12-01 10:00:00"},
            {"followup_entry_id": entry.id},
        ):
            with self.assertRaisesRegex(ArgumentError, "closed only with Done"):
                resubmission.write(vals)
            with self.assertRaisesRegex(ArgumentError, "closed only with Done"):
                resubmission.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(ArgumentError, "created open"):
            self.env["crm.chronicle.resubmission"].with_user(self.user).create(
                {"entry_id": entry.id, "date": "2026-12-24 08:00:00", "state": "done"}
            )
        self.assertEqual((entry.state, resubmission.state), ("open", "open"))
        # rescheduling is an ordinary write
        resubmission.write({"date": "2026-12-21 08:00:00", "note": "später"})
        resubmission.action_done()
        self.assertEqual((entry.state, resubmission.state), ("done", "done"))
        self.assertEqual(resubmission.done_user_id, self.user)
        # a done one is not opened again by a write
        with self.assertRaisesRegex(ArgumentError, "closed only with Done"):
            resubmission.write({"state": "open"})
        with self.assertRaisesRegex(UserError, "already closed"):
            resubmission.action_done()

    def test_new_resubmission_opens_its_entry(self):
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "call", "Anruf")
        self.env["crm.chronicle.resubmission"].with_user(self.user).create(
            {"entry_id": entry.id, "date": "2026-12-24 08:00:00"}
        )
        self.assertEqual(entry.state, "open")
