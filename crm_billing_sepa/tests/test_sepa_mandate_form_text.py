"""The printed mandate form names the creditor and the debtor once each (issue 20: the
address block repeated the company names)."""

import re

from odoo.tests import tagged

from .common import SepaCase


@tagged("post_install", "-at_install")
class TestMandateFormText(SepaCase):
    def test_names_once(self):
        partner, _bank, mandate = self.make_customer("Einmalig Schuldner GmbH")
        partner.write({"street": "Lindenweg 3", "zip": "01099", "city": "Dresden"})
        self.company.partner_id.write({"street": "Altmarkt 1", "zip": "01067", "city": "Dresden"})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_billing_sepa.report_mandate", mandate.ids)[0]
            .decode()
        )
        page = html[html.index('class="page"') :]
        # the creditor's block is the first table, the debtor's the second (the body text
        # between them names the creditor, as the SEPA wording wants)
        creditor, debtor = (
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
            for table in re.findall(r"<table.*?</table>", page, re.S)[:2]
        )
        self.assertEqual(creditor.count(self.company.partner_id.name), 1, creditor)
        self.assertIn("Altmarkt 1", creditor)
        self.assertEqual(debtor.count("Einmalig Schuldner GmbH"), 1, debtor)
        self.assertIn("Lindenweg 3", debtor)
        self.assertIn("01099", debtor)
