from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.base.tests.common import BaseCommon, new_test_user


@tagged("post_install", "-at_install")
class TestPartnerNumber(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user = new_test_user(cls.env, login="crm_user", groups="crm_core.group_user")
        cls.manager = new_test_user(cls.env, login="crm_mgr", groups="crm_core.group_manager")
        cls.sequence = cls.company.crm_debtor_sequence_id

    def test_company_has_number_ranges(self):
        self.assertTrue(self.company.crm_debtor_sequence_id)
        self.assertTrue(self.company.crm_creditor_sequence_id)
        company = self.env["res.company"].create({"name": "Second GmbH"})
        self.assertEqual(company.crm_debtor_sequence_id.company_id, company)
        self.assertEqual(company.crm_debtor_sequence_id.number_next_actual, 10000)
        self.assertEqual(company.crm_creditor_sequence_id.number_next_actual, 70000)

    def test_customer_gets_debtor_number_on_create(self):
        expected = self.sequence.get_next_char(self.sequence.number_next_actual)
        partner = self.env["res.partner"].create({"name": "Kunde AG", "customer_rank": 1})
        self.assertEqual(partner.crm_debtor_number, expected)
        self.assertFalse(partner.crm_creditor_number)

    def test_prospect_gets_number_when_it_becomes_customer(self):
        partner = self.env["res.partner"].create({"name": "Interessent s.r.o."})
        self.assertFalse(partner.crm_debtor_number)
        partner._increase_rank("customer_rank")
        self.assertTrue(partner.crm_debtor_number)
        supplier = self.env["res.partner"].create({"name": "Lieferant KG", "supplier_rank": 1})
        self.assertTrue(supplier.crm_creditor_number)
        self.assertFalse(supplier.crm_debtor_number)

    def test_contact_person_shows_company_number(self):
        company = self.env["res.partner"].create(
            {"name": "Firma GmbH", "is_company": True, "customer_rank": 1}
        )
        person = self.env["res.partner"].create({"name": "Eva Muster", "parent_id": company.id})
        self.assertEqual(person.crm_debtor_number, company.crm_debtor_number)
        self.assertEqual(
            len(self.env["crm.partner.number"].search([("partner_id", "=", person.id)])), 0
        )

    def test_batch_create_distinct_numbers(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Kunde {i}", "customer_rank": 1} for i in range(20)]
        )
        numbers = partners.mapped("crm_debtor_number")
        self.assertEqual(len(set(numbers)), 20)
        found = self.env["res.partner"].search([("crm_debtor_number", "=", numbers[3])])
        self.assertEqual(found, partners[3])

    def test_button_and_idempotence(self):
        partner = self.env["res.partner"].create({"name": "Ohne Nummer"})
        partner.action_assign_debtor_number()
        number = partner.crm_debtor_number
        self.assertTrue(number)
        partner.action_assign_debtor_number()
        self.assertEqual(partner.crm_debtor_number, number)

    def test_duplicate_number_is_refused_with_names(self):
        first = self.env["res.partner"].create({"name": "Erster", "customer_rank": 1})
        second = self.env["res.partner"].create({"name": "Zweiter", "customer_rank": 1})
        with self.assertRaisesRegex(ValidationError, "Zweiter.*Erster"):
            second.with_user(self.manager).crm_debtor_number = first.crm_debtor_number

    def test_user_cannot_set_numbers_by_hand(self):
        partner = self.env["res.partner"].create({"name": "Kunde", "customer_rank": 1})
        with self.assertRaises(AccessError):
            partner.with_user(self.user).crm_debtor_number = "99999"
        # but a user can create customers, which get numbers
        created = (
            self.env["res.partner"]
            .with_user(self.user)
            .create({"name": "Vom Benutzer", "customer_rank": 1})
        )
        self.assertTrue(created.crm_debtor_number)

    def test_manager_sets_number_in_form(self):
        partner = self.env["res.partner"].create({"name": "Manuell", "is_company": True})
        with Form(partner.with_user(self.manager)) as form:
            form.crm_debtor_number = "12345"
        self.assertEqual(partner.crm_debtor_number, "12345")
