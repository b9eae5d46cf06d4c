from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_customer_tour(self):
        """A salesperson (CRM user, no accounting rights) creates a customer with two
        addresses, a contact person and a bank account, and sees its debtor number."""
        new_test_user(self.env, login="crm_tour_sales", groups="crm_core.group_user")
        self.start_tour("/odoo", "crm_core_customer_tour", login="crm_tour_sales")
        partner = self.env["res.partner"].search([("name", "=", "Tour Kunde GmbH")])
        self.assertEqual(len(partner), 1)
        self.assertTrue(partner.crm_debtor_number.isdigit())
        self.assertGreater(partner.customer_rank, 0)
        self.assertEqual(partner.crm_role_ids.mapped("code"), ["customer"])
        children = {child.type: child for child in partner.child_ids}
        self.assertEqual(set(children), {"invoice", "delivery", "contact"})
        self.assertEqual(children["invoice"].city, "Leipzig")
        self.assertEqual(children["delivery"].street, "Lagerstraße 5")
        self.assertEqual(children["contact"].function, "Einkauf")
        self.assertEqual(partner.bank_ids.acc_number, "DE89 3704 0044 0532 0130 00")
        self.assertEqual(partner.bank_ids.bank_id.bic, "COBADEFFXXX")
        self.assertEqual(partner.address_get(["invoice"])["invoice"], children["invoice"].id)

    def test_customers_menu_tour(self):
        """Customers opens on customers; prospects and suppliers one click away."""
        Partner = self.env["res.partner"]
        roles = {r.code: r for r in self.env["crm.partner.role"].search([])}
        customer = Partner.create(
            {"name": "Menutour Kunde GmbH", "is_company": True, "customer_rank": 1}
        )
        Partner.create({"name": "Menutour Ansprech", "parent_id": customer.id, "customer_rank": 1})
        Partner.create({"name": "Menutour Lieferant AG", "is_company": True, "supplier_rank": 1})
        Partner.create(
            {
                "name": "Menutour Interessent",
                "crm_role_ids": [(6, 0, roles["prospect"].ids)],
            }
        )
        self.start_tour("/odoo", "crm_core_menu_tour", login="admin")


@tagged("post_install", "-at_install")
class TestUiTablet(HttpCase):
    """The customer list on an iPad (1024x768, touch)."""

    browser_size = "1024x768"
    touch_enabled = True

    def test_list_names_tour(self):
        self.env["res.partner"].create(
            {
                "name": "Getränkehandel Elbflorenz GmbH",
                "is_company": True,
                "customer_rank": 1,
                "email": "bestellung@getraenkehandel-elbflorenz.example.com",
                "phone": "+49 351 4445566",
            }
        )
        action = self.env.ref("crm_core.res_partner_action_customers")
        self.start_tour(
            f"/odoo/action-{action.id}?view_type=list", "crm_core_list_names_tour", login="admin"
        )


@tagged("post_install", "-at_install")
class TestUiDesktopList(HttpCase):
    """The customer list at 1440x900 (issue 20: e-mail and country were squeezed to 89 px)."""

    browser_size = "1440x900"

    def test_list_columns_tour(self):
        self.env["res.partner"].create(
            {
                "name": "Spaltentest Maschinenbau GmbH",
                "is_company": True,
                "customer_rank": 1,
                "email": "info@maschinenbau.example.com",
                "phone": "+49 711 7820450",
                "country_id": self.env.ref("base.cz").id,
            }
        )
        action = self.env.ref("crm_core.res_partner_action_customers")
        self.start_tour(
            f"/odoo/action-{action.id}?view_type=list", "crm_core_list_columns_tour", login="admin"
        )
