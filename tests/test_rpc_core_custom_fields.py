"""A user-defined field survives an update of crm_core: created, filled, the module updated
through RPC (as an administrator does from the Apps menu), then still there with its value,
its place in the form and its search filter."""


def test_custom_field_survives_module_update(xmlrpc_env):
    field_id = xmlrpc_env(
        "crm.custom.field",
        "create",
        {"name": "Messebesuch", "field_type": "boolean"},
    )
    [field] = xmlrpc_env("crm.custom.field", "read", [field_id], fields=["technical_name"])
    name = field["technical_name"]
    assert name == "x_crm_messebesuch"
    partner_id = xmlrpc_env("res.partner", "create", {"name": "Messe GmbH", name: True})
    [module_id] = xmlrpc_env("ir.module.module", "search", [("name", "=", "crm_core")])
    xmlrpc_env("ir.module.module", "button_immediate_upgrade", [module_id])
    [partner] = xmlrpc_env("res.partner", "read", [partner_id], fields=[name])
    assert partner[name] is True
    assert xmlrpc_env("res.partner", "search", [(name, "=", True)]) == [partner_id]
    views = xmlrpc_env("res.partner", "get_views", [[False, "form"], [False, "search"]])
    assert f'name="{name}"' in views["views"]["form"]["arch"]
    assert f'name="{name}"' in views["views"]["search"]["arch"]
    # removing it removes the column and its place in the views
    xmlrpc_env("crm.custom.field", "action_remove", [field_id])
    fields = xmlrpc_env("res.partner", "fields_get", [], attributes=["type"])
    assert name not in fields
