from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.crm_chronicle.tests.common import check_kind_filters


@tagged("post_install", "-at_install")
class TestStartedFromRecord(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("de_DE")
        cls.salesperson = new_test_user(
            env,
            login="crm_sale_person",
            groups="sales_team.group_sale_salesman,crm_core.group_user",
        )
        # price groups are Odoo's pricelists, a feature of its own (Sales settings)
        env["res.config.settings"].create({"group_product_pricelist": True}).execute()
        cls.pricelist = env["product.pricelist"].create({"name": "Preisgruppe B"})
        cls.terms = env["account.payment.term"].create({"name": "14 Tage netto"})
        cls.customer = env["res.partner"].create(
            {
                "name": "Angebot Kunde GmbH",
                "is_company": True,
                "lang": "de_DE",
                "user_id": cls.salesperson.id,
                "property_product_pricelist": cls.pricelist.id,
                "property_payment_term_id": cls.terms.id,
            }
        )
        partner = env["res.partner"]
        cls.contact = partner.create(
            {"name": "Eva Einkauf", "parent_id": cls.customer.id, "type": "contact"}
        )
        # two invoice and two delivery addresses: the default one of each type counts
        cls.invoice_1, cls.invoice_2, cls.delivery_1, cls.delivery_2 = partner.create(
            [
                {"name": "Rechnung alt", "parent_id": cls.customer.id, "type": "invoice"},
                {"name": "Buchhaltung", "parent_id": cls.customer.id, "type": "invoice"},
                {"name": "Lager alt", "parent_id": cls.customer.id, "type": "delivery"},
                {"name": "Lager Nord", "parent_id": cls.customer.id, "type": "delivery"},
            ]
        )
        (cls.invoice_2 | cls.delivery_2).crm_is_default_address = True

    def test_new_quotation_takes_the_customers_definitions(self):
        action = self.contact.with_user(self.salesperson).action_crm_new_quotation()
        self.assertEqual(action["res_model"], "sale.order")
        order_form = Form(
            self.env["sale.order"].with_user(self.salesperson).with_context(**action["context"])
        )
        self.assertEqual(order_form.partner_id, self.customer)
        self.assertEqual(order_form.payment_term_id, self.terms)
        self.assertEqual(order_form.user_id, self.salesperson)
        order = order_form.save()
        # the addresses and the pricelist (shown only with their settings' groups)
        self.assertEqual(order.partner_invoice_id, self.invoice_2)
        self.assertEqual(order.partner_shipping_id, self.delivery_2)
        self.assertEqual(order.pricelist_id, self.pricelist)
        self.assertEqual(order._get_lang(), "de_DE", "the quotation speaks the customer's language")
        self.assertEqual(self.customer.crm_quotation_count, 1)
        self.assertEqual(self.customer.crm_sale_order_count, 0)
        listed = self.customer.action_crm_open_quotations()
        self.assertEqual(self.env["sale.order"].search(listed["domain"]), order)

    def test_counts_one_grouped_query_for_many_customers(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Zählkunde {i}", "is_company": True} for i in range(6)]
        )
        product = self.env["product.product"].create({"name": "Ware", "list_price": 10.0})
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for customer in customers
                for _ in range(customers.ids.index(customer.id) % 3 + 1)
            ]
        )
        orders[::2].action_confirm()
        # an order of a contact person counts for its company
        contact = self.env["res.partner"].create({"name": "P", "parent_id": customers[0].id})
        self.env["sale.order"].create({"partner_id": contact.id})
        self.env.invalidate_all()
        customers = customers.browse(customers.ids)
        customers.mapped("commercial_partner_id")
        with self.assertQueryCount(1):
            quotations = customers.mapped("crm_quotation_count")
            confirmed = customers.mapped("crm_sale_order_count")
        for customer, quotation_count, order_count in zip(
            customers, quotations, confirmed, strict=True
        ):
            mine = self.env["sale.order"].search(
                [("partner_id.commercial_partner_id", "=", customer.id)]
            )
            self.assertEqual(quotation_count, len(mine.filtered(lambda o: o.state == "draft")))
            self.assertEqual(order_count, len(mine.filtered(lambda o: o.state == "sale")))
        self.assertEqual(sum(quotations) + sum(confirmed), len(orders) + 1)
        self.assertTrue(all(confirmed[:1]) and any(quotations))

    def test_user_without_sales_rights_sees_no_counts_and_starts_nothing(self):
        self.env["sale.order"].create({"partner_id": self.customer.id})
        office = new_test_user(self.env, login="crm_sale_office", groups="crm_core.group_user")
        customer = self.customer.with_user(office)
        self.assertEqual(customer.crm_quotation_count, 0)
        arch = customer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_crm_new_quotation", arch)
        self.assertNotIn("crm_quotation_count", arch)
        with self.assertRaises(AccessError):
            customer.action_crm_new_quotation()
        salesperson_arch = self.customer.with_user(self.salesperson).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn("action_crm_new_quotation", salesperson_arch)
        self.assertIn("crm_sale_order_count", salesperson_arch)

    def test_correspondence_lists_quotations_and_orders_by_read_right(self):
        correspondence = self.env["crm.chronicle.correspondence"]
        product = self.env["product.product"].create({"name": "Ware", "list_price": 5.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        other = self.env["sale.order"].create({"partner_id": self.customer.id})
        other.action_cancel()  # cancelled: no row
        domain = [("partner_id", "=", self.customer.id), ("res_model", "=", "sale.order")]
        rows = correspondence.search(domain)
        self.assertEqual(rows.mapped("kind"), ["sale_quotation"])
        self.assertEqual(rows.res_id, order.id)
        self.assertEqual(rows.name, order.name)
        order.action_confirm()
        rows = correspondence.search(domain)
        self.assertEqual(rows.mapped("kind"), ["sale_order"])
        self.assertEqual(
            rows.id, correspondence._correspondence_row_id("sale_order", order.id), "stable ids"
        )
        # the salesperson of the order sees it; another salesperson (own documents only) and a
        # user without sales rights do not
        self.assertEqual(correspondence.with_user(self.salesperson).search(domain), rows)
        other_salesperson = new_test_user(
            self.env,
            login="crm_sale_other",
            groups="sales_team.group_sale_salesman,crm_core.group_user",
        )
        office = new_test_user(self.env, login="crm_sale_office2", groups="crm_core.group_user")
        self.assertFalse(correspondence.with_user(other_salesperson).search(domain))
        self.assertFalse(correspondence.with_user(office).search(domain))

    def test_correspondence_filters_for_the_bridges_kinds(self):
        filters = check_kind_filters(self, self.env)
        self.assertEqual(filters["sale_quotation"], "kind_sale_quotation")
        self.assertEqual(filters["sale_order"], "kind_sale_order")

    def test_form_cockpit_is_one_query_with_the_bridges(self):
        """Every count of the customer's cockpit, the bridges' (quotations and orders,
        delivery notes, purchase orders, when installed) with crm_core's and the other
        addons', is read in one grouped SQL query."""
        Partner = self.env["res.partner"]
        cockpit = sorted(
            name
            for name, field in Partner._fields.items()
            if field.compute == "_compute_crm_cockpit"
        )
        wanted = {"crm_quotation_count", "crm_sale_order_count", "crm_invoice_count"}
        for model, field in (
            ("stock.picking", "crm_delivery_count"),
            ("purchase.order", "crm_purchase_order_count"),
        ):
            if model in self.env:
                wanted.add(field)
        self.assertLessEqual(wanted, set(cockpit))
        product = self.env["product.product"].create({"name": "Ware", "list_price": 3.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        self.env["sale.order"].create({"partner_id": self.customer.id})
        order.action_confirm()
        if "purchase.order" in self.env:
            self.env["purchase.order"].create({"partner_id": self.customer.id})
        for user in (self.env.user, self.salesperson):
            customer = self.customer.with_user(user)
            customer.mapped("crm_invoice_count")  # warm the caches of rules and models
            self.env.invalidate_all()
            customer.mapped("commercial_partner_id")
            with self.assertQueryCount(1):
                values = {name: customer[name] for name in cockpit}
            self.assertEqual(
                (values["crm_quotation_count"], values["crm_sale_order_count"]), (1, 1)
            )
        values = {name: self.customer[name] for name in cockpit}
        if "stock.picking" in self.env and order.picking_ids:
            self.assertEqual(values["crm_delivery_count"], len(order.picking_ids))
        if "purchase.order" in self.env:
            self.assertEqual(values["crm_purchase_order_count"], 1)

    def test_quotation_in_the_customers_sales_currency(self):
        """crm_core's sales currency of the customer is the quotation's: a price group in
        another currency gives way to a pricelist in the sales currency; without one the
        quotation is refused with the reason."""
        company_currency = self.env.company.currency_id
        currency = self.env.ref("base.CHF" if company_currency.name != "CHF" else "base.EUR")
        currency.active = True
        self.assertNotEqual(self.pricelist.currency_id, currency)
        pricelist = self.env["product.pricelist"].create(
            {"name": f"Preise {currency.name}", "currency_id": currency.id}
        )
        self.customer.crm_sale_currency_id = currency
        action = self.contact.with_user(self.salesperson).action_crm_new_quotation()
        self.assertEqual(action["context"]["default_pricelist_id"], pricelist.id)
        order = Form(
            self.env["sale.order"].with_user(self.salesperson).with_context(**action["context"])
        ).save()
        self.assertEqual((order.pricelist_id, order.currency_id), (pricelist, currency))
        # an order made otherwise (import, RPC) for the customer's contact: the same
        direct = self.env["sale.order"].create({"partner_id": self.contact.id})
        self.assertEqual((direct.pricelist_id, direct.currency_id), (pricelist, currency))
        # an invoice of the customer's own (crm_core) is in the same currency
        self.assertEqual(
            self.customer._crm_document_defaults("out_invoice")["currency_id"], currency.id
        )
        # no pricelist in the sales currency: refused, naming customer and currencies
        pricelist.active = False
        with self.assertRaises(UserError) as refused:
            self.customer.with_user(self.salesperson).action_crm_new_quotation()
        message = str(refused.exception)
        self.assertIn(self.customer.name, message)
        self.assertIn(currency.name, message)
        self.assertIn(self.pricelist.name, message)
        # the price group in the sales currency: it stays
        self.customer.crm_sale_currency_id = self.pricelist.currency_id
        action = self.customer.with_user(self.salesperson).action_crm_new_quotation()
        self.assertEqual(action["context"]["default_pricelist_id"], self.pricelist.id)
