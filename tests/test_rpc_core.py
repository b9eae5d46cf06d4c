"""crm_core through XML-RPC and JSON-2, as an integration would use it."""

import urllib.error

import pytest


def test_xmlrpc_customer_roundtrip(xmlrpc_env):
    partner_id = xmlrpc_env(
        "res.partner", "create", {"name": "XML-RPC Kunde GmbH", "is_company": True}
    )
    [partner] = xmlrpc_env(
        "res.partner", "read", [partner_id], fields=["name", "crm_debtor_number"]
    )
    assert partner["name"] == "XML-RPC Kunde GmbH"
    assert partner["crm_debtor_number"] is False
    assert xmlrpc_env("res.partner", "action_assign_debtor_number", [partner_id]) is True
    [partner] = xmlrpc_env("res.partner", "read", [partner_id], fields=["crm_debtor_number"])
    assert partner["crm_debtor_number"].isdigit()
    found = xmlrpc_env(
        "res.partner", "search", [("crm_debtor_number", "=", partner["crm_debtor_number"])]
    )
    assert found == [partner_id]


def test_json2_customer_roundtrip(json2):
    [partner_id] = json2(
        "res.partner",
        "create",
        vals_list=[{"name": "JSON-2 Zákazník s.r.o.", "is_company": True, "customer_rank": 1}],
    )
    [partner] = json2("res.partner", "read", ids=[partner_id], fields=["name", "crm_debtor_number"])
    assert partner["name"] == "JSON-2 Zákazník s.r.o."
    number = partner["crm_debtor_number"]
    assert number.isdigit()
    assert json2("res.partner", "action_assign_creditor_number", ids=[partner_id]) is True
    [partner] = json2("res.partner", "read", ids=[partner_id], fields=["crm_creditor_number"])
    assert partner["crm_creditor_number"].isdigit()
    # calling it again changes nothing
    json2("res.partner", "action_assign_debtor_number", ids=[partner_id])
    [partner] = json2("res.partner", "read", ids=[partner_id], fields=["crm_debtor_number"])
    assert partner["crm_debtor_number"] == number


def test_json2_refuses_private_methods_and_bad_keys(json2, odoo):
    with pytest.raises(urllib.error.HTTPError) as error:
        json2("res.partner", "_crm_assign_numbers", ids=[1], kind="debtor")
    assert error.value.code in (400, 403, 404)
    bad = dict(odoo, api_key="not-a-key")
    from conftest import Json2

    with pytest.raises(urllib.error.HTTPError) as error:
        Json2(bad)("res.partner", "search", domain=[])
    assert error.value.code == 401


@pytest.mark.parametrize("api", ["xmlrpc", "json2"])
def test_new_customer_by_rpc_speaks_its_countrys_language(xmlrpc_env, json2, api):
    """Issue 18: a customer an integration creates without a language gets its country's
    (a German address -> de_DE, a Czech one -> cs_CZ, both active with the demo data); a
    language given stays."""
    countries = {
        code: xmlrpc_env("res.country", "search", [("code", "=", code)])[0] for code in ("DE", "CZ")
    }
    vals_list = [
        {"name": f"RPC Sprache DE {api}", "is_company": True, "country_id": countries["DE"]},
        {"name": f"RPC jazyk CZ {api}", "is_company": True, "country_id": countries["CZ"]},
        {"name": f"RPC given {api}", "country_id": countries["CZ"], "lang": "de_DE"},
    ]
    if api == "xmlrpc":
        ids = xmlrpc_env("res.partner", "create", vals_list)
        rows = xmlrpc_env("res.partner", "read", ids, fields=["lang"])
    else:
        ids = json2("res.partner", "create", vals_list=vals_list)
        rows = json2("res.partner", "read", ids=ids, fields=["lang"])
    assert [row["lang"] for row in rows] == ["de_DE", "cs_CZ", "de_DE"]
