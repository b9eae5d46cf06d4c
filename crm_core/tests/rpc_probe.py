"""Calls from outside for HttpCase tests (not a test module: imported by the bridges'
tests): a user's JSON-2 calls with an API key of its own and its XML-RPC calls, through
Odoo's HTTP server as an integration makes them, and the check that a button called with
wrong ids is refused cleanly."""

import contextlib
import json
from datetime import datetime, timedelta

from odoo.tests import mute_logger

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
