from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmCoreAccountCommon


@tagged("post_install", "-at_install")
class TestAddresses(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_user(cls.crm_user)
        cls.customer = Partner.create(
            {"name": "Metallbau Fischer GmbH", "is_company": True, "customer_rank": 1}
        )
        cls.branch_type = cls.env.ref("crm_core.crm_address_type_branch")

        def address(name, kind, **vals):
            return Partner.create(
                {"name": name, "type": kind, "parent_id": cls.customer.id, "city": name, **vals}
            )

        cls.invoice_1 = address("Bremen", "invoice")
        cls.invoice_2 = address("Hamburg", "invoice")
        cls.delivery_1 = address("Bremerhaven", "delivery")
        cls.delivery_2 = address("Oldenburg", "delivery")
        cls.branch = address("Kiel", "other", crm_address_type_id=cls.branch_type.id)

    def test_any_number_of_typed_addresses(self):
        self.assertEqual(self.customer.crm_address_count, 5)
        branches = self.env["res.partner"].search(
            [("crm_address_type_id", "=", self.branch_type.id)]
        )
        self.assertEqual(branches, self.branch)

    def test_one_default_per_type_used_by_documents(self):
        # without defaults Odoo takes the first address of each type
        self.assertEqual(
            self.customer.address_get(["invoice", "delivery"]),
            {
                "invoice": self.invoice_1.id,
                "delivery": self.delivery_1.id,
                "contact": self.customer.id,
            },
        )
        self.invoice_2.with_user(self.crm_user).crm_is_default_address = True
        self.delivery_2.with_user(self.crm_user).crm_is_default_address = True
        self.assertEqual(self.customer.address_get(["invoice"])["invoice"], self.invoice_2.id)
        # one default per type: the new default replaces the old one
        self.invoice_1.crm_is_default_address = True
        self.assertFalse(self.invoice_2.crm_is_default_address)
        self.assertTrue(self.delivery_2.crm_is_default_address)
        # a document for the customer takes the defaults
        move = self.env["account.move"].new(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        self.assertEqual(move.partner_shipping_id, self.delivery_2)
        # a contact person of the customer also leads to the defaults
        person = self.env["res.partner"].create(
            {"name": "Uwe Fischer", "parent_id": self.customer.id}
        )
        self.assertEqual(person.address_get(["delivery"])["delivery"], self.delivery_2.id)
        # an address chosen explicitly stays itself
        self.assertEqual(self.delivery_1.address_get(["delivery"])["delivery"], self.delivery_1.id)
        # and the cockpit's new invoice goes to the default invoice address
        action = self.customer.with_env(self.env).action_crm_new_invoice()
        self.assertEqual(action["context"]["default_partner_id"], self.invoice_1.id)

    def test_default_addresses_of_many_partners_in_one_query(self):
        """Invoicing thousands of customers reads their default addresses at once: the same
        result as address_get per partner."""
        self.invoice_2.crm_is_default_address = True
        self.delivery_2.crm_is_default_address = True
        other = self.env["res.partner"].create({"name": "Kunde ohne Adressen", "is_company": True})
        person = self.env["res.partner"].create({"name": "Uwe", "parent_id": self.customer.id})
        partners = self.customer | person | self.delivery_1 | self.invoice_1 | other
        expected = {
            partner.id: partner.address_get(["invoice", "delivery"]) for partner in partners
        }
        self.assertEqual(expected[person.id]["delivery"], self.delivery_2.id)
        self.assertEqual(expected[self.delivery_1.id]["delivery"], self.delivery_1.id)
        self.assertEqual(expected[self.delivery_1.id]["invoice"], self.invoice_2.id)
        self.assertEqual(expected[other.id]["invoice"], other.id)
        self.env.invalidate_all()
        # the partners, their children, the default addresses: not one query per partner
        with self.assertQueryCount(5):
            result = partners._crm_address_get_multi(["invoice", "delivery"])
        self.assertEqual(result, expected)

    def test_address_of_posted_document_cannot_be_deleted(self):
        invoice = self._post(self.invoice_2, 100.0)
        self.assertEqual(invoice.state, "posted")
        with self.assertRaisesRegex(UserError, "Hamburg.*posted document.*Archive"):
            self.invoice_2.with_user(self.crm_user).unlink()
        self.invoice_2.with_user(self.crm_user).action_archive()
        self.assertFalse(self.invoice_2.active)
        # the posted invoice also delivers to the first delivery address
        self.assertEqual(invoice.partner_shipping_id, self.delivery_1)
        with self.assertRaisesRegex(UserError, "Bremerhaven.*posted document"):
            self.delivery_1.with_user(self.crm_user).unlink()
        # an address only on a draft, or on nothing, can go
        draft = self._post(self.branch, 50.0, post=False)
        self.assertEqual(draft.state, "draft")
        draft.unlink()
        self.branch.with_user(self.crm_user).unlink()
        self.assertFalse(self.branch.exists())
