"""The boundary of the public API (tools/boundary.py) itself: each kind of argument accepts
what it must and refuses the rest with an ArgumentError that names the method and the
argument, in the caller's language."""

import base64
import datetime

from odoo.tests import TransactionCase, tagged

from ..tools.boundary import (
    Any,
    ArgumentError,
    Base64,
    Bool,
    Date,
    Datetime,
    Dict,
    Float,
    Int,
    ListOf,
    Record,
    Records,
    Selection,
    Str,
    check_records,
    public,
)


def probe(self, value=None):
    return value


def call(env, kind, value):
    """probe(value) through @public(value=kind), as res.partner.probe."""
    return public(value=kind)(probe)(env["res.partner"], value)


@tagged("post_install", "-at_install")
class TestBoundary(TransactionCase):
    def assertRefused(self, kind, value, expected=None):
        with self.assertRaises(ArgumentError, msg=f"{kind.__class__.__name__}: {value!r}") as error:
            call(self.env, kind, value)
        message = str(error.exception)
        self.assertIn("res.partner.probe", message)
        self.assertIn("value", message)
        if expected:
            self.assertIn(expected, message)
        return message

    def assertAccepted(self, kind, value, converted):
        self.assertEqual(call(self.env, kind, value), converted, f"{kind!r}: {value!r}")

    def test_bool(self):
        for value, converted in ((True, True), (False, False), (None, False)):
            self.assertAccepted(Bool(), value, converted)
        for value in (1, 0, "true", [], {}):
            self.assertRefused(Bool(), value, "true or false")

    def test_int(self):
        self.assertAccepted(Int(), 42, 42)
        self.assertAccepted(Int(minimum=1, maximum=10), 10, 10)
        self.assertAccepted(Int(required=False), False, False)
        for value in (None, False, True, 4.2, "42", [1], "x"):
            self.assertRefused(Int(), value, "whole number")
        self.assertRefused(Int(minimum=1, maximum=10), 11, "from 1 to 10")
        self.assertRefused(Int(minimum=1), 0, "at least 1")

    def test_float(self):
        self.assertAccepted(Float(), 4, 4.0)
        self.assertAccepted(Float(minimum=0), 2.5, 2.5)
        for value in (None, True, "2.5", float("nan"), float("inf"), [2.5]):
            self.assertRefused(Float(), value, "number")
        self.assertRefused(Float(minimum=0), -1, "at least 0")

    def test_str(self):
        self.assertAccepted(Str(), "  Müller & Söhne  ", "Müller & Söhne")
        self.assertAccepted(Str(multiline=True), "a\nb", "a\nb")
        self.assertAccepted(Str(required=False), False, False)
        for value in (
            None,
            "",
            "   ",
            42,
            ["a"],
            "a" * 257,
            "a\nb",
            "a\u2028b",
            "a\x00b",
            "a\x0bb",
            "a\x85b",
            "a\ud800b",
        ):
            self.assertRefused(Str(), value, "single line of text")
        self.assertRefused(Str(multiline=True), "a\x00b", "text of at most")

    def test_selection(self):
        kind = Selection(("debtor", "creditor"))
        self.assertAccepted(kind, "debtor", "debtor")
        for value in ("Debtor", "", None, 1, ["debtor"]):
            message = self.assertRefused(kind, value, "one of")
            self.assertIn("'creditor'", message)

    def test_date_and_datetime(self):
        self.assertAccepted(Date(), "2026-12-07", datetime.date(2026, 12, 7))
        self.assertAccepted(Date(), datetime.datetime(2026, 12, 7, 9), datetime.date(2026, 12, 7))
        for value in ("2026-13-01", "07.12.2026", "2026-12-7", 20261207, None, "x" * 10):
            self.assertRefused(Date(), value, "YYYY-MM-DD")
        self.assertAccepted(
            Datetime(), "2026-12-07 09:30:00", datetime.datetime(2026, 12, 7, 9, 30)
        )
        self.assertAccepted(Datetime(), datetime.date(2026, 12, 7), datetime.datetime(2026, 12, 7))
        for value in ("2026-12-07 25:00:00", "yesterday", 1.5, None):
            self.assertRefused(Datetime(), value, "UTC")

    def test_base64(self):
        self.assertAccepted(Base64(), base64.b64encode(b"BEGIN:VCARD").decode(), b"BEGIN:VCARD")
        self.assertAccepted(Base64(), base64.b64encode(b"\x00\x01"), b"\x00\x01")
        for value in ("not base64!", "QkVHSU4", "", None, 42, ["QQ=="]):
            self.assertRefused(Base64(), value, "base64")
        self.assertRefused(Base64(max_bytes=4), base64.b64encode(b"x" * 100).decode(), "base64")
        self.assertAccepted(Base64(allow_empty=True), "", b"")

    def test_records(self):
        partner = self.env["res.partner"].create({"name": "Grenze GmbH"})
        self.assertAccepted(Record("res.partner"), partner.id, partner)
        self.assertAccepted(Records("res.partner"), [partner.id], partner)
        self.assertAccepted(Records("res.partner"), partner, partner)
        missing = 2**31 - 1
        message = self.assertRefused(Records("res.partner"), [partner.id, missing], "do not exist")
        self.assertIn(str(missing), message)
        for value in ([], None, "1", [True], [0], [-1], [2**31], 1.0, self.env.company):
            self.assertRefused(Records("res.partner"), value)
        self.assertRefused(Record("res.partner"), [partner.id], "the id of one res.partner")
        self.assertAccepted(Records("res.partner", allow_empty=True), [], self.env["res.partner"])

    def test_check_records(self):
        """The one check of records a caller names (arguments, the ids of a call, sources):
        missing ones are refused naming method, argument and ids; with `readable`, another
        company's record too - said as such, or with `conceal` like a missing one."""
        other = self.env["res.company"].create({"name": "Andere Grenze AG"})
        hidden = self.env["res.partner"].create({"name": "Fremd GmbH", "company_id": other.id})
        own = self.env["res.partner"].create({"name": "Eigen GmbH"})
        user = self.env["res.users"].create(
            {
                "name": "Grenzgänger",
                "login": "boundary_check_records",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        Partner = self.env["res.partner"].with_user(user)
        self.assertEqual(check_records(Partner.browse(own.ids), "m.x", "partner"), own)
        missing = 2**31 - 1
        with self.assertRaisesRegex(
            ArgumentError,
            f"m.x: the argument partner names res.partner records that do not exist: {missing}",
        ):
            check_records(Partner.browse([own.id, missing]), "m.x", "partner")
        # not read-checked unless asked; superuser reads everything
        check_records(Partner.browse(hidden.ids), "m.x", "partner")
        check_records(Partner.browse(hidden.ids).sudo(), "m.x", "partner", readable=True)
        with self.assertRaisesRegex(
            ArgumentError,
            f"m.x: the argument source names res.partner records you may not read: {hidden.id}",
        ):
            check_records(Partner.browse(hidden.ids + own.ids), "m.x", "source", readable=True)
        with self.assertRaisesRegex(ArgumentError, f"that do not exist: {hidden.id}"):
            check_records(Partner.browse(hidden.ids), "m.x", "ids", readable=True, conceal=True)

    def test_list_of_and_dict(self):
        self.assertAccepted(ListOf(Int()), [1, 2], [1, 2])
        self.assertAccepted(ListOf(Int(), allow_empty=True), [], [])
        message = self.assertRefused(ListOf(Int()), [1, "2"], "whole number")
        self.assertIn("value[1]", message)
        for value in ([], None, 1, "12", {"a": 1}):
            self.assertRefused(ListOf(Int()), value)
        self.assertRefused(ListOf(Int(), max_items=2), [1, 2, 3], "at most 2 items")
        kind = Dict({"name": Str(), "count": Int(required=False)}, required_keys=("name",))
        self.assertAccepted(kind, {"name": "a", "count": 2}, {"name": "a", "count": 2})
        self.assertAccepted(kind, {"name": "a"}, {"name": "a"})
        self.assertRefused(kind, {"count": 2}, "lacks name")
        self.assertRefused(kind, {"name": "a", "other": 1}, "unknown keys other")
        message = self.assertRefused(kind, {"name": 5}, "single line of text")
        self.assertIn("value.name", message)
        for value in (None, [], "name"):
            self.assertRefused(kind, value, "dictionary")

    def test_any_and_defaults(self):
        for value in (None, 1, "x", [{}]):
            self.assertAccepted(Any(), value, value)
        self.assertRefused(ListOf(Any()), "rows", "any value")
        # arguments left at their default are not checked
        self.assertIsNone(public(value=Int())(probe)(self.env["res.partner"]))

    def test_wrong_call_names_method(self):
        checked = public(value=Int())(probe)
        with self.assertRaisesRegex(ArgumentError, "res.partner.probe: .*unexpected"):
            checked(self.env["res.partner"], 1, other=2)
        with self.assertRaisesRegex(TypeError, "unknown arguments"):
            public(other=Int())(probe)

    def test_messages_in_the_callers_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["crm_core"], ["de_DE"])
        env = self.env(context=dict(self.env.context, lang="de_DE"))
        with self.assertRaises(ArgumentError) as error:
            call(env, Int(minimum=1), 0)
        message = str(error.exception)
        self.assertIn("res.partner.probe", message)
        self.assertIn("value", message)
        self.assertIn("ganze Zahl", message)
        self.assertNotIn("whole number", message)

    def test_logged_as_the_callers_mistake(self):
        self.assertEqual(ArgumentError.loglevel, 20)  # INFO: no warning in Odoo's log
