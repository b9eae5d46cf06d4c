from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user


def _main_contact(company, role):
    """The company's main contact for the role."""
    return company.crm_link_ids.filtered(
        lambda link: link.role_id == role and link.is_main
    ).contact_id


@tagged("post_install", "-at_install")
class TestContactPersons(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="crm_contact_user", groups="crm_core.group_user")
        Partner = cls.env["res.partner"].with_user(cls.user)
        cls.company = Partner.create({"name": "Holzbau Richter GmbH", "is_company": True})
        cls.other_company = Partner.create({"name": "Stavby Dvořák a.s.", "is_company": True})
        cls.purchasing = cls.env.ref("crm_core.crm_contact_role_purchasing")
        cls.management = cls.env.ref("crm_core.crm_contact_role_management")

    def test_contact_person_fields_in_form(self):
        with Form(self.company) as form:
            with form.child_ids.new() as child:
                child.type = "contact"
                child.name = "Andreas Richter"
                child.function = "Zimmermeister"
                child.crm_department = "Produktion"
                child.crm_birthday = "1970-05-17"
                child.crm_preferred_channel = "phone"
                child.crm_decision_maker = True
                child.crm_title = "Dipl.-Ing."
        person = self.company.child_ids
        self.assertEqual(person.crm_department, "Produktion")
        self.assertEqual(str(person.crm_birthday), "1970-05-17")
        self.assertTrue(person.crm_decision_maker)
        self.assertEqual(person.crm_preferred_channel, "phone")
        self.assertEqual(person.crm_title, "Dipl.-Ing.")
        self.assertEqual(self.company.crm_contact_count, 1)
        decision_makers = self.env["res.partner"].search(
            [("crm_decision_maker", "=", True), ("parent_id", "=", self.company.id)]
        )
        self.assertEqual(decision_makers, person)

    def test_main_contact_per_role_and_further_companies(self):
        Partner = self.env["res.partner"].with_user(self.user)
        anna = Partner.create({"name": "Anna Richter", "parent_id": self.company.id})
        uwe = Partner.create({"name": "Uwe Brandt", "parent_id": self.company.id})
        Link = self.env["crm.partner.link"].with_user(self.user)
        first = Link.create(
            {
                "company_partner_id": self.company.id,
                "contact_id": anna.id,
                "role_id": self.purchasing.id,
                "is_main": True,
            }
        )
        self.assertEqual(_main_contact(self.company, self.purchasing), anna)
        # a new main contact for the role replaces the previous one
        Link.create(
            {
                "company_partner_id": self.company.id,
                "contact_id": uwe.id,
                "role_id": self.purchasing.id,
                "is_main": True,
            }
        )
        self.assertFalse(first.is_main)
        self.assertEqual(_main_contact(self.company, self.purchasing), uwe)
        self.assertEqual(_main_contact(anna.commercial_partner_id, self.purchasing), uwe)
        first.is_main = True
        self.assertEqual(_main_contact(self.company, self.purchasing), anna)
        # Anna also advises another company, without a second partner record
        with Form(anna) as form:
            with form.crm_contact_link_ids.new() as line:
                line.company_partner_id = self.other_company
                line.role_id = self.management
                line.function = "Beraterin"
        self.assertEqual(self.other_company.crm_link_ids.contact_id, anna)
        self.assertEqual(_main_contact(self.other_company, self.management), Partner)
        self.assertFalse(self.other_company.crm_link_ids.is_own_company)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Anna Richter")]), 1)
        with self.assertRaisesRegex(ValidationError, "Stavby Dvořák"):
            Link.create(
                {
                    "company_partner_id": self.company.id,
                    "contact_id": self.other_company.id,
                    "role_id": self.management.id,
                }
            )

    def test_user_cannot_manage_contact_roles(self):
        with self.assertRaises(AccessError):
            self.env["crm.contact.role"].with_user(self.user).create({"name": "Sekretariat"})
