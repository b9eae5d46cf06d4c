from schwifty import IBAN

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data (installed by `make test` and `make run`) is what the issue asks for."""

    def test_demo_companies(self):
        first = self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False)
        if not first:
            self.skipTest("installed without demo data")
        companies = (
            self.env["res.partner"]
            .browse(
                self.env["ir.model.data"]
                .search([("module", "=", "crm_core"), ("name", "like", "res_partner_demo_%")])
                .mapped("res_id")
            )
            .filtered("is_company")
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

    def test_customer_list_shows_the_story(self):
        """The customer list opens on the story's customers: Odoo's own demo contacts (the
        US furniture dealers of the base demo) are archived."""
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        Partner = self.env["res.partner"]
        # the list's first page, in the list's order (res.partner's _order)
        first = Partner.search([("is_company", "=", True), ("parent_id", "=", False)], limit=15)
        xmlids = first.get_external_id()
        odoo_demo = first.filtered(lambda p: xmlids[p.id].startswith("base.res_partner_"))
        self.assertFalse(odoo_demo.mapped("name"), "Odoo's demo contacts among the first")
        self.assertIn(self.env.ref("crm_core.res_partner_demo_06"), first)  # Autohaus Becker
        base_demo = self.env["ir.model.data"].search(
            [
                ("module", "=", "base"),
                ("model", "=", "res.partner"),
                ("name", "=like", "res_partner_%"),
            ]
        )
        self.assertTrue(base_demo)
        self.assertFalse(Partner.browse(base_demo.mapped("res_id")).filtered("active"))

    def test_demo_is_data_not_a_model(self):
        """The demo data are data files: no demo loader in a production database."""
        self.assertNotIn("crm.core.demo", self.env)
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        for xmlid in (
            "crm_core.res_partner_demo_01_contact_1",
            "crm_core.res_partner_demo_01_invoice",
            "crm_core.res_partner_bank_demo_01",
            "crm_core.account_move_demo_01_1",
        ):
            self.assertTrue(self.env.ref(xmlid), xmlid)

    def test_demo_company_in_euros(self):
        """The story's company (Elbtal Handel GmbH, Dresden) works in euros: its currency,
        the demo invoices of the customers and Odoo's own accounting demo entries."""
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        self.assertEqual(company.country_id.code, "DE")
        self.assertEqual(company.currency_id, euro)
        moves = self.env["account.move"].search([("company_id", "=", company.id)])
        self.assertTrue(moves)
        self.assertEqual(moves.company_currency_id, euro)
        customer_invoices = moves.filtered(
            lambda m: m.partner_id == self.env.ref("crm_core.res_partner_demo_01")
        )
        self.assertEqual(customer_invoices.currency_id, euro)
        pricelist = self.env.ref("crm_core.res_partner_demo_01").property_product_pricelist
        self.assertIn(pricelist.currency_id, (euro, self.env["res.currency"]))
