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

    def test_demo_companies_on_their_charts(self):
        """Issue 18: the story's company runs on SKR03 with German taxes; its Czech sister
        company Elbtal Obchod s.r.o. (Brno) on the Czech chart in CZK with Czech VAT, with
        customers of its own (visible in that company only), their debtor numbers from its
        number range, invoices in CZK and positions for the route planner. `make test` and
        `make run` install l10n_de and l10n_cz before our addons."""
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Elbtal Handel GmbH")
        self.assertEqual(company.chart_template, "de_skr03")
        self.assertEqual(company.account_sale_tax_id.amount, 19.0)
        # German customers are invoiced by the German company, Czech ones by the Czech one
        story = self.env["res.partner"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "crm_core"), ("name", "=like", "res_partner_demo_%")])
            .mapped("res_id")
        )
        story_invoices = self.env["account.move"].search(
            [("partner_id", "in", story.ids), ("move_type", "in", ("out_invoice", "out_refund"))]
        )
        self.assertTrue(story_invoices)
        czech = self.env.ref("base.demo_company_cz")
        for invoice in story_invoices:
            expected = czech if invoice.partner_id.country_id.code == "CZ" else company
            self.assertEqual(invoice.company_id, expected, invoice.partner_id.name)
        self.assertEqual(
            story_invoices.filtered(lambda m: m.company_id == company).currency_id,
            self.env.ref("base.EUR"),
        )
        german = self.env.ref("crm_core.res_partner_demo_01")
        self.assertTrue(german.crm_debtor_number)
        czech_customer = self.env.ref("crm_core.res_partner_demo_02")
        self.assertTrue(
            self.env["crm.partner.number"].search_count(
                [("partner_id", "=", czech_customer.id), ("company_id", "=", czech.id)]
            )
        )

        self.assertEqual(czech.name, "Elbtal Obchod s.r.o.")
        self.assertEqual((czech.city, czech.country_id.code), ("Brno", "CZ"))
        self.assertEqual(czech.chart_template, "cz")
        self.assertEqual(czech.currency_id, self.env.ref("base.CZK"))
        customers = self.env["res.partner"]
        for number in (1, 2, 3):
            customers |= self.env.ref(f"crm_core.res_partner_cz_demo_{number:02d}")
        self.assertEqual(customers.company_id, czech)
        self.assertEqual(set(customers.mapped("country_id.code")), {"CZ"})
        self.assertTrue(all(customers.mapped("partner_latitude")))
        self.assertTrue(all(c.child_ids.filtered(lambda p: p.type == "contact") for c in customers))
        # numbers of the Czech company's range, one each
        numbers = self.env["crm.partner.number"].search(
            [("partner_id", "in", customers.ids), ("kind", "=", "debtor")]
        )
        self.assertEqual(numbers.partner_id, customers)
        self.assertEqual(numbers.company_id, czech)
        cz_invoices = self.env["account.move"].search(
            [("partner_id", "in", customers.ids), ("state", "=", "posted")]
        )
        self.assertEqual(len(cz_invoices), 9)
        self.assertEqual(cz_invoices.company_id, czech)
        self.assertEqual(cz_invoices.currency_id, self.env.ref("base.CZK"))
        # services and spare parts at 21 %, firewood at the reduced 12 %
        self.assertEqual(set(cz_invoices.invoice_line_ids.tax_ids.mapped("amount")), {21.0, 12.0})
        self.assertTrue(all(m.amount_tax for m in cz_invoices))
        # the Czech customers are the Czech company's: not seen from the German one
        in_germany = (
            self.env["res.partner"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(allowed_company_ids=[company.id])
        )
        self.assertFalse(in_germany.search([("id", "in", customers.ids)]))
        # classes of the Czech company's ABC analysis (a class per company)
        self.assertTrue(all(c.crm_class_id for c in customers.with_company(czech)))

    def test_story_invoices_carry_the_companies_taxes(self):
        """The story's invoices look like a real company's: every line of the Dresden
        company's invoices carries SKR03's 19 % or 7 % (firewood) output VAT, every line of
        the Brno company's Czech VAT 21 % or 12 % (domestic, goods or services as the line
        is); the totals are the net amounts plus that tax, and the ABC analysis ranks by the
        net revenue (the classes did not move with the tax)."""
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        german = self.env.ref("base.main_company")
        czech = self.env.ref("base.demo_company_cz")
        story = self.env["res.partner"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "crm_core"), ("name", "=like", "res_partner_%demo_%")])
            .mapped("res_id")
        )
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "in", story.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("company_id", "in", (german | czech).ids),
            ]
        )
        expected = {german: {19.0, 7.0}, czech: {21.0, 12.0}}
        for company, rates in expected.items():
            moves = invoices.filtered(lambda m, c=company: m.company_id == c)
            self.assertTrue(moves, company.name)
            lines = moves.invoice_line_ids
            self.assertTrue(all(len(line.tax_ids) == 1 for line in lines), company.name)
            self.assertEqual(set(lines.tax_ids.mapped("amount")), rates, company.name)
            self.assertEqual(lines.tax_ids.company_id, company)
            self.assertEqual(set(lines.tax_ids.mapped("type_tax_use")), {"sale"})
            for move in moves:
                tax = sum(
                    line.price_subtotal * line.tax_ids.amount / 100
                    for line in move.invoice_line_ids
                )
                self.assertTrue(move.amount_tax, move.name)
                self.assertAlmostEqual(move.amount_tax, tax, places=2, msg=move.name)
                self.assertAlmostEqual(
                    move.amount_total, move.amount_untaxed + tax, places=2, msg=move.name
                )
        # the chart's own taxes, not lookalikes: SKR03's domestic 19 %/7 %, the Czech
        # chart's domestic taxes by goods and services
        Chart = self.env["account.chart.template"]
        self.assertEqual(
            invoices.filtered(lambda m: m.company_id == german).invoice_line_ids.tax_ids,
            Chart.with_company(german).ref("tax_ust_19_skr03")
            | Chart.with_company(german).ref("tax_ust_7_skr03"),
        )
        cz_lines = invoices.filtered(lambda m: m.company_id == czech).invoice_line_ids
        chart = Chart.with_company(czech)
        self.assertEqual(
            cz_lines.filtered(lambda line: line.name == "Údržba a servis").tax_ids,
            chart.ref("l10n_cz_21_domestic_services"),
        )
        self.assertEqual(
            cz_lines.filtered(lambda line: line.name == "Náhradní díly").tax_ids,
            chart.ref("l10n_cz_21_domestic_supplies"),
        )
        self.assertEqual(
            cz_lines.filtered(lambda line: line.name == "Palivové dříví").tax_ids,
            chart.ref("l10n_cz_12_domestic_supplies"),
        )
        # the ABC analysis ranks by net revenue: the tax does not count
        first = self.env.ref("crm_core.res_partner_demo_01")
        rows = self.env.execute_query_dict(
            self.env["crm.abc.analysis"]._ranking(german, [first.id])
        )
        all_posted = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", first.id),
                ("company_id", "=", german.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        self.assertTrue(all(m.amount_tax for m in all_posted))
        self.assertAlmostEqual(
            float(rows[0]["revenue"]), sum(all_posted.mapped("amount_untaxed_signed")), places=2
        )
        self.assertLess(
            float(rows[0]["revenue"]), sum(all_posted.mapped("amount_total_signed")) - 1.0
        )

    def test_story_records_in_the_company_of_their_partners(self):
        """The story's records of every addon point at partners of the company they belong
        to: no record of the German company names a customer of the Czech one."""
        if not self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        german = self.env.ref("base.main_company")
        checked = 0
        for model_name in (
            "crm.chronicle.entry",
            "crm.phone.call",
            "crm.sepa.mandate",
            "crm.dunning.letter",
            "crm.scan.document",
            "crm.route.stop",
            "crm.service",
            "account.move",
        ):
            if model_name not in self.env or "partner_id" not in self.env[model_name]._fields:
                continue
            Model = self.env[model_name].with_context(active_test=False)
            records = Model.search([])
            for record in records.filtered("partner_id"):
                company = record.company_id if "company_id" in record._fields else german
                partner_company = record.partner_id.commercial_partner_id.company_id
                if partner_company:
                    checked += 1
                    self.assertEqual(
                        partner_company,
                        company or german,
                        f"{model_name} {record.display_name}: partner of another company",
                    )
        self.assertTrue(checked)
