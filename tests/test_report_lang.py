"""Letters and reports print in the partner's language: the contact sheet of a German demo
customer comes out in German, that of a Czech one in Czech (the report renders its body with
t-lang="partner.lang"; the words come from the addon's i18n/de.po and cs.po)."""

import urllib.request

import pytest
from websession import WebSession  # tests/websession.py


@pytest.mark.parametrize(
    "xmlid,lang,words,english",
    [
        (
            "res_partner_demo_01",
            "de_DE",
            ["<strong>Adresse</strong>", "<strong>Telefon</strong>"],
            "<strong>Address</strong>",
        ),
        (
            "res_partner_demo_02",
            "cs_CZ",
            ["<strong>Adresa</strong>", "<strong>Telefon</strong>"],
            "<strong>Address</strong>",
        ),
    ],
)
def test_contact_sheet_in_partner_language(odoo, xmlrpc_env, xmlid, lang, words, english):
    data = xmlrpc_env(
        "ir.model.data",
        "search_read",
        [("module", "=", "crm_core"), ("name", "=", xmlid)],
        ["res_id"],
    )
    assert data, f"demo customer crm_core.{xmlid} is missing"
    partner = xmlrpc_env("res.partner", "read", [data[0]["res_id"]], ["lang"])[0]
    assert partner["lang"] == lang
    request = urllib.request.Request(
        f"{odoo['url']}/report/html/crm_core.report_contact_sheet/{data[0]['res_id']}",
        headers={"Cookie": f"session_id={WebSession(odoo).session_id}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        html = response.read().decode()
    for word in words:
        assert word in html, f"{word!r} missing from the contact sheet in {lang}"
    assert english not in html, f"the contact sheet in {lang} still says {english!r}"
