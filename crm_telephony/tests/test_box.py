import logging

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelephonyCase, free_port


@tagged("post_install", "-at_install")
class TestBoxConnection(TelephonyCase):
    def test_connection_ok(self):
        result = self.box.action_test_connection()
        self.assertEqual(self.box.state, "ok")
        self.assertEqual(self.box.model_name, "FRITZ!Box 7590")
        self.assertFalse(self.box.last_error)
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("154.07.57", result["params"]["message"])
        # the peer really saw an authenticated GetInfo
        self.assertIn(("/upnp/control/deviceinfo", "GetInfo", {}), self.tr64.requests)

    def test_wrong_password(self):
        self.box.password = "wrong"
        failures = self.tr64.auth_failures
        result = self.box.action_test_connection()
        self.assertEqual(self.box.state, "auth")
        self.assertIn("Wrong user or password", self.box.last_error)
        self.assertEqual(result["params"]["type"], "danger")
        self.assertGreater(self.tr64.auth_failures, failures)
        self.assertNotIn("wrong", self.box.last_error)  # the password is never echoed

    def test_unreachable(self):
        self.box.tr64_port = free_port()
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "unreachable")
        self.assertIn("Unreachable", self.box.last_error)
        # dialling then says which box failed and why, and keeps the status
        with self.assertRaisesRegex(UserError, "Test Box"):
            self.env["crm.phone.call"].with_user(self.user).action_dial("0351 4445566")
        self.assertEqual(self.box.state, "unreachable")

    def test_recovers_after_failure(self):
        self.box.password = "wrong"
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "auth")
        self.box.password = "s3cret-Pass"
        self.box.action_test_connection()
        self.assertEqual(self.box.state, "ok")
        self.assertFalse(self.box.last_error)

    def test_outside_line_prefix_validated(self):
        with self.assertRaisesRegex(UserError, "Test Box.*outside-line prefix"):
            self.box.outside_line_prefix = "0a"


@tagged("post_install", "-at_install")
class TestBoxAccess(TelephonyCase):
    def test_password_for_administrators_only(self):
        box = self.box.with_user(self.manager)
        with self.assertRaises(AccessError):
            box.read(["password"])
        self.assertEqual(box.read(["host"])[0]["host"], "127.0.0.1")
        # ... but the manager's "Test connection" still logs in with it
        box.action_test_connection()
        self.assertEqual(self.box.state, "ok")

    def test_secrets_never_logged_or_shown(self):
        """The TR-064 password and the box's session id (in the call list URL) appear in no
        log line (DEBUG included for the password), no status and no field a manager
        reads."""
        self.tr64.calls = [{"Id": 1, "Type": 1, "Caller": "0351 1", "Date": "27.11.26 09:00"}]
        self.customer.crm_phonebook_push = True
        with self.assertLogs(level="DEBUG") as logs:
            self.box.action_test_connection()
            self.box.action_sync_call_list()
            self.box.action_push_phonebook()
            self.env["crm.phone.call"].with_user(self.user).action_dial("0351 4445566")
            # the call list cannot be fetched: its URL carries the session id
            self.tr64.call_list_port = free_port()
            self.box._set_status("ok")
            self.run_sync_cron()
            self.assertIn("Unreachable", self.box.last_error)
            self.box.password = "wrong-Secret-99"
            self.box.action_test_connection()
            with self.assertRaises(UserError):
                self.box.action_sync_call_list()
        # not counted: Odoo's own SQL debug log (--log-sql shows every value written) and
        # the test framework's request log (only in tests)
        records = [
            r
            for r in logs.records
            if r.name != "odoo.sql_db" and not r.name.startswith("odoo.tests")
        ]
        everything = "\n".join(r.getMessage() for r in records)
        self.assertNotIn("s3cret-Pass", everything)
        self.assertNotIn("wrong-Secret-99", everything)
        info = "\n".join(r.getMessage() for r in records if r.levelno >= logging.INFO)
        self.assertNotIn(self.tr64.sid, info)
        for text in (self.box.last_error, repr(self.box.with_user(self.manager).read())):
            self.assertNotIn("wrong-Secret-99", text)
            self.assertNotIn(self.tr64.sid, text)

    def test_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.box.with_user(self.user).write({"host": "evil.example"})
        with self.assertRaises(AccessError):
            self.env["crm.telephony.box"].with_user(self.user).create({"host": "x"})
        with self.assertRaises(AccessError):
            self.box.with_user(self.user).action_test_connection()
        with self.assertRaises(AccessError):
            self.line.with_user(self.user).write({"number": "1"})

    def test_call_log_rights(self):
        call = self.box._monitor_process_line("27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;")
        as_user = call.with_user(self.user)
        as_user.note = "Wants a quote"  # users write notes on calls
        self.assertEqual(call.note, "Wants a quote")
        with self.assertRaises(AccessError):
            as_user.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.phone.call"].with_user(self.user).create(
                {"box_id": self.box.id, "call_type": "outgoing", "number": "1"}
            )
        with self.assertRaises(AccessError):
            self.env["crm.partner.identifier"].with_user(self.manager).create(
                {"partner_id": self.customer.id, "source_field": "phone", "value": "+1"}
            )
        call.with_user(self.manager).unlink()

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other GmbH"})
        stranger = self.env["res.users"].create(
            {
                "name": "Stranger",
                "login": "tel_stranger",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "group_ids": [(6, 0, self.env.ref("crm_core.group_manager").ids)],
            }
        )
        Box = self.env["crm.telephony.box"].with_user(stranger)
        self.assertFalse(Box.search([("id", "=", self.box.id)]))
        call = self.box._monitor_process_line("27.11.26 10:00:00;RING;0;0351;4440000;SIP0;")
        self.assertFalse(
            self.env["crm.phone.call"].with_user(stranger).search([("id", "=", call.id)])
        )
