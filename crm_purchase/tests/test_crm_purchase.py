from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestPurchaseFromRecord(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.buyer = new_test_user(
            env, login="crm_buyer", groups="purchase.group_purchase_user,crm_core.group_user"
        )
        cls.usd = env.ref("base.USD")
        cls.usd.active = True
        cls.chf = env.ref("base.CHF")
        cls.chf.active = True
        cls.terms = env["account.payment.term"].create({"name": "30 Tage Lieferant"})
        cls.supplier = env["res.partner"].create(
            {
                "name": "Lieferant AG",
                "is_company": True,
                "buyer_id": cls.buyer.id,
                "property_supplier_payment_term_id": cls.terms.id,
                "property_purchase_currency_id": cls.chf.id,
                "crm_purchase_currency_id": cls.usd.id,
            }
        )
        cls.contact = env["res.partner"].create(
            {"name": "Vera Verkauf", "parent_id": cls.supplier.id}
        )

    def test_new_purchase_order_takes_the_suppliers_definitions(self):
        action = self.contact.with_user(self.buyer).action_crm_new_purchase_order()
        self.assertEqual(action["res_model"], "purchase.order")
        order_form = Form(
            self.env["purchase.order"].with_user(self.buyer).with_context(**action["context"])
        )
        self.assertEqual(order_form.partner_id, self.supplier)
        self.assertEqual(order_form.payment_term_id, self.terms)
        self.assertEqual(order_form.currency_id, self.usd, "crm_core's purchase currency first")
        self.assertEqual(order_form.user_id, self.buyer)
        order = order_form.save()
        self.assertEqual(self.supplier.crm_purchase_order_count, 1)
        listed = self.supplier.action_crm_open_purchase_orders()
        self.assertEqual(self.env["purchase.order"].search(listed["domain"]), order)
        # without crm_core's currency, Odoo's supplier currency
        self.supplier.crm_purchase_currency_id = False
        order_form = Form(
            self.env["purchase.order"].with_context(
                **self.supplier.action_crm_new_purchase_order()["context"]
            )
        )
        self.assertEqual(order_form.currency_id, self.chf)

    def test_counts_one_grouped_query(self):
        suppliers = self.env["res.partner"].create(
            [{"name": f"Lieferant {i}", "is_company": True} for i in range(5)]
        )
        orders = self.env["purchase.order"].create(
            [{"partner_id": s.id} for s in suppliers for _ in range(suppliers.ids.index(s.id))]
        )
        orders[:1].button_cancel()
        self.env.invalidate_all()
        suppliers = suppliers.browse(suppliers.ids)
        suppliers.mapped("commercial_partner_id")
        # with the cockpit's other counts (crm_core's grouped query): still one query
        with self.assertQueryCount(1):
            counts = suppliers.mapped("crm_purchase_order_count")
            invoices = suppliers.mapped("crm_invoice_count")
            contacts = suppliers.mapped("crm_contact_count")
        self.assertEqual(counts, [0, 0, 2, 3, 4])
        self.assertEqual(invoices + contacts, [0] * 10)

    def test_user_without_purchase_rights(self):
        self.env["purchase.order"].create({"partner_id": self.supplier.id})
        user = new_test_user(self.env, login="crm_purchase_office", groups="crm_core.group_user")
        supplier = self.supplier.with_user(user)
        self.assertEqual(supplier.crm_purchase_order_count, 0)
        arch = supplier.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_crm_new_purchase_order", arch)
        with self.assertRaises(AccessError):
            supplier.action_crm_new_purchase_order()

    def test_correspondence_lists_requests_and_orders_for_purchase_users(self):
        correspondence = self.env["crm.chronicle.correspondence"]
        product = self.env["product.product"].create({"name": "Teil", "standard_price": 3.0})
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": product.id, "product_qty": 2})],
            }
        )
        domain = [("partner_id", "=", self.supplier.id), ("res_model", "=", "purchase.order")]
        self.assertEqual(correspondence.search(domain).mapped("kind"), ["purchase_rfq"])
        order.button_confirm()
        rows = correspondence.search(domain)
        self.assertEqual(rows.mapped("kind"), ["purchase_order"])
        self.assertEqual(rows.res_id, order.id)
        office = new_test_user(self.env, login="crm_purchase_office2", groups="crm_core.group_user")
        self.assertFalse(correspondence.with_user(office).search(domain))
        self.assertEqual(correspondence.with_user(self.buyer).search(domain), rows)
