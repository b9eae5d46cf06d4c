"""crm_telephony attacked from outside (issue 17): lookup_caller and action_dial answer
wrong arguments with an error naming the argument, over JSON-2 and XML-RPC; the facts of a
call (its state, type, times, numbers) and the box's status change only through the call
monitor, the call list, click-to-dial and "Test Connection"; the box password stays with
the administrators."""

import random
import re
import xmlrpc.client

import pytest
from conftest import XmlRpc

BAD_NUMBERS = [
    None,
    "",
    "   ",
    42,
    ["0351 4445566"],
    {"number": "0351"},
    "0" * 65,
    "0351\x00444",
    "0351\n444",
    "0351\x1b[2J",
]


@pytest.mark.parametrize("number", BAD_NUMBERS, ids=repr)
def test_lookup_caller_wrong_number_json2(json2_refused, number):
    status, error = json2_refused("res.partner", "lookup_caller", number=number)
    assert status == 422, error
    assert error["name"] == "odoo.addons.crm_core.tools.boundary.ArgumentError"
    assert error["message"].startswith("res.partner.lookup_caller: the argument number must")


# XML 1.0 cannot carry NUL or ESC: those go over JSON-2 only
@pytest.mark.parametrize(
    "number", [n for n in BAD_NUMBERS if not (isinstance(n, str) and re.search("[\x00\x1b]", n))]
)
def test_lookup_caller_wrong_number_xmlrpc(xmlrpc_env, number):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        xmlrpc_env("res.partner", "lookup_caller", number)
    assert "res.partner.lookup_caller: the argument number must" in caught.value.faultString


@pytest.mark.parametrize("region", ["XX", "de-DE", 49, "", "D\x00"], ids=repr)
def test_lookup_caller_wrong_region(json2, region, json2_refused):
    status, error = json2_refused(
        "res.partner", "lookup_caller", number="0351 4445566", region=region
    )
    if region == "":
        # an empty region is "no region": the company's country
        assert status == 200
        return
    assert status == 422, error
    assert "lookup_caller: the argument region must" in error["message"]


def test_lookup_caller_unicode_and_unknown(json2):
    # a subscriber number no customer has (other tests change customers' numbers), written
    # with a symbol and in Arabic-Indic digits
    digits = str(random.randrange(10**7, 10**8))
    arabic = "".join(chr(0x0660 + int(d)) for d in "0351" + digits)
    for number in (f"☎ 0351 {digits}", arabic, "+49 351 99999999999999", "**610"):
        assert json2("res.partner", "lookup_caller", number=number) is False


def test_action_dial_arguments(json2, json2_refused):
    cases = [
        ({"number": None}, "argument number must"),
        ({"number": "0351 1", "res_model": "no.such.model", "res_id": 1}, "argument res_model"),
        ({"number": "0351 1", "res_model": "res.partner", "res_id": 2**30}, "argument res_id"),
        ({"number": "0351 1", "res_model": "res.partner", "res_id": "7"}, "argument res_id"),
        ({"number": "0351 1", "res_id": -1}, "argument res_id"),
        ({"number": "0351 1", "extension": "**610"}, "extension"),
    ]
    for params, expected in cases:
        status, error = json2_refused("crm.phone.call", "action_dial", **params)
        assert status == 422, (params, error)
        # (an argument the method does not take: JSON-2 answers it by itself)
        assert expected in error["message"], (params, error["message"])


def test_call_facts_only_from_the_box(json2, xmlrpc_env, json2_refused):
    [call] = json2(
        "crm.phone.call", "search_read", domain=[], fields=["state", "call_type"], limit=1
    )
    other_type = "incoming" if call["call_type"] != "incoming" else "missed"
    for vals in ({"state": "ringing"}, {"duration": 99999}, {"call_type": other_type}):
        status, error = json2_refused("crm.phone.call", "write", ids=[call["id"]], vals=vals)
        assert status == 422, vals
        assert (
            "changes only through its actions (the Fritz!Box's call monitor" in (error["message"])
        )
        with pytest.raises(xmlrpc.client.Fault):
            xmlrpc_env("crm.phone.call", "write", [call["id"]], vals)
    # what people add to a call stays writable
    assert json2("crm.phone.call", "write", ids=[call["id"]], vals={"note": "Rückruf"})
    [after] = json2("crm.phone.call", "read", ids=[call["id"]], fields=["state", "note"])
    assert (after["state"], after["note"]) == (call["state"], "Rückruf")
    # nobody records calls by hand (asked without provoking the AccessError)
    assert json2("crm.phone.call", "has_access", operation="create") is False


def test_box_status_only_through_its_actions(json2, json2_refused):
    [box] = json2("crm.telephony.box", "search", domain=[], limit=1)
    for vals in ({"state": "ok"}, {"monitor_state": "connected"}):
        status, error = json2_refused("crm.telephony.box", "write", ids=[box], vals=vals)
        assert status == 422, vals
        assert "Test connection" in error["message"]


def test_box_password_for_administrators_only(odoo, xmlrpc_env):
    """A CRM manager (not an administrator) is not offered the TR-064 password and does not
    get it when reading the box; the administrator does."""
    group = xmlrpc_env("ir.model.data", "check_object_reference", "crm_core", "group_manager")[1]
    xmlrpc_env(
        "res.users",
        "create",
        [
            {
                "name": "Trust Telephony Manager",
                "login": "trust_tel_mgr",
                "password": "trust-Tel-Mgr-1",
                "group_ids": [(6, 0, [group])],
            }
        ],
    )
    manager = XmlRpc(dict(odoo, login="trust_tel_mgr", password="trust-Tel-Mgr-1"))
    [box] = xmlrpc_env("crm.telephony.box", "search", [], limit=1)
    xmlrpc_env("crm.telephony.box", "write", [box], {"password": "geheim-4711"})
    # (reading the field would be an AccessError, which Odoo logs at WARNING: the Odoo test
    # TestBoxAccess.test_password_for_administrators_only proves that)
    fields = manager("crm.telephony.box", "fields_get")
    assert "password" not in fields and "host" in fields
    [values] = manager("crm.telephony.box", "read", [box])
    assert "password" not in values and "geheim-4711" not in repr(values)
    assert xmlrpc_env("crm.telephony.box", "read", [box], ["password"])[0]["password"] == (
        "geheim-4711"
    )
