"""Calls from outside for HttpCase tests (not a test module: imported by the bridges'
tests): a user's JSON-2 calls with an API key of its own and its XML-RPC calls, through
Odoo's HTTP server as an integration makes them, and the check that a button called with
wrong ids is refused cleanly."""

import contextlib
import json
from datetime import datetime, timedelta

from odoo.tests import mute_logger, new_test_user

# Odoo's XML-RPC fault codes: 2 a UserError (ValidationError, MissingError), 4 an
# AccessError, 1 any other exception (its fault string is the traceback)
FAULT_USER, FAULT_ACCESS, FAULT_APPLICATION = 2, 4, 1
NONEXISTENT_ID = 2**31 - 1


class RpcProbe:
    """Mixin of an HttpCase."""

    def rpc_key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "probe", datetime.now() + timedelta(days=1))
        )

    def json2(self, user, model, method, **params):
        """(HTTP status, decoded body) of `user`'s JSON-2 call."""
        keys = self.__dict__.setdefault("_rpc_keys", {})
        if user.id not in keys:
            keys[user.id] = self.rpc_key(user)
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Authorization": f"bearer {keys[user.id]}",
                "Content-Type": "application/json; charset=utf-8",
            },
        )
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"message": response.text[:300]}

    def xmlrpc(self, user, model, method, ids):
        """(fault code or None, fault string or result) of `user`'s XML-RPC call (the
        password of new_test_user: the login)."""
        try:
            result = self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, [ids], {}
            )
            return None, result
        except Exception as error:  # noqa: BLE001 - xmlrpc.client.Fault
            return getattr(error, "faultCode", repr(error)), getattr(error, "faultString", "")

    def assertRefused(self, user, model, method, ids, status, fault=None, mentions=()):
        """`user` calls model.method on `ids` over JSON-2 and XML-RPC: JSON-2 answers
        `status` (not a server error), XML-RPC a fault `fault` (a UserError's or an
        AccessError's, not a traceback), each message naming what `mentions` gives."""
        # Odoo logs the AccessError or MissingError of a refused call as a warning (an
        # ArgumentError at INFO); a server error shows as the wrong status or fault code
        quiet = mute_logger("odoo.http") if status in (403, 404) else contextlib.nullcontext()
        with quiet:
            got, body = self.json2(user, model, method, ids=ids)
            code, text = self.xmlrpc(user, model, method, ids)
        message = str(body.get("message"))
        self.assertEqual(got, status, f"JSON-2 {model}.{method}({ids}): {got} {message}")
        self.assertNotEqual(code, FAULT_APPLICATION, f"XML-RPC {model}.{method}({ids}): {text}")
        if fault is not None:
            self.assertEqual(code, fault, f"XML-RPC {model}.{method}({ids}): {text}")
        for expected in mentions:
            self.assertIn(expected, message)
            self.assertIn(expected, text)
        return body


class NewDocumentWrongIds(RpcProbe):
    """Mixin of an HttpCase: a cockpit button that starts a document of an optional app
    (New Quotation, New Purchase Order) called over JSON-2 with wrong ids - another
    company's customer, a deleted one, several, none, strings, too large - a 4xx-style
    error naming the method (crm_core's ArgumentError), never a server error; another
    company's customer refused like a missing one. Set METHOD, RES_MODEL, GROUPS, LOGIN."""

    METHOD = RES_MODEL = GROUPS = LOGIN = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company2 = env["res.company"].create({"name": f"{cls.LOGIN} Zwei"})
        cls.user = new_test_user(env, login=cls.LOGIN, groups=cls.GROUPS)
        Partner = env["res.partner"]
        cls.customer = Partner.create({"name": f"{cls.LOGIN} Eins", "is_company": True})
        cls.foreign = Partner.create(
            {"name": f"{cls.LOGIN} Fremd", "is_company": True, "company_id": company2.id}
        )
        deleted = Partner.create({"name": f"{cls.LOGIN} Weg", "is_company": True})
        cls.deleted_id = deleted.id
        deleted.unlink()

    def call(self, ids):
        return self.json2(self.user, "res.partner", self.METHOD, ids=ids)

    def test_wrong_ids_are_clear_errors(self):
        status, action = self.call([self.customer.id])
        self.assertEqual(status, 200, action)
        self.assertEqual(action["res_model"], self.RES_MODEL)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        for ids in (
            [self.foreign.id],
            [self.deleted_id],
            [self.customer.id, self.foreign.id],
            [],
            ["abc"],
            "abc",
            [2**70],
        ):
            status, body = self.call(ids)
            self.assertTrue(400 <= status < 500, (ids, status, body))
            self.assertTrue(body["name"].endswith(".ArgumentError"), (ids, body["name"]))
            self.assertIn(f"res.partner.{self.METHOD}", body["message"])
        # another company's customer is refused like a missing one (no hint it exists)
        _status, foreign = self.call([self.foreign.id])
        _status, deleted = self.call([self.deleted_id])
        self.assertEqual(
            foreign["message"].replace(str(self.foreign.id), "N"),
            deleted["message"].replace(str(self.deleted_id), "N"),
        )
