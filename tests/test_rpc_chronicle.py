"""crm_chronicle through JSON-2 and XML-RPC, as an integration (PBX, scanner, shop) logs
into a customer's chronicle."""

import urllib.error

import pytest


def test_json2_crm_log_roundtrip(json2):
    [partner_id] = json2(
        "res.partner", "create", vals_list=[{"name": "RPC Chronik GmbH", "is_company": True}]
    )
    entry_ids = json2(
        "crm.chronicle.entry",
        "crm_log",
        partner=partner_id,
        type_code="call",
        subject="Incoming call from the PBX",
        body="<p>caller-ID matched</p>",
        duration=0.1,
        source=f"res.partner,{partner_id}",
        resubmission_date="2030-01-02",
    )
    entry_id = entry_ids[0] if isinstance(entry_ids, list) else entry_ids
    [entry] = json2(
        "crm.chronicle.entry",
        "read",
        ids=[entry_id],
        fields=["partner_id", "type_code", "name", "state", "resubmission_date", "source_name"],
    )
    assert entry["partner_id"][0] == partner_id
    assert entry["type_code"] == "call"
    assert entry["name"] == "Incoming call from the PBX"
    assert entry["state"] == "open"
    assert entry["resubmission_date"].startswith("2030-01-0")
    assert entry["source_name"] == "RPC Chronik GmbH"


def test_json2_crm_log_bad_type_is_a_clear_error(json2):
    [partner_id] = json2("res.partner", "create", vals_list=[{"name": "RPC Fehler GmbH"}])
    with pytest.raises(urllib.error.HTTPError) as error:
        json2("crm.chronicle.entry", "crm_log", partner=partner_id, type_code="fax", subject="x")
    body = error.value.read().decode()
    assert "no chronicle entry type with the code 'fax'" in body
    count = json2("crm.chronicle.entry", "search_count", domain=[("partner_id", "=", partner_id)])
    assert count == 0


def test_xmlrpc_crm_log(xmlrpc_env):
    partner_id = xmlrpc_env("res.partner", "create", {"name": "XML-RPC Chronik"})
    result = xmlrpc_env("crm.chronicle.entry", "crm_log", partner_id, "letter", "Letter sent")
    entry_id = result[0] if isinstance(result, list) else result
    [entry] = xmlrpc_env("crm.chronicle.entry", "read", [entry_id], fields=["type_code"])
    assert entry["type_code"] == "letter"
