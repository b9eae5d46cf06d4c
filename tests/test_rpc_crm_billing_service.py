"""crm_billing_sepa services, invoicing and dunning through JSON-2, as an integration would
use them; and two invoicing runs at the same moment by two RPC clients (threads), which must
never invoice a service twice."""

from conftest import Json2, concurrently


def _product(json2):
    found = json2("product.product", "search", domain=[("default_code", "=", "RPC-SVC")])
    if found:
        return found[0]
    return json2(
        "product.product",
        "create",
        vals_list=[
            {
                "name": "RPC Service Hour",
                "default_code": "RPC-SVC",
                "type": "service",
                "list_price": 60.0,
                "taxes_id": [],
            }
        ],
    )[0]


def _services(json2, partner_id, product_id, count, tag):
    return json2(
        "crm.service",
        "create",
        vals_list=[
            {
                "partner_id": partner_id,
                "product_id": product_id,
                "name": f"{tag} {i}",
                "quantity": 0.25 * (1 + i % 8),
            }
            for i in range(count)
        ],
    )


def test_json2_record_invoice_cancel_reinvoice(json2):
    product = _product(json2)
    [partner] = json2(
        "res.partner", "create", vals_list=[{"name": "RPC Service Kunde", "is_company": True}]
    )
    services = _services(json2, partner, product, 3, "flow")
    [invoice] = json2("crm.service", "invoice_services", ids=[], partner_ids=[partner])
    [move] = json2("account.move", "read", ids=[invoice], fields=["amount_untaxed", "state"])
    assert move["state"] == "draft"
    assert move["amount_untaxed"] == 60.0 * (0.25 + 0.5 + 0.75)
    states = json2("crm.service", "read", ids=services, fields=["state", "invoice_id"])
    assert {s["state"] for s in states} == {"invoiced"}
    assert {s["invoice_id"][0] for s in states} == {invoice}
    json2("account.move", "button_cancel", ids=[invoice])
    states = json2("crm.service", "read", ids=services, fields=["state"])
    assert {s["state"] for s in states} == {"open"}
    [again] = json2("crm.service", "invoice_services", ids=services)
    assert again != invoice


def test_two_clients_never_invoice_a_service_twice(odoo):
    """Two integrations invoice the same customers' services at the same moment (threads,
    each with its own HTTP connection to the threaded server), several rounds. Every service
    ends up on exactly one invoice line."""
    setup = Json2(odoo)
    product = _product(setup)
    for round_no in range(3):
        partners = setup(
            "res.partner",
            "create",
            vals_list=[
                {"name": f"RPC Race {round_no} Kunde {i}", "is_company": True} for i in range(5)
            ],
        )
        services = []
        for partner in partners:
            services += _services(setup, partner, product, 30, f"race{round_no}")
        results = concurrently(
            odoo, "crm.service", "invoice_services", ids=[], partner_ids=partners
        )
        invoices = [i for result in results for i in result]
        assert len(invoices) == len(set(invoices))
        lines = setup(
            "account.move.line",
            "search_read",
            domain=[("move_id", "in", invoices), ("display_type", "=", "product")],
            fields=["quantity", "crm_service_ids"],
        )
        linked = [s for line in lines for s in line["crm_service_ids"]]
        assert sorted(linked) == sorted(services), "a service was invoiced twice or left out"
        assert len(lines) == len(services), "one line per service, none duplicated"
        states = setup("crm.service", "read", ids=services, fields=["state"])
        assert {s["state"] for s in states} == {"invoiced"}


def test_json2_dunning_run_needs_rights_and_runs(json2):
    levels = json2("crm.dunning.level", "search", domain=[])
    assert levels, "demo dunning levels"
    result = json2("crm.dunning.run", "run_dunning", fee_mode="none", confirm=False)
    assert set(result) == {"run_id", "letter_ids"}
    [run] = json2("crm.dunning.run", "read", ids=[result["run_id"]], fields=["state"])
    assert run["state"] == "draft"
