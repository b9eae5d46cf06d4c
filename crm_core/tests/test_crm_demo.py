from schwifty import IBAN

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data (installed by `make test` and `make run`) is what the issue asks for."""

    def test_demo_companies(self):
        first = self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False)
        if not first:
            self.skipTest("installed without demo data")
        companies = self.env["res.partner"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "crm_core"), ("name", "like", "res_partner_demo_%")])
            .mapped("res_id")
        )
        self.assertGreaterEqual(len(companies), 30)
        self.assertEqual(set(companies.country_id.mapped("code")), {"DE", "CZ"})
        self.assertTrue(all(c.child_ids.filtered(lambda p: p.type == "contact") for c in companies))
        self.assertTrue(all(c.child_ids.filtered(lambda p: p.type == "invoice") for c in companies))
        for bank in companies.bank_ids:
            IBAN(bank.acc_number)  # valid, or this raises
            self.assertTrue(bank.bank_id.bic)
        codes = set(companies.crm_role_ids.mapped("code"))
        self.assertTrue({"customer", "prospect", "supplier", "competitor"} <= codes)
        invoices = self.env["account.move"].search(
            [("commercial_partner_id", "in", companies.ids), ("state", "=", "posted")]
        )
        self.assertGreater(len(invoices), 40)
        classes = set(companies.filtered("customer_rank").mapped("crm_class_id.name"))
        self.assertEqual(classes, {"A", "B", "C"})
