"""The buttons of the suite's forms, called from outside (the hostile review): every
public record method without arguments (``action_*``: a button, an RPC method with ``ids``)
over JSON-2 and XML-RPC on no records, the one-record buttons on several; the chronicle
report with hostile options in its URL.

Wanted: a 4xx-style Odoo error (JSON-2: 422, XML-RPC: a fault that is not Odoo's
"application error" with a traceback) or a harmless answer, nothing at ERROR in Odoo's log.
The calls Odoo answers with an AccessError or MissingError (logged as warnings: ids that do
not exist, another company's customer and correspondence, reports by id, a user without
CRM rights) are made by crm_billing_sepa/tests/test_rpc_buttons.py and the bridges'
test_rpc_probe.py, where the warnings are muted.
"""

import json
import sys
import urllib.parse
import uuid
import xmlrpc.client
from pathlib import Path

import pytest
from conftest import Json2, XmlRpc
from websession import WebSession  # tests/websession.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import public_api  # noqa: E402 - scripts/public_api.py

NONEXISTENT_ID = 2**31 - 1
# Odoo's XML-RPC fault code for an exception that is not a UserError: the fault string is
# the traceback
APPLICATION_ERROR = 1
# the buttons of the record: public record methods named as actions (Odoo's own methods
# that our addons override, such as unlink or set_values, keep Odoo's behaviour)
ACTIONS = [m for m in public_api.record_actions() if m.name.startswith(("action_", "crm_"))]
# the buttons that only open or start something (no write): called on several records too
COCKPIT = [
    m.name
    for m in ACTIONS
    if m.model == "res.partner" and m.name.startswith(("action_crm_open_", "action_crm_new_"))
]
CORRESPONDENCE = ["action_open", "action_print", "action_send"]


class Client:
    """JSON-2 (with the user's own API key) and XML-RPC of one user."""

    def __init__(self, odoo, login, password):
        self.odoo, self.login, self.password = odoo, login, password
        self.session = WebSession(odoo, login, password)
        key = self.session.new_api_key(f"probe {uuid.uuid4().hex[:6]}")
        self.json2 = Json2(dict(odoo, api_key=key)).answer
        self.rpc = XmlRpc(dict(odoo, login=login, password=password))

    def xmlrpc(self, model, method, ids):
        """(fault code or None, fault string or result)"""
        try:
            return None, self.rpc(model, method, ids)
        except xmlrpc.client.Fault as fault:
            return fault.faultCode, fault.faultString


@pytest.fixture(scope="module")
def world(odoo, json2):
    """A second company with a customer of its own (an e-mail on its record: a row of the
    correspondence), a CRM user of the first company; two customers shared by both."""
    tag = uuid.uuid4().hex[:6]
    [company2] = json2("res.company", "create", vals_list=[{"name": f"Probe Zwei {tag}"}])
    [admin] = json2(
        "res.users", "search_read", domain=[("login", "=", odoo["login"])], fields=["company_id"]
    )
    company1 = admin["company_id"][0]
    json2("res.users", "write", ids=[admin["id"]], vals={"company_ids": [(4, company2)]})
    crm_user = json2.xmlid("crm_core.group_user")

    def user(login, company, groups):
        json2(
            "res.users",
            "create",
            vals_list=[
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "group_ids": [(6, 0, groups)],
                }
            ],
        )
        return Client(odoo, login, login)

    shared, shared2, own2 = json2(
        "res.partner",
        "create",
        vals_list=[
            {"name": f"Probe Geteilt {tag}", "is_company": True},
            {"name": f"Probe Geteilt B {tag}", "is_company": True},
            {"name": f"Probe Nur Zwei {tag}", "is_company": True, "company_id": company2},
        ],
    )
    json2(
        "res.partner",
        "message_post",
        ids=[own2],
        body="Geheime Konditionen",
        subject=f"Probe Vertrag {tag}",
        message_type="email",
        author_id=shared,
    )
    rows = json2(
        "crm.chronicle.correspondence",
        "search_read",
        domain=[("partner_id", "=", shared), ("name", "=", f"Probe Vertrag {tag}")],
        fields=["name", "company_id"],
        context={"allowed_company_ids": [company1, company2]},
    )
    assert rows, "the e-mail of company 2's customer is a row of its correspondence"
    return {
        "tag": tag,
        "shared": [shared, shared2],
        "own2": own2,
        "row2": rows[0]["id"],
        "crm": user(f"probe_crm_{tag}", company1, [crm_user]),
        "admin": Client(odoo, odoo["login"], odoo["password"]),
    }


def _bad_json2(status, body):
    """Why a JSON-2 answer is a server error, or None."""
    if status >= 500:
        return f"HTTP {status} {body.get('name')}: {str(body.get('message'))[:200]!r}"
    return None


def _bad_xmlrpc(code, text):
    if code == APPLICATION_ERROR or "Traceback" in str(text):
        return f"fault {code}: {str(text).strip().splitlines()[-1][:200]!r}"
    return None


def _errors_logged(server_log, mark):
    if not server_log:
        return []
    return [line for line in server_log.bad_lines(mark) if " ERROR " in line or "Traceback" in line]


def test_record_actions_on_no_records(world, server_log):
    """Every button over JSON-2 and XML-RPC on no records: no server error (a button on
    nothing does nothing or says so). On an id that does not exist, and on another
    company's records: crm_billing_sepa/tests/test_rpc_buttons.py (Odoo logs those
    refusals as warnings, which an Odoo test mutes)."""
    admin = world["admin"]
    failures = []
    for method in ACTIONS:
        for ids in ([],):
            call = f"{method.model}.{method.name}(ids={ids})"
            mark = server_log.mark() if server_log else None
            status, body = admin.json2(method.model, method.name, ids=ids)
            if status == 404 and "does not exist" in str(body.get("message")):
                continue  # a model of an addon this database does not have
            problem = _bad_json2(status, body)
            if problem:
                failures.append(f"JSON-2 {call}: {problem}")
            code, text = admin.xmlrpc(method.model, method.name, ids)
            problem = _bad_xmlrpc(code, text)
            if problem:
                failures.append(f"XML-RPC {call}: {problem}")
            logged = _errors_logged(server_log, mark)
            if logged:
                failures.append(f"{call}: Odoo logged\n    " + "\n    ".join(logged[:4]))
    assert len(ACTIONS) > 50, "the buttons are read from the source"
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


def test_one_record_buttons_on_several_records(world, server_log):
    """The cockpit's buttons and the correspondence's on two records: a 422 naming the
    method (not Odoo's "Expected singleton", a server error)."""
    admin = world["admin"]
    calls = [("res.partner", name, world["shared"]) for name in COCKPIT]
    rows = [world["row2"], world["row2"] + 1]
    calls += [("crm.chronicle.correspondence", name, rows) for name in CORRESPONDENCE]
    calls += [("crm.chronicle.correspondence", name, []) for name in CORRESPONDENCE]
    failures = []
    for model, name, ids in calls:
        mark = server_log.mark() if server_log else None
        status, body = admin.json2(model, name, ids=ids)
        if status != 422 or f"{model}.{name}" not in str(body.get("message")):
            failures.append(f"JSON-2 {model}.{name}({ids}): {status} {body.get('message')!r}")
        code, text = admin.xmlrpc(model, name, ids)
        if code != 2 or f"{model}.{name}" not in text:
            failures.append(f"XML-RPC {model}.{name}({ids}): {code} {str(text)[-200:]!r}")
        logged = _errors_logged(server_log, mark)
        if logged:
            failures.append(f"{model}.{name}: Odoo logged\n    " + "\n    ".join(logged[:4]))
    assert len(COCKPIT) >= 9
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "options",
    [
        {"date_from": "gestern"},
        {"date_to": "2026-13-45"},
        {"date_from": 20261201},
        {"date_from": ["2026-01-01"]},
        {"date_to": {"x": 1}},
        {"date_from": "x" * 5000},
    ],
)
def test_chronicle_report_with_hostile_options(world, options, server_log):
    """/report/pdf/crm_chronicle.report_chronicle/<id>?options=...: the dates of the
    options are anybody's to write; a wrong one is a 4xx naming it, not a server error."""
    session = world["crm"].session
    query = urllib.parse.urlencode({"options": json.dumps(options)})
    path = f"/report/html/crm_chronicle.report_chronicle/{world['shared'][0]}?{query}"
    mark = server_log.mark() if server_log else None
    status, body = session.request("GET", path, timeout=120)
    assert 400 <= status < 500, (options, status, body[:300])
    assert next(iter(options)).encode() in body, body[:300]
    assert not _errors_logged(server_log, mark)


def test_print_buttons_over_xmlrpc(world, json2):
    """A print button's report action over XML-RPC: Odoo writes ``'data': None`` into it,
    which XML-RPC cannot send ("cannot marshal None", fault 1 with a traceback); crm_core
    leaves the key out (Odoo's report_action itself, on a customer's contact sheet)."""
    admin = world["admin"]
    report = json2.xmlid("crm_core.action_report_contact_sheet")
    try:
        action = admin.rpc("ir.actions.report", "report_action", [report], world["shared"][:1])
    except xmlrpc.client.Fault as fault:
        pytest.fail(f"report_action over XML-RPC: {fault.faultString.strip()[-300:]}")
    if action["type"] == "ir.actions.act_window":
        # the company has no document layout yet: Odoo's layout configurator first, which
        # carries the report action in its context
        action = action["context"]["report_action"]
    assert action["type"] == "ir.actions.report", action
    assert action["report_name"] == "crm_core.report_contact_sheet", action
    assert "data" not in action, action
