"""crm_billing_sepa attacked from outside (issue 17), as a careless or hostile integration
would: over JSON-2 and XML-RPC, as users of each group of the addon.

- one control character in a debtor name never stops a debit run: the file is written
  (and validates against its XSD), a record that cannot be written is left out with its
  reason;
- states change only through actions: a direct write is refused with a clear error for
  every group, the actions still work;
- wrong arguments (types, None, empty, huge, control characters, broken base64, hostile
  XML, ids of nothing or of another company) get an error naming the argument, never a
  traceback.
"""

import base64
import datetime
import json
import os
import urllib.error
import urllib.request
import xmlrpc.client

import pytest
import sepaxml
from conftest import Json2, XmlRpc
from lxml import etree
from sepa_company import sepa_company  # tests/sepa_company.py
from websession import WebSession  # tests/websession.py

IBANS = ["DE02120300000000202051", "DE02100100100006820101", "DE45120300001234567890"]
SCHEMAS = os.path.join(os.path.dirname(sepaxml.__file__), "schemas")
PASSWORD = "Trust-17-secret"


class RpcUser:
    """One user of the test, with an XML-RPC client (login, password) and a JSON-2 client
    (an API key the user made for itself, through Odoo's identity check)."""

    def __init__(self, odoo, login):
        self.login = login
        self.xmlrpc = XmlRpc(dict(odoo, login=login, password=PASSWORD))
        self.uid = self.xmlrpc.uid
        self.json2 = Json2(dict(odoo, api_key=_api_key(odoo, login)))


def _api_key(odoo, login):
    """An API key the user makes for itself in a web session, as in Preferences: Odoo
    asks for the password again (identity check) before it shows the key."""
    return WebSession(odoo, login, PASSWORD).new_api_key("trust test")


def json2_error(client, model, method, **params):
    """The error a JSON-2 call answers with: (HTTP status, Odoo's error body)."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        client(model, method, **params)
    return caught.value.code, json.loads(caught.value.read())


def xmlrpc_error(call, model, method, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(model, method, *args, **kwargs)
    return caught.value


def assert_argument_error(status, body, *words, error="ArgumentError"):
    assert 400 <= status < 500, (status, body)
    assert body["name"].endswith(error), body
    assert "Traceback" not in body["message"], body
    for word in words:
        assert word in body["message"], (word, body["message"])


@pytest.fixture(scope="module")
def setup(odoo, json2):
    company_id, eur = sepa_company(json2)
    groups = {
        "crm_user": "crm_core.group_user",
        "crm_manager": "crm_core.group_manager",
        "billing": "crm_billing_sepa.group_billing",
        "sepa_manager": "crm_billing_sepa.group_sepa_manager",
    }
    users = {}
    for key, xmlid in groups.items():
        login = f"trust17_{key}"
        module, name = xmlid.split(".")
        [group] = json2(
            "ir.model.data",
            "search_read",
            domain=[("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        vals = {
            "company_id": company_id,
            "company_ids": [[6, 0, [company_id]]],
            "group_ids": [[6, 0, [group["res_id"]]]],
        }
        existing = json2("res.users", "search", domain=[("login", "=", login)])
        if existing:
            json2("res.users", "write", ids=existing, vals=vals)
        else:
            json2(
                "res.users",
                "create",
                vals_list=[{"name": f"Trust {key}", "login": login, "password": PASSWORD} | vals],
            )
        users[key] = RpcUser(odoo, login)
    return {"company_id": company_id, "eur": eur, "users": users}


def _customer(json2, name, iban, eur, state="active", signed="2025-01-15", amount=10.0):
    [partner] = json2("res.partner", "create", vals_list=[{"name": name, "is_company": True}])
    [bank] = json2(
        "res.partner.bank", "create", vals_list=[{"acc_number": iban, "partner_id": partner}]
    )
    [mandate] = json2(
        "crm.sepa.mandate",
        "create",
        vals_list=[{"partner_id": partner, "bank_account_id": bank, "signature_date": signed}],
    )
    if state == "active":
        json2("crm.sepa.mandate", "action_activate", ids=[mandate])
    invoice = None
    if amount:
        due = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        [invoice] = json2(
            "account.move",
            "create",
            vals_list=[
                {
                    "move_type": "out_invoice",
                    "partner_id": partner,
                    "currency_id": eur,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        [0, 0, {"name": "Abo", "price_unit": amount, "tax_ids": [[5, 0, 0]]}]
                    ],
                }
            ],
        )
        json2("account.move", "action_post", ids=[invoice])
    return partner, mandate, invoice


# ----------------------------------------------------------------------------------------------
# States change only through actions
# ----------------------------------------------------------------------------------------------
def test_direct_state_writes_are_refused_for_every_group(setup, json2, xmlrpc_env):
    users = setup["users"]
    _partner, mandate, _invoice = _customer(
        json2, "Trust Entwurf GmbH", IBANS[0], setup["eur"], state="draft", signed=False, amount=0
    )
    clients = [("admin", json2, xmlrpc_env)] + [
        (key, user.json2, user.xmlrpc) for key, user in users.items()
    ]
    for key, j2, xr in clients:
        status, body = json2_error(
            j2, "crm.sepa.mandate", "write", ids=[mandate], vals={"state": "active"}
        )
        assert_argument_error(
            status, body, "State changes only through its actions", "Activate", error="StateError"
        )
        fault = xmlrpc_error(xr, "crm.sepa.mandate", "write", [mandate], {"state": "active"})
        assert "State changes only through its actions" in fault.faultString, key
        assert "Traceback" not in fault.faultString, key
    [read] = json2("crm.sepa.mandate", "read", ids=[mandate], fields=["state"])
    assert read["state"] == "draft"
    # a dunning run, written by those who may write runs
    [run] = users["billing"].json2("crm.dunning.run", "create", vals_list=[{}])
    for key in ("billing", "sepa_manager"):
        status, body = json2_error(
            users[key].json2, "crm.dunning.run", "write", ids=[run], vals={"state": "done"}
        )
        assert_argument_error(
            status, body, "State changes only through its actions", error="StateError"
        )
        fault = xmlrpc_error(users[key].xmlrpc, "crm.dunning.run", "create", [{"state": "done"}])
        assert "State changes only through its actions" in fault.faultString
    # the actions still work, and check what they must
    crm = users["crm_user"]
    crm.json2("crm.sepa.mandate", "write", ids=[mandate], vals={"signature_date": "2025-02-01"})
    assert crm.json2("crm.sepa.mandate", "action_activate", ids=[mandate]) is True
    assert crm.xmlrpc("crm.sepa.mandate", "action_revoke", [mandate], reason="per Brief") is True
    [read] = json2("crm.sepa.mandate", "read", ids=[mandate], fields=["state", "revocation_reason"])
    assert (read["state"], read["revocation_reason"]) == ("revoked", "per Brief")
    assert users["billing"].json2("crm.dunning.run", "action_confirm", ids=[run]) is True


# ----------------------------------------------------------------------------------------------
# Regulated formats never break
# ----------------------------------------------------------------------------------------------
def _validate_pain(content):
    root = etree.fromstring(content)
    version = etree.QName(root).namespace.rsplit(":", 1)[-1]
    schema = etree.XMLSchema(etree.parse(os.path.join(SCHEMAS, f"{version}.xsd")))
    assert schema.validate(root), list(schema.error_log)[:3]
    ns = {"p": etree.QName(root).namespace}
    return {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns): tx.findtext(
            "p:Dbtr/p:Nm", namespaces=ns
        )
        for tx in root.iterfind(".//p:DrctDbtTxInf", ns)
    }


def test_a_soft_line_break_never_stops_the_debit_run(setup, json2):
    """The finding: a debtor name with Word's soft line break (U+000B) made
    create_debit_batches answer 500. Now the name is transliterated to the EPC set, the
    file validates, a name with no SEPA character left is skipped with its reason and the
    others are collected."""
    eur = setup["eur"]
    manager = setup["users"]["sepa_manager"]
    names = ["Müller\x0bHandel GmbH", 'Kraus & Söhne <"Alt">', "王小明", "Dvořák s.r.o.\u202e"]
    invoices = []
    for index, name in enumerate(names):
        _partner, _mandate, invoice = _customer(json2, name, IBANS[index % 3], eur)
        invoices.append(invoice)
    result = manager.json2("crm.sepa.batch", "create_debit_batches", invoice_ids=invoices)
    assert len(result["batch_ids"]) == 1
    [skipped] = result["errors"]
    assert skipped["invoice_id"] == invoices[2]
    assert "王小明" in skipped["message"] and "SEPA" in skipped["message"]
    [batch] = manager.json2(
        "crm.sepa.batch",
        "read",
        ids=result["batch_ids"],
        fields=["file", "line_ids", "skipped_note"],
    )
    names_in_file = _validate_pain(base64.b64decode(batch["file"]))
    assert sorted(names_in_file.values()) == [
        "Dvorak s.r.o.",
        "Kraus + Soehne 'Alt'",
        "Mueller Handel GmbH",
    ]
    assert "王小明" in batch["skipped_note"]
    [again] = manager.xmlrpc("account.move", "read", [invoices[2]], ["payment_state"])
    assert again["payment_state"] == "not_paid"


# ----------------------------------------------------------------------------------------------
# Wrong arguments are named, never a traceback
# ----------------------------------------------------------------------------------------------
XXE = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><x>&x;</x></Document>"""
LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><x>&c;</x></Document>"""


@pytest.mark.parametrize(
    ("model", "method", "params", "words"),
    [
        ("crm.sepa.batch", "create_debit_batches", {"invoice_ids": "all"}, ["invoice_ids"]),
        ("crm.sepa.batch", "create_debit_batches", {"invoice_ids": [0, -1]}, ["invoice_ids"]),
        ("crm.sepa.batch", "create_debit_batches", {"partner_ids": [2**31 - 1]}, ["partner_ids"]),
        ("crm.sepa.batch", "create_debit_batches", {"due_date_to": "tomorrow"}, ["due_date_to"]),
        ("crm.sepa.batch", "create_debit_batches", {"company_id": 999999}, ["company_id"]),
        ("crm.sepa.batch", "create_transfer_batches", {"move_ids": {"a": 1}}, ["move_ids"]),
        ("crm.sepa.batch.line", "import_camt054", {"content": "%%% not base64"}, ["content"]),
        ("crm.sepa.batch.line", "import_camt054", {"content": None}, ["content"]),
        ("crm.sepa.batch.line", "import_camt054", {"content": ""}, ["content"]),
        (
            "crm.sepa.batch.line",
            "import_camt054",
            {"content": base64.b64encode(XXE).decode()},
            ["content", "DOCTYPE"],
        ),
        (
            "crm.sepa.batch.line",
            "import_camt054",
            {"content": base64.b64encode(LAUGHS).decode()},
            ["content"],
        ),
        (
            "crm.sepa.batch.line",
            "import_camt054",
            {"content": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()},
            ["content", "not well-formed"],
        ),
        (
            "crm.sepa.batch.line",
            "import_camt054",
            {"content": base64.b64encode(b"<a>" * 300 + b"</a>" * 300).decode()},
            ["content"],
        ),
        ("crm.dunning.run", "run_dunning", {"date": "2026-13-45"}, ["date"]),
        ("crm.dunning.run", "run_dunning", {"fee_mode": "all"}, ["fee_mode"]),
        ("crm.dunning.run", "run_dunning", {"confirm": "yes"}, ["confirm"]),
        ("crm.service", "invoice_services", {"group_by": "month"}, ["group_by"]),
        ("crm.service", "invoice_services", {"partner_ids": [0]}, ["partner_ids"]),
        (
            "crm.service",
            "invoice_services",
            {"date_from": "2026-03-01", "date_to": "2026-01-01"},
            ["date_from"],
        ),
    ],
)
def test_wrong_arguments_are_named(setup, model, method, params, words):
    manager = setup["users"]["sepa_manager"]
    status, body = json2_error(manager.json2, model, method, ids=[], **params)
    assert_argument_error(status, body, *words)
    # XML-RPC passes ids as the first argument of record methods only
    ids = [[]] if method == "invoice_services" else []
    fault = xmlrpc_error(manager.xmlrpc, model, method, *ids, **params)
    assert words[0] in fault.faultString
    assert "Traceback" not in fault.faultString


def test_wrong_arguments_of_record_methods_are_named(setup, json2):
    manager = setup["users"]["sepa_manager"]
    _partner, mandate, _invoice = _customer(
        json2, "Trust Argumente", IBANS[1], setup["eur"], amount=0
    )
    for params, word in (
        ({"reason": "x" * 100_000}, "reason"),
        ({"reason": "Brief\x00"}, "reason"),
        ({"reason": 42}, "reason"),
    ):
        status, body = json2_error(
            manager.json2, "crm.sepa.mandate", "action_revoke", ids=[mandate], **params
        )
        assert_argument_error(status, body, word)
    for params, word in (
        ({"reason": "XX99"}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "AM04", "return_date": "03/09/2026"}, "return_date"),
        ({"reason": "AM04", "charge_fee": "no"}, "charge_fee"),
        ({"reason": "AM04", "info": "Rückgabe\x0bBank"}, "info"),
    ):
        status, body = json2_error(
            manager.json2, "crm.sepa.batch.line", "register_return", ids=[], **params
        )
        assert_argument_error(status, body, word)
