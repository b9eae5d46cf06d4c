from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_customer_tour(self):
        self.start_tour("/odoo", "crm_core_customer_tour", login="admin")
        partner = self.env["res.partner"].search([("name", "=", "Tour Kunde GmbH")])
        self.assertEqual(len(partner), 1)
        self.assertTrue(partner.crm_debtor_number.isdigit())
        self.assertGreater(partner.customer_rank, 0)
