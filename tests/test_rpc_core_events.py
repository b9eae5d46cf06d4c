"""The customer's event log and GDPR export from outside (issue 24): every kind of field of a
customer changed over XML-RPC and each change found in the event log (read over JSON-2) with
its old and new value; bank account numbers masked for a plain CRM user in every way the
web client reads them; a second company's user sees none of the first company's events; the
export as one zip file for a CRM manager, refused for a plain user."""

import io
import json
import zipfile

import pytest
from websession import WebSession

IBAN = "DE89 3704 0044 0532 0130 00"
IBAN2 = "DE02 1203 0000 0000 2020 51"
MASKED = "**** **** **** **** **30 00"
PASSWORD = "Event-Log-2026!"


def _xmlid(xmlrpc_env, xmlid):
    module, name = xmlid.split(".")
    [data] = xmlrpc_env(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return data["res_id"]


def _user(xmlrpc_env, login, groups, company_id):
    found = xmlrpc_env("res.users", "search", [("login", "=", login)])
    if found:
        return found[0]
    return xmlrpc_env(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": PASSWORD,
            "company_id": company_id,
            "company_ids": [(6, 0, [company_id])],
            "group_ids": [(6, 0, [_xmlid(xmlrpc_env, g) for g in groups])],
        },
    )


@pytest.fixture(scope="module")
def customer(xmlrpc_env, json2):
    """A customer of the first company with every kind of field changed over XML-RPC."""
    [me] = xmlrpc_env(
        "res.users", "search_read", [("id", "=", xmlrpc_env.uid)], fields=["company_id"]
    )
    company_id = me["company_id"][0]
    rpc = xmlrpc_env
    partner_id = rpc(
        "res.partner",
        "create",
        {
            "name": "Ereignisprotokoll RPC GmbH",
            "is_company": True,
            "company_id": company_id,
            "street": "Alte Gasse 1",
            "crm_preferred_channel": "letter",
            "crm_birthday": "2020-01-31",
        },
    )
    tag = rpc("res.partner.category", "create", {"name": "Ereignis-Tag RPC"})
    currency = rpc("res.currency", "search", [("name", "=", "EUR")])[0]
    [term] = rpc("account.payment.term", "search", [], limit=1)
    classes = rpc("crm.partner.class", "search", [("company_id", "=", company_id)], limit=1)
    germany = rpc("res.country", "search", [("code", "=", "DE")])[0]
    fields = rpc("crm.custom.field", "search_read", [("name", "=", "Ereignis RPC")], fields=[])
    custom_id = (
        fields[0]["id"]
        if fields
        else rpc("crm.custom.field", "create", {"name": "Ereignis RPC", "field_type": "char"})
    )
    [custom] = rpc("crm.custom.field", "read", [custom_id], fields=["technical_name"])
    custom_name = custom["technical_name"]
    rpc(
        "res.partner",
        "write",
        [partner_id],
        {
            "street": "Neue Gasse 2",  # char
            "crm_preferred_channel": "visit",  # selection
            "crm_birthday": "2021-02-28",  # date
            "country_id": germany,  # many2one
            "category_id": [(4, tag)],  # many2many tags
            "crm_sale_currency_id": currency,  # definition (company dependent)
            "property_payment_term_id": term,  # definition (Odoo's)
            "crm_class_id": classes[0],  # class
            custom_name: "Wert RPC",  # user-defined field
            "child_ids": [
                (0, 0, {"name": "Petra Person", "type": "contact", "function": "Einkauf"}),
                (0, 0, {"name": "Lager Ost", "type": "delivery", "city": "Pirna"}),
            ],
            "bank_ids": [(0, 0, {"acc_number": IBAN})],
        },
    )
    [partner] = rpc("res.partner", "read", [partner_id], fields=["child_ids", "bank_ids"])
    children = rpc("res.partner", "read", partner["child_ids"], fields=["name", "type"])
    contact = next(c["id"] for c in children if c["type"] == "contact")
    address = next(c["id"] for c in children if c["type"] == "delivery")
    rpc("res.partner", "write", [contact], {"function": "Geschäftsführung"})
    rpc("res.partner", "write", [address], {"city": "Heidenau"})
    rpc("res.partner.bank", "write", partner["bank_ids"], {"acc_number": IBAN2})
    bank2 = rpc("res.partner.bank", "create", {"partner_id": partner_id, "acc_number": IBAN})
    rpc("res.partner.bank", "unlink", [bank2])
    rpc("res.partner", "unlink", [contact])
    return {
        "id": partner_id,
        "company_id": company_id,
        "custom": custom_name,
        "term": rpc("account.payment.term", "read", [term], fields=["display_name"])[0],
    }


def _events(json2, partner_id):
    return json2(
        "crm.partner.event",
        "search_read",
        domain=[("partner_id", "=", partner_id)],
        fields=[
            "kind",
            "record_kind",
            "field_name",
            "field_label",
            "old_value",
            "new_value",
            "res_name",
            "user_id",
            "date",
            "is_bank_data",
        ],
    )


def _find(events, **where):
    found = [e for e in events if all(e[k] == v for k, v in where.items())]
    assert len(found) == 1, f"{where}: {len(found)} events in {json.dumps(events)[:3000]}"
    return found[0]


def test_every_kind_of_change_is_logged(customer, json2):
    events = _events(json2, customer["id"])
    assert all(e["user_id"] and e["date"] for e in events)
    expected = {
        "street": ("Alte Gasse 1", "Neue Gasse 2"),
        "crm_preferred_channel": ("Letter", "Visit"),
        "country_id": (False, "Germany"),
        "category_id": (False, "Ereignis-Tag RPC"),
        "crm_sale_currency_id": (False, "EUR"),
        "property_payment_term_id": (False, customer["term"]["display_name"]),
        customer["custom"]: (False, "Wert RPC"),
    }
    for name, (old, new) in expected.items():
        event = _find(events, field_name=name, record_kind="customer")
        assert (event["old_value"], event["new_value"]) == (old, new), event
    birthday = _find(events, field_name="crm_birthday")
    assert "2020" in birthday["old_value"] and "2021" in birthday["new_value"]
    assert _find(events, field_name="crm_class_id")["new_value"]
    # contact person added, changed, removed; address added and changed
    assert _find(events, kind="created", record_kind="contact")["new_value"].endswith(
        "Petra Person"
    )
    function = _find(events, field_name="function", record_kind="contact")
    assert (function["old_value"], function["new_value"]) == ("Einkauf", "Geschäftsführung")
    assert _find(events, kind="removed", record_kind="contact")["old_value"].endswith(
        "Petra Person"
    )
    _find(events, kind="created", record_kind="address")
    city = _find(events, field_name="city", record_kind="address")
    assert (city["old_value"], city["new_value"]) == ("Pirna", "Heidenau")
    # bank accounts added, changed, removed (the administrator sees complete numbers)
    number = _find(events, field_name="acc_number", record_kind="bank")
    assert (number["old_value"], number["new_value"]) == (IBAN, IBAN2)
    assert number["is_bank_data"]
    assert len([e for e in events if e["kind"] == "created" and e["record_kind"] == "bank"]) == 2
    _find(events, kind="removed", record_kind="bank")
    # newest first
    dates = [e["date"] for e in events]
    assert dates == sorted(dates, reverse=True)


def test_bank_numbers_masked_for_plain_user(customer, xmlrpc_env, odoo):
    _user(
        xmlrpc_env,
        "event_plain_rpc",
        ["crm_core.group_user", "base.group_allow_export"],
        customer["company_id"],
    )
    session = WebSession(odoo, "event_plain_rpc", PASSWORD)
    domain = [("partner_id", "=", customer["id"]), ("is_bank_data", "=", True)]
    ids = session.call_kw("crm.partner.event", "search", [domain])
    assert len(ids) == 4
    answers = [
        session.call_kw("crm.partner.event", "read", [ids, ["old_value", "new_value"]]),
        session.call_kw(
            "crm.partner.event", "search_read", [domain], {"fields": ["old_value", "new_value"]}
        ),
        session.call_kw(
            "crm.partner.event",
            "web_read",
            [ids],
            {"specification": {"old_value": {}, "new_value": {}, "display_name": {}}},
        ),
        session.call_kw(
            "crm.partner.event",
            "web_search_read",
            [domain],
            {"specification": {"old_value": {}, "new_value": {}, "res_name": {}}},
        ),
        session.call_kw(
            "crm.partner.event", "export_data", [ids, ["old_value", "new_value", "res_name"]]
        ),
    ]
    text = json.dumps(answers)
    assert "3704" not in text and "1203" not in text and "2020 51" not in text
    assert MASKED in text
    # the complete numbers' fields do not exist for this user (Odoo refuses to read them)
    fields = session.call_kw("crm.partner.event", "fields_get", [], {"attributes": ["type"]})
    assert "old_value" in fields
    assert "old_value_full" not in fields and "new_value_full" not in fields


def _company2(xmlrpc_env):
    found = xmlrpc_env("res.company", "search", [("name", "=", "Ereignis Zweitfirma s.r.o.")])
    return (
        found[0]
        if found
        else xmlrpc_env("res.company", "create", {"name": "Ereignis Zweitfirma s.r.o."})
    )


def _export(session, partner_id):
    """(status, personal_data.json or None, body) of the route for this id."""
    status, body = session.request("GET", f"/crm_core/personal_data/{partner_id}")
    if status != 200:
        return status, None, body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return status, json.loads(archive.read("personal_data.json")), body


def test_second_company_sees_no_events(customer, xmlrpc_env, odoo):
    company2 = _company2(xmlrpc_env)
    _user(xmlrpc_env, "event_company2_rpc", ["crm_core.group_manager"], company2)
    session = WebSession(odoo, "event_company2_rpc", PASSWORD)
    assert (
        session.call_kw(
            "crm.partner.event", "search_count", [[("partner_id", "=", customer["id"])]]
        )
        == 0
    )
    status, body = session.request("GET", f"/crm_core/personal_data/{customer['id']}")
    assert status == 404 and b"Ereignisprotokoll" not in body


def test_personal_data_export(customer, xmlrpc_env, odoo):
    _user(
        xmlrpc_env,
        "event_plain_rpc",
        ["crm_core.group_user", "base.group_allow_export"],
        customer["company_id"],
    )
    plain = WebSession(odoo, "event_plain_rpc", PASSWORD)
    status, body = plain.request("GET", f"/crm_core/personal_data/{customer['id']}")
    assert status == 403 and b"Only CRM managers" in body
    for wrong in ("abc", "0", "99999999999", "-1"):
        status, _body = plain.request("GET", f"/crm_core/personal_data/{wrong}")
        assert status in (403, 404), (wrong, status)
    admin = WebSession(odoo)
    action = admin.call_kw("res.partner", "action_crm_export_personal_data", [[customer["id"]]])
    status, body = admin.request("GET", action["url"])
    assert status == 200, body[:1000]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = json.loads(archive.read("personal_data.json"))
    assert data["partner"]["name"] == "Ereignisprotokoll RPC GmbH"
    assert data["partner"]["street"] == "Neue Gasse 2"
    assert [a["city"] for a in data["addresses"]] == ["Heidenau"]
    # the removed account is kept archived by Odoo's accounting: it is data we hold
    accounts = {b["acc_number"]: b["active"] for b in data["bank_accounts"]}
    assert accounts == {IBAN2: "Yes", IBAN: "No"}, accounts
    assert data["user_defined_fields"]["Ereignis RPC"] == "Wert RPC"
    assert any(e["field"] and e["new_value"] == "Neue Gasse 2" for e in data["events"])
    for section in (
        "crm_chronicle.entries",
        "crm_telephony.calls",
        "crm_scan.documents",
        "crm_billing_sepa.mandates",
        "crm_billing_sepa.dunning_letters",
        "crm_routing.visits",
        "invoices",
        "messages",
        "definitions",
    ):
        assert section in data, section
    events = xmlrpc_env(
        "crm.partner.event",
        "search_read",
        [("partner_id", "=", customer["id"]), ("kind", "=", "exported")],
        fields=["user_id"],
    )
    assert events


def test_personal_data_route_hostile_probes(customer, xmlrpc_env, odoo, server_log):
    """The export route probed from outside: another company's manager gets a 404 that
    names nothing (as for a customer that does not exist); ids too large for PostgreSQL,
    negative, zero, no numbers are 404s; a contact person's id exports its customer, an
    archived customer is exported, a customer with no data at all too; a plain user gets a
    403. Never a 500, nothing at WARNING or above in the server's log."""
    rpc = xmlrpc_env
    mark = server_log.mark() if server_log else None
    company2 = _company2(rpc)
    _user(rpc, "event_company2_rpc", ["crm_core.group_manager"], company2)
    _user(
        rpc,
        "event_plain_rpc",
        ["crm_core.group_user", "base.group_allow_export"],
        customer["company_id"],
    )
    admin = WebSession(odoo)
    manager2 = WebSession(odoo, "event_company2_rpc", PASSWORD)
    plain = WebSession(odoo, "event_plain_rpc", PASSWORD)
    their_own = rpc(
        "res.partner",
        "create",
        {"name": "Zweitfirma Kunde DSGVO", "is_company": True, "company_id": company2},
    )
    # another company's customer: as if it did not exist, naming nothing
    for session in (manager2, plain):
        status, data, body = _export(session, customer["id"] if session is manager2 else their_own)
        assert status == 404 and data is None, status
        for secret in (b"Ereignisprotokoll", b"Zweitfirma Kunde", b"Traceback", b"PK\x03\x04"):
            assert secret not in body
    status, data, _body = _export(manager2, their_own)
    assert status == 200 and data["partner"]["name"] == "Zweitfirma Kunde DSGVO"
    # ids that are none of a customer
    wrong_ids = (
        str(2**63),
        str(2**63 - 1),
        str(10**30),
        str(2**31),
        str(2**31 - 1),
        "-1",
        "0",
        "00",
        "abc",
        "1e3",
        "1.5",
        "%201",
        "0x10",
        "%00",
        "1;2",
        "1/2",
    )
    for session in (admin, manager2, plain):
        for wrong in wrong_ids:
            status, data, body = _export(session, wrong)
            assert status == 404 and data is None, (wrong, status, body[:300])
    # a contact person's id: its customer's export, the person in it
    contact = rpc(
        "res.partner",
        "create",
        {"name": "Kontakt DSGVO", "parent_id": customer["id"], "type": "contact"},
    )
    status, data, _body = _export(admin, contact)
    assert status == 200
    assert data["partner"]["name"] == "Ereignisprotokoll RPC GmbH"
    assert "Kontakt DSGVO" in [person["name"] for person in data["contact_persons"]]
    # an archived customer (and archived contact persons) are data we hold
    archived = rpc("res.partner", "create", {"name": "Archiviert DSGVO", "is_company": True})
    rpc("res.partner", "create", {"name": "Alt Kontakt", "parent_id": archived})
    rpc("res.partner", "write", [archived], {"active": False})
    status, data, _body = _export(admin, archived)
    assert status == 200 and data["partner"]["name"] == "Archiviert DSGVO"
    assert [person["name"] for person in data["contact_persons"]] == ["Alt Kontakt"]
    # a plain user of the customer's company: refused with the reason
    status, data, body = _export(plain, customer["id"])
    assert status == 403 and data is None and b"Only CRM managers" in body
    # a customer with nothing but a name
    empty = rpc("res.partner", "create", {"name": "Leer DSGVO"})
    status, data, _body = _export(admin, empty)
    assert status == 200
    assert data["partner"]["name"] == "Leer DSGVO"
    assert data["contact_persons"] == [] and data["bank_accounts"] == []
    assert data["files"] == []
    # the exports are in the event log; nothing went wrong on the server
    exported = rpc(
        "crm.partner.event",
        "search_count",
        [("partner_id", "in", [empty, archived, customer["id"]]), ("kind", "=", "exported")],
    )
    assert exported >= 3
    if server_log:
        bad = server_log.bad_lines(mark)
        assert not bad, "\n".join(bad[:40])
