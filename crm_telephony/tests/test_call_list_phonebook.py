import logging

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestCallList(TelephonyCase):
    def test_sync_without_duplicates(self):
        # the listener saw this call (box time 27.11.26 10:00:00, missed)
        Box = self.box
        Box._monitor_process_line("27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;")
        Box._monitor_process_line("27.11.26 10:00:30;DISCONNECT;0;0;")
        self.tr64.calls = [
            # the same call as the box lists it (minute precision)
            {
                "Id": 101,
                "Type": 2,
                "Caller": "03514445566",
                "Called": "4440000",
                "CalledNumber": "4440000",
                "Date": "27.11.26 10:00",
                "Duration": "0:00",
                "Device": "Fon 1",
            },
            # made while the listener was down
            {
                "Id": 102,
                "Type": 1,
                "Caller": "01712345678",
                "Called": "4440000",
                "CalledNumber": "4440000",
                "Date": "27.11.26 11:15",
                "Duration": "0:07",
                "Device": "Fon 1",
            },
            {
                "Id": 103,
                "Type": 3,
                "Caller": "SIP: 4440000",
                "CallerNumber": "4440000",
                "Called": "0301234567",
                "Date": "27.11.26 12:30",
                "Duration": "1:02",
                "Device": "Fon 1",
            },
            {
                "Id": 104,
                "Type": 2,
                "Caller": "",
                "Called": "4440000",
                "CalledNumber": "4440000",
                "Date": "27.11.26 13:00",
                "Duration": "0:00",
            },
        ]
        self.box.action_sync_call_list()
        calls = self.env["crm.phone.call"].search([("box_id", "=", self.box.id)])
        self.assertEqual(len(calls), 4)
        self.assertEqual(sorted(calls.mapped("box_call_id")), ["101", "102", "103", "104"])
        merged = calls.filtered(lambda c: c.box_call_id == "101")
        self.assertEqual(merged.source, "monitor")
        incoming = calls.filtered(lambda c: c.box_call_id == "102")
        self.assertEqual(incoming.partner_id, self.contact)
        self.assertEqual(incoming.duration, 7 * 60)
        self.assertEqual(str(incoming.start), "2026-11-27 10:15:00")
        outgoing = calls.filtered(lambda c: c.box_call_id == "103")
        self.assertEqual((outgoing.call_type, outgoing.duration), ("outgoing", 3720))
        self.assertEqual(outgoing.line_id, self.line)
        self.assertEqual(incoming.chronicle_entry_id.partner_id, self.contact)
        missed = calls.filtered(lambda c: c.box_call_id == "104")
        self.assertEqual(missed.activity_ids.user_id, self.user)
        self.assertTrue(self.box.call_list_synced)
        # again: nothing new
        self.box.action_sync_call_list()
        self.assertEqual(self.env["crm.phone.call"].search_count([("box_id", "=", self.box.id)]), 4)
        self.assertEqual(len(missed.activity_ids), 1)
        # the Calls button counts what it lists, on the company and on its contact person
        for partner in (self.customer, self.contact):
            action = partner.with_user(self.user).action_crm_phone_calls()
            listed = self.env["crm.phone.call"].with_user(self.user).search(action["domain"])
            self.assertEqual(partner.with_user(self.user).crm_phone_call_count, len(listed))
            self.assertEqual(len(listed), 2)  # the merged monitor call and the contact's call
        self.assertEqual(
            self.env["crm.chronicle.entry"].search_count(
                [("source_model", "=", "crm.phone.call"), ("source_id", "in", calls.ids)]
            ),
            2,  # the merged monitor call and the contact's call; not the unknown numbers
        )

    def test_cron_one_box_down_does_not_stop_the_others(self):
        broken = self.box.copy({"name": "Broken Box", "tr64_port": self.tr64.port})
        broken.sudo().password = "nope"
        for box in self.box | broken:
            box._set_status("ok")
        self.tr64.calls = [
            {
                "Id": 201,
                "Type": 1,
                "Caller": "03514445566",
                "Called": "4440000",
                "CalledNumber": "4440000",
                "Date": "27.11.26 09:00",
                "Duration": "0:01",
            },
        ]
        self.run_sync_cron()
        self.assertEqual(broken.state, "auth")
        self.assertIn("Wrong user or password", broken.last_error)
        self.assertEqual(self.box.state, "ok")
        self.assertEqual(
            self.env["crm.phone.call"].search([("box_id", "=", self.box.id)]).box_call_id, "201"
        )
        self.assertFalse(self.env["crm.phone.call"].search([("box_id", "=", broken.id)]))

    def test_sync_wrong_password(self):
        self.box.password = "nope"
        with self.assertRaisesRegex(UserError, "Test Box.*Wrong user or password"):
            self.box.action_sync_call_list()


@tagged("post_install", "-at_install")
class TestPhonebook(TelephonyCase):
    def book(self):
        [book] = [b for b in self.tr64.phonebooks.values() if b["name"] == "CRM Suite"]
        return book["entries"]

    def sets(self):
        return [r for r in self.tr64.requests if r[1] == "SetPhonebookEntryUID"]

    def setUp(self):
        super().setUp()
        # only the partners of the test (demo data may mark others)
        self.env["res.partner"].search([("crm_phonebook_push", "=", True)]).write(
            {"crm_phonebook_push": False}
        )

    def test_push_incremental_and_idempotent(self):
        self.customer.crm_phonebook_push = True
        self.contact.crm_phonebook_push = True
        self.box.action_push_phonebook()
        self.assertEqual(len(self.book()), 2)
        self.assertTrue(self.box.phonebook_id)
        texts = " ".join(self.book().values())
        self.assertIn("Elbe Maschinenbau GmbH", texts)
        self.assertIn("Erika Muster (Elbe Maschinenbau GmbH)", texts)
        self.assertIn("0171 2345678", texts)
        writes = len(self.sets())
        # nothing changed: nothing written
        self.box.action_push_phonebook()
        self.assertEqual(len(self.sets()), writes)
        self.assertEqual(len(self.book()), 2)
        # one changed: one entry replaced in place (same id on the box)
        entry = self.env["crm.telephony.phonebook.entry"].search(
            [("partner_id", "=", self.customer.id)]
        )
        uid = entry.uniqueid
        self.customer.phone = "0351 4445500"
        self.box.action_push_phonebook()
        self.assertEqual(len(self.sets()), writes + 1)
        self.assertEqual(entry.uniqueid, uid)
        self.assertIn("0351 4445500", self.book()[int(uid)])
        self.assertEqual(len(self.book()), 2)
        # unselected: removed from the box
        self.contact.crm_phonebook_push = False
        self.box.action_push_phonebook()
        self.assertEqual(len(self.book()), 1)
        # deleted on the box by hand: written again
        self.book().clear()
        self.customer.phone = "0351 4445501"
        self.box.action_push_phonebook()
        self.assertEqual(len(self.book()), 1)

    def test_push_with_ids_the_box_never_gave(self):
        """Entry records whose id is not one the box gives (not a number: written by hand or
        imported) mean no such entry on the box: a stale one is dropped, a wanted one is
        written anew, each said in the log; nothing crashes."""
        self.customer.crm_phonebook_push = True
        self.box.action_push_phonebook()
        on_box = len(self.book())  # the peer is the class's: earlier tests' entries stay
        Entry = self.env["crm.telephony.phonebook.entry"]
        entry = Entry.search([("partner_id", "=", self.customer.id)])
        entry.uniqueid = "m1"
        Entry.create(
            {
                "box_id": self.box.id,
                "partner_id": self.contact.id,
                "phonebook_id": self.box.phonebook_id,
                "uniqueid": "m2",
            }
        )
        self.customer.phone = "0351 4445502"
        # logging.INFO, not "INFO": Odoo names its level 25 "INFO" too
        with self.assertLogs("odoo.addons.crm_telephony.tools.fritzbox", logging.INFO) as logs:
            self.box.action_push_phonebook()
        self.assertEqual(len(logs.output), 2, logs.output)
        self.assertIn("has no entry 'm1'", logs.output[0] + logs.output[1])
        self.assertIn("has no entry 'm2'", logs.output[0] + logs.output[1])
        self.assertFalse(Entry.search([("partner_id", "=", self.contact.id)]))
        self.assertTrue(entry.uniqueid.isdigit(), entry.uniqueid)
        self.assertIn("0351 4445502", self.book()[int(entry.uniqueid)])
        # the customer's old entry is still on the box (its id was lost): one more, no crash
        self.assertEqual(len(self.book()), on_box + 1)

    def test_push_box_down(self):
        self.customer.crm_phonebook_push = True
        self.box.password = "nope"
        with self.assertRaisesRegex(UserError, "Wrong user or password"):
            self.box.action_push_phonebook()
        self.assertFalse(self.env["crm.telephony.phonebook.entry"].search([]))


@tagged("post_install", "-at_install")
class TestDial(TelephonyCase):
    def test_dial_rings_users_phone_then_number(self):
        self.box.outside_line_prefix = "0"
        Call = self.env["crm.phone.call"].with_user(self.user)
        result = Call.action_dial("0351/4445566", "res.partner", self.contact.id)
        self.assertEqual(result["dialled"], "003514445566")
        self.assertEqual(self.tr64.dial_port, "FON1: Telefon")
        self.assertEqual(self.tr64.dialled[-1], ("FON1: Telefon", "003514445566"))
        call = self.env["crm.phone.call"].browse(result["call_id"])
        self.assertEqual(call.partner_id, self.contact)  # the record the user dialled from
        self.assertEqual((call.call_type, call.user_id), ("outgoing", self.user))
        # international numbers
        Call.action_dial("+420 601 123 456")
        self.assertEqual(self.tr64.dialled[-1][1], "000420601123456")

    def test_dial_errors(self):
        with self.assertRaisesRegex(UserError, "not a phone number"):
            self.env["crm.phone.call"].with_user(self.user).action_dial("ask Erika")
        with self.assertRaisesRegex(UserError, "No Fritz!Box is set for user Tel Manager"):
            self.env["crm.phone.call"].with_user(self.manager).action_dial("0351 4445566")
        self.box.password = "nope"
        with self.assertRaisesRegex(UserError, "Test Box could not dial 03514445566"):
            self.env["crm.phone.call"].with_user(self.user).action_dial("0351 4445566")
        self.assertFalse(self.env["crm.phone.call"].search([("source", "=", "dial")]))
