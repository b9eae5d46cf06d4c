"""crm_billing_sepa through JSON-2 and XML-RPC, as an integration would use it; and two batch
runs at the same time by two RPC clients (threads), which must never take the same invoice."""

import base64
import datetime

from conftest import Json2, concurrently
from sepa_company import CREDITOR_ID, sepa_company  # tests/sepa_company.py

DEBTOR_IBANS = ["DE02120300000000202051", "DE02100100100006820101", "DE45120300001234567890"]


def _customers_with_invoices(json2, eur, count, tag):
    partners = json2(
        "res.partner",
        "create",
        vals_list=[{"name": f"RPC {tag} Kunde {i}", "is_company": True} for i in range(count)],
    )
    banks = json2(
        "res.partner.bank",
        "create",
        vals_list=[
            {"acc_number": DEBTOR_IBANS[i % 3], "partner_id": pid} for i, pid in enumerate(partners)
        ],
    )
    mandates = json2(
        "crm.sepa.mandate",
        "create",
        vals_list=[
            {"partner_id": pid, "bank_account_id": bid, "signature_date": "2025-01-15"}
            for pid, bid in zip(partners, banks, strict=True)
        ],
    )
    json2("crm.sepa.mandate", "action_activate", ids=mandates)
    due = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    invoices = json2(
        "account.move",
        "create",
        vals_list=[
            {
                "move_type": "out_invoice",
                "partner_id": pid,
                "currency_id": eur,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    [0, 0, {"name": "Abo", "price_unit": 10 + i / 100, "tax_ids": [[5, 0, 0]]}]
                ],
            }
            for i, pid in enumerate(partners)
        ],
    )
    json2("account.move", "action_post", ids=invoices)
    return partners, mandates, invoices


def test_json2_debit_confirm_return(json2):
    _company, eur = sepa_company(json2)
    partners, mandates, invoices = _customers_with_invoices(json2, eur, 3, "flow")
    result = json2(
        "crm.sepa.batch", "create_debit_batches", invoice_ids=invoices, partner_ids=partners
    )
    assert result["errors"] == []
    [batch_id] = result["batch_ids"]
    [batch] = json2(
        "crm.sepa.batch",
        "read",
        ids=[batch_id],
        fields=["file", "total_cents", "state", "line_ids"],
    )
    assert batch["state"] == "generated"
    assert batch["total_cents"] == 1000 + 1001 + 1002
    content = base64.b64decode(batch["file"])
    assert b"pain.008.001.08" in content and CREDITOR_ID.encode() in content
    states = json2("account.move", "read", ids=invoices, fields=["payment_state"])
    assert {s["payment_state"] for s in states} == {"in_payment"}
    assert json2("crm.sepa.batch", "action_confirm", ids=[batch_id]) is True
    [mandate] = json2("crm.sepa.mandate", "read", ids=mandates[:1], fields=["sequence_type"])
    assert mandate["sequence_type"] == "RCUR"
    assert json2("crm.sepa.batch.line", "register_return", ids=batch["line_ids"][:1], reason="AM04")
    [line] = json2(
        "crm.sepa.batch.line", "read", ids=batch["line_ids"][:1], fields=["state", "move_id"]
    )
    assert line["state"] == "returned"
    [inv] = json2("account.move", "read", ids=[line["move_id"][0]], fields=["payment_state"])
    assert inv["payment_state"] == "not_paid"


def test_two_clients_never_take_the_same_invoice(odoo):
    """Two integrations start a batch run at the same moment (threads, each with its own
    HTTP connection to the threaded server), several rounds. Every invoice ends up in exactly
    one open batch line."""
    setup = Json2(odoo)
    _company, eur = sepa_company(setup)
    rounds, per_round = 3, 40
    for round_no in range(rounds):
        partners, _mandates, invoices = _customers_with_invoices(
            setup, eur, per_round, f"race{round_no}"
        )
        results = concurrently(
            odoo, "crm.sepa.batch", "create_debit_batches", timeout=120, partner_ids=partners
        )
        batch_ids = [b for r in results for b in r["batch_ids"]]
        lines = setup(
            "crm.sepa.batch.line",
            "search_read",
            domain=[("batch_id", "in", batch_ids)],
            fields=["move_id", "state"],
        )
        taken = [line["move_id"][0] for line in lines]
        assert sorted(taken) == sorted(invoices), "an invoice was taken twice or left out"
        open_lines = setup(
            "crm.sepa.batch.line",
            "search_count",
            domain=[("move_id", "in", invoices), ("state", "in", ["open", "collected"])],
        )
        assert open_lines == per_round
