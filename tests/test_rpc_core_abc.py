"""The nightly ABC analysis, run as the scheduler runs it (its own transaction, progress
committed per company), triggered through RPC like "Run Manually" in the cron form."""

import time


def test_abc_cron_classifies_customers(xmlrpc_env):
    [company_id] = xmlrpc_env("res.company", "search", [], limit=1, order="id")
    [before] = xmlrpc_env("res.company", "read", [company_id], fields=["crm_abc_last_run"])
    [cron] = xmlrpc_env(
        "ir.model.data",
        "search_read",
        [("module", "=", "crm_core"), ("name", "=", "ir_cron_abc_analysis")],
        fields=["res_id"],
    )
    # a new customer with revenue, without class yet
    partner_id = xmlrpc_env(
        "res.partner",
        "create",
        {"name": "Nachtlauf Kunde GmbH", "is_company": True, "customer_rank": 1},
    )
    [partner] = xmlrpc_env("res.partner", "read", [partner_id], fields=["crm_class_id"])
    assert partner["crm_class_id"] is False
    time.sleep(1)  # the run stamps a later time than the one read above
    assert xmlrpc_env("ir.cron", "method_direct_trigger", [cron["res_id"]]) is True
    [after] = xmlrpc_env("res.company", "read", [company_id], fields=["crm_abc_last_run"])
    assert after["crm_abc_last_run"] and after["crm_abc_last_run"] != before["crm_abc_last_run"]
    [partner] = xmlrpc_env("res.partner", "read", [partner_id], fields=["crm_class_id"])
    assert partner["crm_class_id"][1] == "C"  # no revenue: the lowest class
    # the demo customers span every class
    customers = xmlrpc_env(
        "res.partner",
        "search_read",
        [("crm_class_id", "!=", False), ("customer_rank", ">", 0)],
        fields=["crm_class_id"],
    )
    assert {c["crm_class_id"][1] for c in customers} >= {"A", "B", "C"}
