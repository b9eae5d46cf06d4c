"""The Fritz!Box when it does not answer, answers slowly or refuses: short timeouts, a
circuit breaker per box, and messages in words - never urllib3's text. The peers are the
TR-064 peer and, for a box that hangs, the call monitor peer (it accepts connections and
says nothing unless told to)."""

import time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.fritzbox import TIMEOUT, FritzBoxError
from .common import TelephonyCase, free_port
from .peers import CallMonitorPeer, Tr64Peer

BREAKER_LOG = "odoo.addons.crm_core.tools.breaker"
# Odoo's test framework raises request timeouts below 10 s to 10 s (odoo.tests.common)
WAITED = max(TIMEOUT, 10)
RAW = r"HTTPConnectionPool|Max retries|urllib3|NewConnectionError|object at 0x|sid="


@tagged("post_install", "-at_install")
class TestBoxOutside(TelephonyCase):
    def dial(self):
        return self.env["crm.phone.call"].with_user(self.user).action_dial("0351 4445566")

    def test_hung_box_dial_fails_after_the_timeout_then_not_at_all(self):
        """A box that accepts connections and never answers, then goes off: the dial waits
        for the timeout, the next ones fail at once; after three failures in a row nobody
        waits at all until the pause is over or an administrator tests the connection."""
        hung = CallMonitorPeer().start()  # accepts TCP, never answers HTTP
        self.addCleanup(hung.stop)
        port = hung.port
        self.box.tr64_port = port
        started = time.monotonic()
        with self.assertRaises(UserError) as caught:
            self.dial()
        self.assertGreater(time.monotonic() - started, TIMEOUT - 0.5)
        self.assertLess(time.monotonic() - started, WAITED + 3)
        self.assertEqual(
            str(caught.exception),
            f"Fritz!Box Test Box could not dial 03514445566: Unreachable: no answer from "
            f"127.0.0.1:{port} within {TIMEOUT} s.",
        )
        hung.stop()  # the box is off now: refused at once
        with self.assertRaisesRegex(UserError, f"connection refused at 127.0.0.1:{port}"):
            self.dial()
        with self.assertLogs(BREAKER_LOG, "WARNING"), self.assertRaises(UserError):
            self.dial()
        # paused: the next dial fails at once and says until when
        with self.assertRaisesRegex(
            UserError, r"After 3 failed connections in a row the box is left alone until \d\d:"
        ):
            self.dial()
        # the box is back: still paused for dialling and the background synchronisation,
        # which do not ask it ...
        box = Tr64Peer(user="crm", password="s3cret-Pass", port=port).start()
        self.addCleanup(box.stop)
        with self.assertRaisesRegex(UserError, "left alone until"):
            self.dial()
        self.run_sync_cron()
        self.assertEqual(box.requests, [])
        self.assertIn("left alone until", self.box.last_error)
        # ... but an administrator's "Test Connection" always asks, and ends the pause
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "ok")
        self.assertTrue(self.dial()["call_id"])

    def dial_fails(self):
        with self.assertRaises(UserError):
            self.dial()

    def test_refused_box(self):
        """Dial, call list and phonebook against a box that refuses: worded messages (the
        third failure in a row pauses the box)."""
        self.box.tr64_port = free_port()
        self.customer.crm_phonebook_push = True
        with self.assertLogs(BREAKER_LOG, "WARNING"):
            for action in (
                self.dial,
                self.box.action_sync_call_list,
                self.box.action_push_phonebook,
            ):
                with self.assertRaises(UserError) as caught:
                    action()
                self.assertIn(
                    f"Unreachable: connection refused at 127.0.0.1:{self.box.tr64_port}",
                    str(caught.exception),
                )
                self.assertNotRegex(str(caught.exception), RAW)
        # the box's status says the same (an explicit test asks even a paused box)
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "unreachable")
        self.assertIn("Unreachable: connection refused at 127.0.0.1", self.box.last_error)
        self.assertNotRegex(self.box.last_error, RAW)

    def test_slow_box_is_waited_for(self):
        slow = Tr64Peer(user="crm", password="s3cret-Pass", delay=0.3).start()
        self.addCleanup(slow.stop)
        self.box.tr64_port = slow.port
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "ok")
        result = self.dial()
        self.assertEqual(slow.dialled[-1][1], result["dialled"])

    def test_box_answering_with_errors_is_not_paused(self):
        """Wrong passwords and SOAP faults are answers: worded, and the box is not paused."""
        self.box.password = "wrong"
        for _attempt in range(4):
            with self.assertRaisesRegex(UserError, "Wrong user or password"):
                self.dial()
        self.box.password = "s3cret-Pass"
        # a SOAP fault from the box (no such phonebook): the UPnP error, not the raw answer
        client = self.box._client()
        with self.assertRaises(FritzBoxError) as caught:
            client.set_entry(999, "Nobody", [("work", "0351 1")])
        self.assertEqual(caught.exception.kind, "protocol")
        self.assertEqual(caught.exception.detail, "UPnP error 713: Invalid array index")
        state, text = self.box._error_text(caught.exception)
        self.assertEqual(state, "error")
        self.assertIn("not as expected (UPnP error 713: Invalid array index)", text)
        self.assertEqual(client.breaker.failures, 0)
        self.assertTrue(self.dial()["call_id"])
