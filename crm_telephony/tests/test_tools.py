"""The pure tools, tested directly (no database needed, but run by Odoo's test runner)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..tools import callmonitor, fritzbox
from ..tools import phone as phone_tools


@tagged("post_install", "-at_install")
class TestCallMonitorParsing(BaseCase):
    def test_real_line_formats(self):
        ring = callmonitor.parse_line("27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;\r\n")
        self.assertEqual(ring.event, "RING")
        self.assertEqual(ring.when, datetime.datetime(2026, 11, 27, 10, 0, 0))
        self.assertEqual(ring.external_number, "03514445566")
        self.assertEqual(ring.own_number, "4440000")
        self.assertEqual(ring.line, "SIP0")
        call = callmonitor.parse_line("27.11.26 10:05:12;CALL;1;10;4440000;0171234567;SIP1;")
        self.assertEqual(
            (call.event, call.extension, call.own_number, call.external_number, call.line),
            ("CALL", "10", "4440000", "0171234567", "SIP1"),
        )
        connect = callmonitor.parse_line("27.11.26 10:05:20;CONNECT;1;10;0171234567;")
        self.assertEqual((connect.event, connect.extension), ("CONNECT", "10"))
        end = callmonitor.parse_line("27.11.26 10:07:00;DISCONNECT;1;100;")
        self.assertEqual((end.event, end.duration), ("DISCONNECT", 100))
        # a withheld number is an empty field
        anonymous = callmonitor.parse_line("27.11.26 10:00:00;RING;2;;4440000;POTS;")
        self.assertEqual(anonymous.external_number, "")

    def test_garbage_is_rejected_with_a_reason(self):
        bad = {
            "": "empty",
            "hello world": "too few fields",
            "\x00\xff\xfe;RING;0;": "control characters",
            "27.11.26 10:00:00;RING;0;0351\x00;4440000;SIP0;": "control characters",
            "27.11.26 10:00:00;RING;0;0351\x85;4440000;SIP0;": "control characters",
            "27.11.26 10:00:00;RING;0;" + "1" * 65 + ";4440000;SIP0;": "more than 64",
            "27.11.26 10:00:00;RING;0;1;2;SIP0;" + "x" * 600: "line of",
            "27.11.26 10:00:00;RING;²;0351;1;SIP0;": "bad connection id",
            "27.11.26 10:00:00;DISCONNECT;1;99999999999999999999;": "bad duration",
            "27.11.26 10:00:00;DISCONNECT;1;١٢;": "bad duration",
            "27.11.26 10:00:00;RING;0;<script>;4440000;SIP0;": "bad external number",
            "27.11.26 10:00:00;CALL;0;1;4440000;0351 ☎;SIP0;": "bad external number",
            "99.99.99 10:00:00;RING;0;1;2;SIP0;": "bad date",
            "27.11.26 10:00:00;HANGUP;0;": "unknown event",
            "27.11.26 10:00:00;RING;0;0351;": "RING needs",
            "27.11.26 10:00:00;RING;x;0351;1;SIP0;": "bad connection id",
            "27.11.26 10:00:00;DISCONNECT;1;ten;": "bad duration",
        }
        for line, reason in bad.items():
            with self.assertRaisesRegex(callmonitor.CallMonitorLineError, reason, msg=line):
                callmonitor.parse_line(line)


LINE_TEXT = st.text(alphabet=st.characters(codec="latin-1"), max_size=200)
FIELD = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"[0-9+*#]{0,15}", fullmatch=True),
    st.sampled_from(["", "0", "SIP0", "SIP: 4440000", "10", "²", "\x00", "9" * 80]),
)


@tagged("post_install", "-at_install")
class TestCallMonitorGarbage(BaseCase):
    """Whatever the box (or something at its address) writes: a CallEvent whose fields are
    safe to store, or a CallMonitorLineError - never another exception."""

    def check(self, line):
        try:
            event = callmonitor.parse_line(line)
        except callmonitor.CallMonitorLineError:
            return None
        for value in (event.external_number, event.own_number, event.extension, event.line):
            self.assertLessEqual(len(value), callmonitor.MAX_FIELD)
            self.assertRegex(value, r"^[0-9A-Za-z+*#:@._ -]*$")
        self.assertLess(event.duration, 10**9)
        self.assertRegex(event.connection_id, r"^[0-9]{1,9}$")
        return event

    @settings(max_examples=400, deadline=None, database=None)
    @given(LINE_TEXT)
    def test_any_text(self, line):
        self.check(line)

    @settings(max_examples=400, deadline=None, database=None)
    @given(
        st.sampled_from(["RING", "CALL", "CONNECT", "DISCONNECT", "ring", "HANGUP"]),
        st.lists(FIELD, min_size=0, max_size=8),
        st.sampled_from(["27.11.26 10:00:00", "29.02.25 10:00:00", "31.12.99 23:59:59"]),
    )
    def test_lines_shaped_like_events(self, event, fields, when):
        self.check(";".join([when, event, *fields]) + ";")


@tagged("post_install", "-at_install")
class TestPhoneNormalisation(BaseCase):
    def test_mixed_formats_give_one_e164(self):
        for raw in (
            "+49 351 4445566",
            "0351/4445566",
            "0049 (0)351-4445566",
            "+49 (0)351 4445566",
            "0351 444 55 66",
        ):
            self.assertEqual(phone_tools.to_e164(raw, "DE"), "+493514445566", raw)
        # region decides numbers without country code
        self.assertEqual(phone_tools.to_e164("601 123 456", "CZ"), "+420601123456")
        self.assertEqual(phone_tools.to_e164("00420 601 123 456", "DE"), "+420601123456")
        self.assertIsNone(phone_tools.to_e164("no number", "DE"))
        self.assertIsNone(phone_tools.to_e164("12", "DE"))

    def test_identifier_values_and_suffix_match(self):
        self.assertEqual(
            phone_tools.identifier_values("0351/4445566", "DE"), ("+493514445566", "6655444153")
        )
        # too short to identify anyone
        self.assertEqual(phone_tools.identifier_values("**610", "DE"), (None, None))
        # a number stored without area code matches the full number by suffix
        stored = phone_tools.reversed_digits("4445566", "DE")
        incoming = phone_tools.reversed_digits("+49 351 4445566", "DE")
        self.assertTrue(phone_tools.suffix_matches(incoming, stored))
        self.assertFalse(
            phone_tools.suffix_matches(incoming, phone_tools.reversed_digits("4445567", "DE"))
        )
        self.assertFalse(phone_tools.suffix_matches("665544", "665544"))  # too few digits

    def test_dial_string_and_outside_line_prefix(self):
        self.assertEqual(phone_tools.dial_string("+49 351 4445566", "DE"), "03514445566")
        self.assertEqual(phone_tools.dial_string("+49 351 4445566", "DE", "0"), "003514445566")
        self.assertEqual(phone_tools.dial_string("+420 601 123 456", "DE"), "00420601123456")
        self.assertEqual(phone_tools.dial_string("601 123 456", "CZ"), "601123456")
        self.assertEqual(phone_tools.dial_string("**610", "DE", "0"), "**610")
        with self.assertRaises(ValueError):
            phone_tools.dial_string("call me", "DE")
        with self.assertRaises(ValueError):
            phone_tools.dial_string("", "DE")


@tagged("post_install", "-at_install")
class TestProtocolDetail(BaseCase):
    def test_unexpected_answers_are_named_with_their_reason_and_no_url(self):
        detail = fritzbox._protocol_detail(
            ValueError("invalid literal for int() at http://192.168.178.1:49000/upnp?sid=77")
        )
        self.assertEqual(detail, "ValueError: invalid literal for int() at <url>")
        self.assertEqual(fritzbox._protocol_detail(KeyError()), "KeyError")
        upnp = fritzbox._protocol_detail(
            Exception("errorCode: 713\nerrorDescription: Invalid array index")
        )
        self.assertEqual(upnp, "UPnP error 713: Invalid array index")
