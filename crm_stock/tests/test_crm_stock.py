from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestDeliveryNotes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.out_type = warehouse.out_type_id
        cls.in_type = warehouse.in_type_id
        cls.customers = env["res.partner"].create(
            [{"name": f"Lieferkunde {i}", "is_company": True} for i in range(4)]
        )
        cls.site = env["res.partner"].create(
            {"name": "Baustelle", "parent_id": cls.customers[0].id, "type": "delivery"}
        )

    def picking(self, partner, kind="out"):
        kind_type = self.out_type if kind == "out" else self.in_type
        return self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": kind_type.id,
                "location_id": kind_type.default_location_src_id.id,
                "location_dest_id": kind_type.default_location_dest_id.id,
            }
        )

    def test_delivery_notes_counted_in_one_query(self):
        first, second, third, _fourth = self.customers
        self.picking(first)
        self.picking(self.site)  # a delivery to the customer's site counts for it
        self.picking(second)
        self.picking(second, "in")  # a receipt is no delivery note
        self.picking(third).action_cancel()
        self.env.invalidate_all()
        customers = self.customers.browse(self.customers.ids)
        customers.mapped("commercial_partner_id")
        # with the cockpit's other counts (crm_core's grouped query): still one query
        with self.assertQueryCount(1):
            counts = customers.mapped("crm_delivery_count")
            addresses = customers.mapped("crm_address_count")
            invoices = customers.mapped("crm_invoice_count")
        self.assertEqual(counts, [2, 1, 0, 0])
        self.assertEqual((addresses, invoices), ([1, 0, 0, 0], [0, 0, 0, 0]))
        action = first.action_crm_open_deliveries()
        listed = self.env["stock.picking"].search(action["domain"])
        self.assertEqual(len(listed), 2)
        self.assertEqual(listed.partner_id, first | self.site)

    def test_user_without_inventory_rights_sees_nothing(self):
        self.picking(self.customers[0])
        user = new_test_user(self.env, login="crm_stock_office", groups="crm_core.group_user")
        customer = self.customers[0].with_user(user)
        self.assertEqual(customer.crm_delivery_count, 0)
        arch = customer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("crm_delivery_count", arch)
        stock_user = new_test_user(
            self.env, login="crm_stock_user", groups="stock.group_stock_user,crm_core.group_user"
        )
        self.assertEqual(self.customers[0].with_user(stock_user).crm_delivery_count, 1)

    def test_correspondence_lists_delivery_notes_for_inventory_users(self):
        correspondence = self.env["crm.chronicle.correspondence"]
        delivery = self.picking(self.site)
        self.picking(self.customers[0], "in")  # a receipt: no row
        self.picking(self.customers[0]).action_cancel()  # cancelled: no row
        domain = [("partner_id", "=", self.customers[0].id), ("res_model", "=", "stock.picking")]
        rows = correspondence.search(domain)
        self.assertEqual(rows.mapped("kind"), ["stock_delivery"])
        self.assertEqual(rows.res_id, delivery.id)
        self.assertEqual(rows.date, delivery.scheduled_date)
        office = new_test_user(self.env, login="crm_stock_office2", groups="crm_core.group_user")
        stock_user = new_test_user(
            self.env, login="crm_stock_user2", groups="stock.group_stock_user,crm_core.group_user"
        )
        self.assertFalse(correspondence.with_user(office).search(domain))
        self.assertEqual(correspondence.with_user(stock_user).search(domain), rows)
