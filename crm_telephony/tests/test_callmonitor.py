import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.cli.command import find_command
from odoo.tests import tagged

from ..tools.listener import MonitorSupervisor
from .common import TelephonyCase, free_port

RING = "27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;"
CONNECT = "27.11.26 10:00:05;CONNECT;0;11;03514445566;"
DISCONNECT = "27.11.26 10:02:05;DISCONNECT;0;120;"
DISCONNECT_UNANSWERED = "27.11.26 10:00:30;DISCONNECT;0;0;"


@tagged("post_install", "-at_install")
class TestCallMonitor(TelephonyCase):
    """The listener (MonitorSupervisor around fritzconnection's FritzMonitor) against a call
    monitor peer on 127.0.0.1; events go through the same model method the odoo-bin command
    uses, in the test's transaction."""

    def listen(self, until, timeout=15, box=None, **kwargs):
        box = box or self.box
        statuses = []

        def on_status(box_id, state, error):
            statuses.append((state, error))
            self.env["crm.telephony.box"].browse(box_id)._monitor_set_status(state, error)

        def on_line(box_id, line):
            self.env["crm.telephony.box"].browse(box_id)._monitor_process_line(line)

        supervisor = MonitorSupervisor(
            on_line, on_status, min_backoff=0.05, max_backoff=0.4, socket_timeout=1, **kwargs
        )
        supervisor.set_boxes([(box.id, "127.0.0.1", box.monitor_port)])
        deadline = time.monotonic() + timeout
        supervisor.run(until=lambda: until() or time.monotonic() > deadline)
        self.assertTrue(until(), f"listener timed out, statuses: {statuses}")
        return statuses

    def calls(self):
        return self.env["crm.phone.call"].search([("box_id", "=", self.box.id)])

    def bus_messages(self, user):
        self.env.cr.flush()  # bus notifications are written by a pre-commit hook
        channel = json.dumps([self.env.cr.dbname, "res.partner", user.partner_id.id])
        found = self.env["bus.bus"].sudo().search([("channel", "like", f"%{user.partner_id.id}%")])
        return [
            json.loads(n.message)
            for n in found
            if json.loads(n.channel)[1:] == json.loads(channel)[1:]
            and json.loads(n.message)["type"] == "crm_telephony/incoming_call"
        ]

    def test_answered_incoming_call(self):
        class_a = self.env["crm.partner.class"].search(
            [("company_id", "=", self.env.company.id), ("name", "=", "A")], limit=1
        )
        self.assertTrue(class_a)
        self.customer.crm_class_id = class_a
        self.start_monitor_peer([[RING, ("sleep", 0.1), CONNECT, DISCONNECT]])
        statuses = self.listen(lambda: self.calls().state == "done")
        self.assertEqual(statuses[0], ("connected", False))
        call = self.calls()
        self.assertEqual(len(call), 1)
        self.assertEqual(call.call_type, "incoming")
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.line_id, self.line)
        self.assertEqual(call.user_id, self.user)
        self.assertEqual(call.duration, 120)
        self.assertEqual(call.number_e164, "+493514445566")
        # box time 10:00 Europe/Berlin (winter) is 09:00 UTC
        self.assertEqual(str(call.start), "2026-11-27 09:00:00")
        self.assertEqual(str(call.connect_date), "2026-11-27 09:00:05")
        self.assertFalse(call.activity_ids)
        self.assertEqual(self.box.monitor_state, "connected")
        # written to the customer's chronicle, once, linked to the call
        entry = call.chronicle_entry_id
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.type_id.code, "call")
        self.assertEqual((entry.source_model, entry.source_id), ("crm.phone.call", call.id))
        self.assertAlmostEqual(entry.duration, 120 / 3600)
        self.assertEqual(entry.user_id, self.user)
        self.assertEqual(entry.state, "done")
        # the note written on the call reaches the chronicle entry
        call.with_user(self.user).note = "Asked for the new catalogue"
        self.assertIn("Asked for the new catalogue", entry.description)
        # the line's user got the live notification with the caller's data
        [message] = self.bus_messages(self.user)
        payload = message["payload"]
        self.assertEqual(payload["call_id"], call.id)
        self.assertEqual(payload["line"], "Zentrale")
        self.assertEqual(payload["caller"]["partner_id"], self.customer.id)
        self.assertEqual(payload["caller"]["name"], "Elbe Maschinenbau GmbH")
        self.assertEqual(payload["caller"]["class"], "A")
        self.assertFalse(self.bus_messages(self.manager))
        self.assertEqual(self.customer.crm_phone_call_count, 1)

    def test_missed_call_creates_resubmission(self):
        self.start_monitor_peer(
            [
                [
                    RING,
                    DISCONNECT_UNANSWERED,
                    "27.11.26 10:01:00;RING;1;0301234567;4440000;SIP0;",
                    "27.11.26 10:01:20;DISCONNECT;1;0;",
                ]
            ]
        )
        self.listen(
            lambda: len(self.calls()) == 2 and set(self.calls().mapped("state")) == {"done"}
        )
        known, unknown = self.calls().sorted("start")
        # known caller: resubmission in the customer's chronicle for the line's user
        self.assertEqual(known.call_type, "missed")
        entry = known.chronicle_entry_id
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.state, "open")
        self.assertEqual(entry.resubmission_user_id, self.user)
        self.assertTrue(entry.resubmission_date)
        self.assertFalse(known.activity_ids)
        # unknown caller: no chronicle to write to, a "call back" activity on the call
        self.assertEqual(unknown.call_type, "missed")
        self.assertFalse(unknown.chronicle_entry_id)
        self.assertEqual(unknown.activity_ids.user_id, self.user)
        self.assertIn("0301234567", unknown.activity_ids.summary)
        # the next call of that customer shows the chronicle in the notification
        Box = self.env["crm.telephony.box"].browse(self.box.id)
        Box._monitor_process_line("27.11.26 11:00:00;RING;2;03514445566;4440000;SIP0;")
        payload = self.bus_messages(self.user)[-1]["payload"]
        self.assertIn(entry.name, [e["name"] for e in payload["caller"]["chronicle"]])

    def test_garbage_and_dropped_connection(self):
        garbage = b"\xff\xfe\x00garbage without newline"
        self.start_monitor_peer(
            [
                [garbage + b"\n", "27.11.26 10:00:00;HANGUP;7;", RING, ("close",)],
                [DISCONNECT_UNANSWERED],
            ]
        )
        self.listen(lambda: self.calls().state == "done")
        call = self.calls()
        self.assertEqual(len(call), 1)
        self.assertEqual(call.call_type, "missed")
        self.assertIn("Ignored a line", self.box.monitor_error)

    def test_listener_survives_hostile_lines(self):
        """Whatever arrives on the call monitor port: bytes that are no text, NUL and other
        control characters, overlong lines, digits of other scripts, markup - each line is
        ignored with a note on the box, and the call after them is recorded."""
        hostile = [
            b"\x00" * 50,
            b"\xff\xfe\xfd",
            b"27.11.26 10:00:00;RING;0;0351\x00123;4440000;SIP0;",
            "27.11.26 10:00:00;RING;٠;0351;4440000;SIP0;".encode(),
            b"27.11.26 10:00:00;DISCONNECT;0;" + b"9" * 40 + b";",
            b"27.11.26 10:00:00;RING;0;" + b"1" * 5000 + b";4440000;SIP0;",
            b"27.11.26 10:00:00;RING;0;<b>&amp;</b>;4440000;SIP0;",
            "27.11.26 10:00:00;RING;0;\u202e0351;4440000;SIP0;".encode(),
            b";;;;;;;;",
            b"\r",
            b"31.02.26 10:00:00;RING;0;0351;4440000;SIP0;",
        ]
        self.start_monitor_peer([[*(line + b"\n" for line in hostile), RING, DISCONNECT]])
        with self.assertNoLogs("odoo.addons.crm_telephony", "ERROR"):
            self.listen(lambda: self.calls().state == "done")
        call = self.calls()
        self.assertEqual((len(call), call.partner_id), (1, self.customer))
        self.assertIn("Ignored a line", self.box.monitor_error)

    @settings(max_examples=150, deadline=None, database=None)
    @given(
        st.sampled_from(["RING", "CALL", "CONNECT", "DISCONNECT"]),
        st.lists(
            st.one_of(
                st.text(alphabet=st.characters(codec="latin-1"), max_size=30),
                st.from_regex(r"[0-9+*#]{0,20}", fullmatch=True),
            ),
            max_size=6,
        ),
    )
    def test_any_line_is_recorded_or_ignored(self, event, fields):
        """Random event lines through the model method the listener calls: a call, or
        False with the reason on the box - never an exception, nothing half written."""
        line = ";".join(["27.11.26 10:00:00", event, *fields]) + ";"
        with self.env.cr.savepoint():
            result = self.box._monitor_process_line(line)
            self.assertTrue(result is False or result._name == "crm.phone.call", line)
            self.env.flush_all()

    def test_unreachable_then_reconnect(self):
        """No box at first: the listener reports it and keeps retrying with growing delays;
        once the box answers, the events arrive."""
        port = free_port()
        self.box.monitor_port = port
        statuses = []
        self.box.flush_recordset()

        with self.assertLogs("odoo.addons.crm_telephony.models.crm_telephony_box", "WARNING"):
            statuses += self.listen(lambda: self.box.monitor_state == "retrying", timeout=5)
        self.assertIn("refused", self.box.monitor_error.lower())
        peer = self.start_monitor_peer([[RING]], port=port)
        statuses += self.listen(lambda: len(self.calls()) == 1)
        self.assertEqual(statuses[-1], ("connected", False))
        self.assertEqual(self.box.monitor_state, "connected")
        self.assertEqual(peer.connections, 1)

    def test_backoff_grows(self):
        waits = []
        supervisor = MonitorSupervisor(
            lambda *a: None,
            lambda box_id, state, error: waits.append(error),
            min_backoff=0.01,
            max_backoff=0.04,
        )
        supervisor.set_boxes([(1, "127.0.0.1", free_port())])
        deadline = time.monotonic() + 3
        supervisor.run(until=lambda: len(waits) >= 4 or time.monotonic() > deadline)
        self.assertGreaterEqual(len(waits), 4)
        self.assertTrue(all("next try in 0 s" in w for w in waits))
        watch = supervisor.watches[1]
        self.assertEqual(watch.backoff, 0.04)  # capped

    def test_nothing_written_twice(self):
        Box = self.env["crm.telephony.box"].browse(self.box.id)
        first = Box._monitor_process_line(RING)
        self.assertEqual(Box._monitor_process_line(RING), first)
        Box._monitor_process_line(CONNECT)
        Box._monitor_process_line(DISCONNECT)
        Box._monitor_process_line(DISCONNECT)
        self.assertEqual(len(self.calls()), 1)
        self.assertEqual(first.duration, 120)
        self.assertEqual(len(self.bus_messages(self.user)), 1)
        # an orphan event (listener started mid-call) is ignored
        self.assertFalse(Box._monitor_process_line("27.11.26 11:00:00;DISCONNECT;3;5;"))
        self.assertEqual(len(self.calls()), 1)
        # the same connection id reused later is a new call
        Box._monitor_process_line("27.11.26 12:00:00;RING;0;030 1234567;4440000;SIP0;")
        self.assertEqual(len(self.calls()), 2)

    def test_outgoing_call_merges_click_to_dial(self):
        self.box.outside_line_prefix = False
        result = (
            self.env["crm.phone.call"]
            .with_user(self.user)
            .action_dial("+49 351 4445566", "res.partner", self.customer.id)
        )
        self.assertEqual(self.tr64.dialled[-1], ("FON1: Telefon", "03514445566"))
        dialled = self.env["crm.phone.call"].browse(result["call_id"])
        self.assertEqual((dialled.state, dialled.source), ("dialing", "dial"))
        # the box reports the call a moment later (its local time = now)
        from odoo import fields

        now_local = fields.Datetime.context_timestamp(
            self.env.user.with_context(tz="Europe/Berlin"), fields.Datetime.now()
        )
        stamp = now_local.strftime("%d.%m.%y %H:%M:%S")
        Box = self.box
        Box._monitor_process_line(f"{stamp};CALL;4;11;4440000;03514445566;SIP0;")
        Box._monitor_process_line(f"{stamp};CONNECT;4;11;03514445566;")
        Box._monitor_process_line(f"{stamp};DISCONNECT;4;42;")
        self.assertEqual(len(self.calls()), 1)
        self.assertEqual((dialled.state, dialled.duration), ("done", 42))
        self.assertEqual(dialled.user_id, self.user)
        self.assertEqual(dialled.line_id, self.line)

    def test_odoo_bin_command_is_found(self):
        command = find_command("crm_callmonitor")
        self.assertIsNotNone(command)
        self.assertEqual(command.name, "crm_callmonitor")
        targets = self.env["crm.telephony.box"]._monitor_targets()
        self.assertIn((self.box.id, "127.0.0.1", self.box.monitor_port), targets)
        self.box.monitor_enabled = False
        self.assertNotIn(
            self.box.id, [t[0] for t in self.env["crm.telephony.box"]._monitor_targets()]
        )
