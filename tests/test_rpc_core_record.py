"""The customer record through xmlrpc.client: a customer with a bank account, as an
integration would create it."""

import xmlrpc.client

import pytest


def test_customer_with_bank_account(xmlrpc_env):
    partner_id = xmlrpc_env(
        "res.partner",
        "create",
        {
            "name": "RPC Maschinenbau GmbH",
            "is_company": True,
            "customer_rank": 1,
            "bank_ids": [
                (0, 0, {"acc_number": "de89 3704 0044 0532 0130 00", "crm_default_incoming": True})
            ],
        },
    )
    [partner] = xmlrpc_env(
        "res.partner",
        "read",
        [partner_id],
        fields=["crm_debtor_number", "bank_ids", "crm_bank_count", "crm_role_ids"],
    )
    assert partner["crm_debtor_number"].isdigit()
    assert partner["crm_bank_count"] == 1
    [bank] = xmlrpc_env(
        "res.partner.bank",
        "read",
        partner["bank_ids"],
        fields=["acc_number", "bank_bic", "bank_name", "crm_use_incoming", "crm_default_incoming"],
    )
    assert bank["acc_number"] == "DE89 3704 0044 0532 0130 00"
    assert bank["bank_bic"] == "COBADEFFXXX"
    assert bank["bank_name"] == "Commerzbank"
    assert bank["crm_use_incoming"] and bank["crm_default_incoming"]
    roles = xmlrpc_env("crm.partner.role", "read", partner["crm_role_ids"], fields=["code"])
    assert [r["code"] for r in roles] == ["customer"]


def test_invalid_iban_is_refused_with_partner_name(xmlrpc_env):
    partner_id = xmlrpc_env("res.partner", "create", {"name": "Chybný IBAN s.r.o."})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc_env(
            "res.partner.bank",
            "create",
            {"acc_number": "CZ65 0800 0000 1920 0014 5398", "partner_id": partner_id},
        )
    assert "Chybný IBAN s.r.o." in fault.value.faultString
    assert "CZ65 0800 0000 1920 0014 5398" in fault.value.faultString
    assert xmlrpc_env("res.partner.bank", "search", [("partner_id", "=", partner_id)]) == []
