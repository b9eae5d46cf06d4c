"""The CalDAV calendar from inside (issue 21): what it holds, edits from a device, deletes,
sync. The protocol is driven from outside with real clients in tests/test_dav.py."""

import datetime

import vobject

from odoo.tests import tagged

from odoo.addons.crm_core.tools import dav as dav_tools

from .common import ChronicleCommon


def commit_changes(env):
    """Number the change log as a commit does (tests never commit)."""
    env.flush_all()
    env.cr.execute("SET CONSTRAINTS ALL IMMEDIATE")
    env.cr.execute("SET CONSTRAINTS ALL DEFERRED")


@tagged("post_install", "-at_install")
class TestDavCalendar(ChronicleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        visit = cls.env.ref("crm_chronicle.crm_chronicle_type_visit")
        cls.appointment = cls.Entry.with_user(cls.user).create(
            {
                "name": "Besuch Lager",
                "type_id": visit.id,
                "partner_id": cls.customer.id,
                "date": "2031-02-03 09:00:00",
                "duration": 2.0,
                "user_id": cls.user.id,
            }
        )
        cls.private = cls.Entry.with_user(cls.user2).create(
            {
                "name": "Vertraulich",
                "type_id": visit.id,
                "partner_id": cls.customer.id,
                "date": "2031-02-04 09:00:00",
                "user_id": cls.user2.id,
                "private": True,
            }
        )
        cls.call = cls.Entry.with_user(cls.user).create(
            {"name": "Anruf", "partner_id": cls.customer.id, "user_id": cls.user.id}
        )
        cls.resubmission = cls.env["crm.chronicle.resubmission"].create(
            {"entry_id": cls.call.id, "date": "2031-02-05 07:00:00", "user_id": cls.user.id}
        )
        cls.calendar = cls.env["crm.dav.calendar"].with_user(cls.user)

    def objects(self, calendar=None):
        calendar = self.calendar if calendar is None else calendar
        return {href: text for href, text, *_rest in calendar._dav_objects()}

    def put(self, href, text):
        return self.calendar._dav_put(href, vobject.readOne(text), text)

    def test_the_users_appointments_and_resubmissions(self):
        objects = self.objects()
        event = objects[f"appointment-{self.appointment.id}.ics"]
        self.assertIn("DTSTART:20310203T090000Z", event)
        self.assertIn("DTEND:20310203T110000Z", event)
        self.assertIn("LOCATION:Chronik Kunde GmbH", event)
        self.assertNotIn("METHOD:", event)
        todo = objects[f"resubmission-{self.resubmission.id}.ics"]
        self.assertIn("BEGIN:VTODO", todo)
        self.assertIn("DUE:20310205T070000Z", todo)
        self.assertNotIn(f"appointment-{self.call.id}.ics", objects)  # a call: no appointment
        # another user's private appointment: not even by name
        self.assertNotIn(f"appointment-{self.private.id}.ics", objects)
        self.assertFalse(self.calendar._dav_objects([f"appointment-{self.private.id}.ics"]))
        other = self.objects(self.env["crm.dav.calendar"].with_user(self.user2))
        self.assertIn("CLASS:PRIVATE", other[f"appointment-{self.private.id}.ics"])

    def test_device_moves_the_appointment_and_closes_the_resubmission(self):
        href = f"appointment-{self.appointment.id}.ics"
        text = (
            self.objects()[href]
            .replace("DTSTART:20310203T090000Z", "DTSTART:20310203T130000Z")
            .replace("DTEND:20310203T110000Z", "DTEND:20310203T150000Z")
        )
        self.put(href, text)
        self.assertEqual(self.appointment.date, datetime.datetime(2031, 2, 3, 13, 0))
        self.assertEqual(self.appointment.duration, 2.0)
        href = f"resubmission-{self.resubmission.id}.ics"
        done = self.objects()[href].replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED")
        self.put(href, done)
        self.assertEqual(self.resubmission.state, "done")
        self.assertEqual(self.resubmission.done_user_id, self.user)
        self.assertIn("STATUS:COMPLETED", self.objects()[href])
        with self.assertRaises(dav_tools.Refused):
            self.put(href, done.replace("STATUS:COMPLETED", "STATUS:NEEDS-ACTION"))

    def test_new_event_from_a_device_and_its_deletion(self):
        self.contact.email = "erika@kunde.example.com"
        text = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:ph-1\r\n"
            "DTSTAMP:20310101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20310310T100000\r\n"
            "DURATION:PT90M\r\nSUMMARY:Vom Telefon\r\n"
            "ATTENDEE;CN=Erika:mailto:erika@kunde.example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        href, stored, uid, *_rest = self.put("ph-1.ics", text)
        self.assertEqual((href, uid), ("ph-1.ics", "ph-1"))
        self.assertIn("ATTENDEE;CN=Erika:mailto:erika@kunde.example.com", stored)
        entry = self.Entry.search([("name", "=", "Vom Telefon")])
        self.assertEqual(entry.partner_id, self.contact)
        self.assertEqual(entry.date, datetime.datetime(2031, 3, 10, 9, 0))  # CET = UTC+1
        self.assertEqual(entry.duration, 1.5)
        self.calendar._dav_delete("ph-1.ics")
        self.assertTrue(entry.exists() and entry.dav_removed)
        self.assertNotIn("ph-1.ics", self.objects())

    def test_changes_reach_an_incremental_sync(self):
        commit_changes(self.env)
        token = self.calendar._dav_token()
        self.assertEqual(list(self.calendar._dav_sync(token)[1]), [])
        self.call.name = "Rückruf"  # the resubmission's todo shows the entry's subject
        self.appointment.date = "2031-02-03 10:00:00"
        commit_changes(self.env)
        _token, changed = self.calendar._dav_sync(token)
        self.assertEqual(
            sorted(changed),
            sorted(
                [
                    f"appointment-{self.appointment.id}.ics",
                    f"appointment-{self.call.id}.ics",
                    f"resubmission-{self.resubmission.id}.ics",
                ]
            ),
        )

    def test_only_appointments_are_logged_when_created_or_deleted(self):
        """A new entry that is no appointment (a first ABC analysis writes one per
        customer) leaves the change log alone; a new or deleted appointment is logged."""
        commit_changes(self.env)
        token = self.calendar._dav_token()
        notes = self.Entry.with_context(
            tracking_disable=True, crm_chronicle_fastpath_min=1
        ).crm_log_batch(
            [
                {"partner": self.customer.id, "type_code": "note", "subject": f"Notiz {i}"}
                for i in range(3)
            ]
        )
        meeting = self.Entry.with_user(self.user).create(
            {
                "name": "Besuch Büro",
                "type_id": self.env.ref("crm_chronicle.crm_chronicle_type_visit").id,
                "partner_id": self.customer.id,
                "date": "2031-03-03 09:00:00",
                "user_id": self.user.id,
            }
        )
        commit_changes(self.env)
        token, changed = self.calendar._dav_sync(token)
        self.assertEqual(list(changed), [f"appointment-{meeting.id}.ics"])
        (notes | meeting).unlink()
        commit_changes(self.env)
        _token, changed = self.calendar._dav_sync(token)
        self.assertEqual(list(changed), [f"appointment-{meeting.id}.ics"])
