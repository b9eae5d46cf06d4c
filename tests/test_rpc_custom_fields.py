"""A user-defined field deleted over RPC (issue 24, the customer's event log): afterwards
partners and users are read and written, the partner form opens (get_views, web_read,
onchange) and the event log with the deleted field's changes is read - over XML-RPC,
JSON-2 and the web client's session, as a CRM manager and as a plain CRM user - without an
error, and without a warning or traceback in the server's log."""

import json
import re

from websession import WebSession

PASSWORD = "Custom-Field-2026!"


def _group_ids(xmlrpc_env, xmlids):
    ids = []
    for xmlid in xmlids:
        module, name = xmlid.split(".")
        [data] = xmlrpc_env(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        ids.append(data["res_id"])
    return ids


def _login(xmlrpc_env, login, groups):
    if not xmlrpc_env("res.users", "search", [("login", "=", login)]):
        xmlrpc_env(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "group_ids": [(6, 0, _group_ids(xmlrpc_env, groups))],
            },
        )
    return login


def test_deleted_custom_field_leaves_partners_users_and_events_working(
    xmlrpc_env, json2, odoo, server_log
):
    rpc = xmlrpc_env
    mark = server_log.mark() if server_log else None
    field_ids = {}
    for label, field_type in (("Gelöscht Text RPC", "char"), ("Gelöscht Link RPC", "many2one")):
        field_ids[label] = rpc(
            "crm.custom.field", "create", {"name": label, "field_type": field_type}
        )
    names = {
        label: rpc("crm.custom.field", "read", [fid], fields=["technical_name"])[0][
            "technical_name"
        ]
        for label, fid in field_ids.items()
    }
    text, link = names["Gelöscht Text RPC"], names["Gelöscht Link RPC"]
    other = rpc("res.partner", "create", {"name": "Verknüpft RPC GmbH", "is_company": True})
    partner_id = rpc(
        "res.partner",
        "create",
        {"name": "Feld gelöscht RPC GmbH", "is_company": True, text: "vorher"},
    )
    rpc("res.partner", "write", [partner_id], {text: "Wert", link: other})
    # the administrator's user (a res.partner by _inherits) has the fields as well
    rpc("res.users", "write", [rpc.uid], {text: "Admin-Wert"})
    manager = _login(
        rpc, "customfield_manager_rpc", ["crm_core.group_manager", "base.group_allow_export"]
    )
    plain = _login(rpc, "customfield_plain_rpc", ["crm_core.group_user", "base.group_allow_export"])
    # sessions opened before the deletion (their registry is the old one)
    sessions = {login: WebSession(odoo, login, PASSWORD) for login in (manager, plain)}
    for session in sessions.values():
        session.call_kw("res.partner", "web_read", [[partner_id]], {"specification": {text: {}}})
    rpc("crm.custom.field", "unlink", list(field_ids.values()))

    # XML-RPC: partners and users read (every field) and written
    fields = rpc("res.partner", "fields_get", [], attributes=["type"])
    assert text not in fields and link not in fields
    assert text not in rpc("res.users", "fields_get", [], attributes=["type"])
    [partner] = rpc("res.partner", "read", [partner_id])
    assert text not in partner and partner["name"] == "Feld gelöscht RPC GmbH"
    users = rpc("res.users", "read", [rpc.uid])
    assert users and text not in users[0]
    rpc("res.users", "write", [rpc.uid], {"signature": "<p>nach dem Löschen</p>"})
    rpc("res.partner", "write", [partner_id], {"street": "Nach dem Löschen 1"})
    rpc("res.users", "search_read", [("id", "=", rpc.uid)], fields=[])
    rpc("res.partner", "search_read", [("id", "=", partner_id)], fields=[])
    # JSON-2 (the same server, another entry)
    assert json2("res.users", "read", ids=[rpc.uid], fields=["name", "partner_id"])
    assert json2("res.partner", "web_read", ids=[partner_id], specification={"name": {}})

    # the web client, for the manager, a plain user and the administrator: the form and
    # the event log
    sessions["admin"] = WebSession(odoo)
    for login, session in sessions.items():
        views = session.call_kw(
            "res.partner", "get_views", [], {"views": [[False, "form"], [False, "list"]]}
        )
        arch = views["views"]["form"]["arch"]
        assert text not in arch and link not in arch, login
        # what the web client reads: the fields of the form (not those of its subviews)
        described = views["models"]["res.partner"]["fields"]
        spec = {
            name: {}
            for name in re.findall(r'<field name="([a-z0-9_]+)"', arch)
            if name in described
            and described[name]["type"] not in ("one2many", "many2many", "properties")
        }
        [record] = session.call_kw(
            "res.partner", "web_read", [[partner_id]], {"specification": spec}
        )
        assert record["id"] == partner_id, login
        session.call_kw(
            "res.partner",
            "onchange",
            [[], {"name": "Neu"}, [], {"name": {}, "street": {}}],
        )
        session.call_kw("res.users", "web_read", [[rpc.uid]], {"specification": {"name": {}}})
        # (the link to Odoo's ir.model.fields, set empty by the deletion: for the
        # administrator; the others export and read the label and the name)
        technical = ["field_id"] if login == "admin" else []
        spec = {
            name: {}
            for name in ("field_name", "field_label", "old_value", "new_value", "display_name")
        }
        spec.update({name: {"fields": {"display_name": {}}} for name in technical})
        events = session.call_kw(
            "crm.partner.event",
            "web_search_read",
            [[("partner_id", "=", partner_id)]],
            {"specification": spec},
        )["records"]
        by_name = {e["field_name"]: e for e in events if e["field_name"]}
        # the log keeps what changed, with the deleted field's label
        assert by_name[text]["new_value"] == "Wert", (login, json.dumps(events)[:2000])
        assert by_name[text]["field_label"] == "Gelöscht Text RPC"
        assert by_name[link]["new_value"] == "Verknüpft RPC GmbH"
        if technical:
            assert not by_name[text]["field_id"]
        columns = [*technical, "field_label", "field_name", "old_value", "new_value", "user_id"]
        exported = session.call_kw(
            "crm.partner.event", "export_data", [[e["id"] for e in events], columns]
        )["datas"]
        assert ["Gelöscht Text RPC", text, "vorher", "Wert"] in [
            row[len(technical) : len(technical) + 4] for row in exported
        ], (login, exported)
    if server_log:
        bad = server_log.bad_lines(mark)
        assert not bad, "\n".join(bad[:40])
