"""The administrator's company set up for SEPA direct debits, as an integration would do it
over JSON-2, for the suite-level tests of crm_billing_sepa: a bank journal with the company's
IBAN, the creditor identifier and the journal of direct debits on the company, EUR active.
Setting it up again finds what is there."""

OWN_IBAN = "DE89370400440532013000"
CREDITOR_ID = "DE98ZZZ09999999999"


def sepa_company(json2):
    """(company id, EUR's id) of the administrator's company, set up for direct debits."""
    company_id = json2("res.users", "read", ids=[2], fields=["company_id"])[0]["company_id"][0]
    journals = json2(
        "account.journal",
        "search",
        domain=[("code", "=", "SEPAR"), ("company_id", "=", company_id)],
    ) or json2(
        "account.journal",
        "create",
        vals_list=[
            {"name": "SEPA RPC Bank", "type": "bank", "code": "SEPAR", "bank_acc_number": OWN_IBAN}
        ],
    )
    json2(
        "res.company",
        "write",
        ids=[company_id],
        vals={"crm_sepa_creditor_identifier": CREDITOR_ID, "crm_sepa_journal_id": journals[0]},
    )
    [eur] = json2(
        "res.currency", "search", domain=[("name", "=", "EUR"), ("active", "in", [True, False])]
    )
    json2("res.currency", "write", ids=[eur], vals={"active": True})
    return company_id, eur
