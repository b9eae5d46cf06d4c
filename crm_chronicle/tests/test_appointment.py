import datetime

from odoo.tests import tagged

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestAppointment(ChronicleCommon):
    def test_meeting_creates_and_syncs_calendar_event(self):
        when = datetime.datetime(2026, 6, 1, 8, 0)
        mails_before = self.env["mail.mail"].search_count([])
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "meeting", "Jahresgespräch", date=when, duration=2
        )
        entry.contact_ids = self.contact | self.contact2
        event = entry.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, when)
        self.assertEqual(event.stop, when + datetime.timedelta(hours=2))
        self.assertEqual(event.user_id, self.user)
        self.assertEqual(event.partner_ids, self.contact | self.contact2 | self.user.partner_id)
        self.assertEqual((event.res_model, event.res_id), (entry._name, entry.id))
        self.assertIn("Chronik Kunde GmbH", event.name)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        # entry moved -> event moved
        entry.with_user(self.user).write({"date": when + datetime.timedelta(days=1)})
        self.assertEqual(event.start, when + datetime.timedelta(days=1))
        # event moved in the calendar -> entry moved
        event.write(
            {
                "start": datetime.datetime(2026, 6, 3, 12, 0),
                "stop": datetime.datetime(2026, 6, 3, 13, 30),
            }
        )
        self.assertEqual(entry.date, datetime.datetime(2026, 6, 3, 12, 0))
        self.assertEqual(entry.duration, 1.5)
        # no longer an appointment -> no event
        entry.type_id = self.env.ref("crm_chronicle.crm_chronicle_type_note")
        self.assertFalse(event.exists())
        self.assertFalse(entry.calendar_event_id)

    def test_visit_without_contacts_invites_the_partner_and_call_has_no_event(self):
        visit = self.Entry.crm_log(self.contact, "visit", "Besuch", user=self.user)
        self.assertEqual(visit.calendar_event_id.partner_ids, self.contact | self.user.partner_id)
        call = self.Entry.crm_log(self.contact, "call", "Anruf")
        self.assertFalse(call.calendar_event_id)
        event = visit.calendar_event_id
        visit.unlink()
        self.assertFalse(event.exists())
