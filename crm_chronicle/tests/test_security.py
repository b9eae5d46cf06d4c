from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestSecurity(ChronicleCommon):
    def test_private_entries_for_author_responsible_and_managers(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "note", "Private remark", resubmission_date="2026-05-01"
        )
        entry.private = True
        Entry2 = self.Entry.with_user(self.user2)
        self.assertFalse(Entry2.search([("id", "=", entry.id)]))
        with self.assertRaises(AccessError):
            entry.with_user(self.user2).read(["name"])
        self.assertFalse(
            self.env["crm.chronicle.resubmission"]
            .with_user(self.user2)
            .search([("entry_id", "=", entry.id)])
        )
        self.assertEqual(self.Entry.with_user(self.user).search([("id", "=", entry.id)]), entry)
        self.assertEqual(self.Entry.with_user(self.manager).search([("id", "=", entry.id)]), entry)
        # the responsible user (not the author) sees it too
        entry.user_id = self.user2
        self.assertEqual(Entry2.search([("id", "=", entry.id)]), entry)
        # a public entry is seen by every CRM user
        other = self.Entry.with_user(self.user).crm_log(self.customer, "note", "Public")
        self.assertEqual(Entry2.search([("id", "=", other.id)]), other)
        # the partner's count only counts what the user may see
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.with_user(self.manager).crm_chronicle_count, 2)
        entry.user_id = self.user
        self.env.invalidate_all()
        self.assertEqual(self.customer.with_user(self.user2).crm_chronicle_count, 1)

    def test_company_rules(self):
        company2 = self.env["res.company"].create({"name": "Zweite Firma s.r.o."})
        user_c2 = new_test_user(
            self.env,
            login="chron_c2",
            groups="crm_core.group_manager",
            company_id=company2.id,
            company_ids=[(6, 0, company2.ids)],
        )
        partner_c2 = self.env["res.partner"].create({"name": "Kunde C2", "company_id": company2.id})
        entry_c2 = self.Entry.with_user(user_c2).crm_log(partner_c2, "call", "In company 2")
        self.assertEqual(entry_c2.company_id, company2)
        entry_c1 = self.Entry.with_user(self.manager).crm_log(self.customer, "call", "In company 1")
        self.assertEqual(entry_c1.company_id, self.env.company)
        self.assertFalse(self.Entry.with_user(user_c2).search([("id", "=", entry_c1.id)]))
        self.assertFalse(self.Entry.with_user(self.manager).search([("id", "=", entry_c2.id)]))
        with self.assertRaises(AccessError):
            entry_c2.with_user(self.manager).read(["name"])

    def test_entries_of_partners_the_user_cannot_see(self):
        company2 = self.env["res.company"].create({"name": "Andere GmbH"})
        hidden = self.env["res.partner"].create({"name": "Versteckt", "company_id": company2.id})
        # logged in company 1 (sudo, e.g. by an integration) about a company-2-only partner
        entry = self.Entry.crm_log(hidden, "call", "about a hidden partner")
        entry.company_id = self.env.company
        self.assertFalse(self.Entry.with_user(self.manager).search([("id", "=", entry.id)]))

    def test_user_cannot_delete_entries_or_manage_types(self):
        entry = self.Entry.with_user(self.user).crm_log(self.customer, "call", "x")
        with self.assertRaises(AccessError):
            entry.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.chronicle.type"].with_user(self.user).create(
                {"name": "Fax", "code": "fax"}
            )
        entry.with_user(self.manager).unlink()
        self.env["crm.chronicle.type"].with_user(self.manager).create(
            {"name": "Fax", "code": "fax"}
        )

    def test_user_without_crm_group_has_no_access(self):
        plain = new_test_user(self.env, login="chron_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Entry.with_user(plain).crm_log(self.customer, "call", "x")
        with self.assertRaises(AccessError):
            self.env["crm.chronicle.resubmission"].with_user(plain).search([])
