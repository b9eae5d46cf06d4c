"""What a new user sees in the suite's views (issue 20): numbers that are identifiers, not
quantities (ports, DATEV numbers, account ranges, ids on a device) are shown as typed, not
with thousands separators ("49.000", "1.012"). Checks the views of every installed addon of
the suite, so an addon installed later is held to the same rule."""

import re

from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

# integer fields named like this hold an identifier, not an amount
IDENTIFIER_NAME = re.compile(r"(_port|_number|_from|_to|phonebook_id)$")


@tagged("post_install", "-at_install")
class TestIdentifierNumbers(TransactionCase):
    def test_identifier_integers_are_not_formatted(self):
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("form", "list", "kanban")), ("model", "!=", False)]
        )
        ours = views.filtered(lambda v: (v.xml_id or "").startswith("crm_"))
        self.assertTrue(ours)
        checked, wrong = 0, []
        for view in ours:
            if view.model not in self.env:
                continue
            fields = self.env[view.model]._fields
            for node in etree.fromstring(view.arch_db.encode()).iter("field"):
                field = fields.get(node.get("name"))
                if not field or field.type != "integer" or not IDENTIFIER_NAME.search(field.name):
                    continue
                checked += 1
                options = safe_eval(node.get("options") or "{}", {"true": True, "false": False})
                if options.get("enable_formatting", True):
                    wrong.append(f"{view.xml_id}: {field.name}")
        self.assertTrue(checked, "the rule found identifier fields to check")
        self.assertFalse(wrong, "identifiers shown with thousands separators")


# the cockpit's buttons in the order a user opens them most (those installed)
COCKPIT_ORDER = [
    "action_open_crm_chronicle",
    "action_crm_phone_calls",
    "action_crm_scan_documents",
    "action_crm_sepa_mandates",
    "action_crm_open_invoices",
]
# Odoo's own buttons: after the suite's, hidden when they count nothing
ODOO_BUTTONS = {
    "action_view_partner_invoices": "not total_invoiced",
    "action_view_tasks": "not task_count",
    "schedule_meeting": "not meeting_count",
}
# secondary buttons of the suite: hidden when empty
SECONDARY = {
    "action_crm_phone_calls": "crm_phone_call_count",
    "action_crm_scan_documents": "crm_scan_document_count",
    "action_crm_sepa_mandates": "crm_sepa_mandate_count",
    "action_crm_sepa_debits": "crm_sepa_debit_count",
    "action_crm_open_contacts": "crm_contact_count",
    "action_crm_open_addresses": "crm_address_count",
    "action_crm_open_bank_accounts": "crm_bank_count",
}


@tagged("post_install", "-at_install")
class TestCockpitView(TransactionCase):
    """The customer form as a new user sees it (issue 20): the cockpit opens with the
    chronicle, calls, scans and mandates, not with Odoo's "Meetings 0" and "Tasks 0"; the
    Definitions tab does not repeat the Sales & Purchase tab."""

    def _form(self, user=None):
        Partner = self.env["res.partner"].with_user(user) if user else self.env["res.partner"]
        arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        return etree.fromstring(arch)

    def test_cockpit_order_and_empty_buttons(self):
        box = self._form().xpath("//div[@name='button_box']")[0]
        names = [button.get("name") for button in box.iterchildren("button")]
        present = [name for name in COCKPIT_ORDER if name in names]
        self.assertEqual(present[:2], COCKPIT_ORDER[:2], names)  # chronicle, calls: installed
        self.assertEqual(
            [names.index(name) for name in present],
            list(range(len(present))),
            f"the cockpit starts with {present}: {names}",
        )
        for name, invisible in ODOO_BUTTONS.items():
            if name in names:
                self.assertGreater(names.index(name), names.index(present[-1]), names)
                button = box.xpath(f"button[@name='{name}']")[0]
                self.assertEqual(button.get("invisible"), invisible, name)
        for name, count in SECONDARY.items():
            for button in box.xpath(f"button[@name='{name}']"):
                self.assertIn(f"not {count}", button.get("invisible") or "", name)
        chronicle = box.xpath("button[@name='action_open_crm_chronicle']")[0]
        self.assertFalse(chronicle.get("invisible"), "the chronicle is always there")

    def test_definitions_do_not_repeat_sales_and_purchase(self):
        def page_fields(form, page):
            return {f.get("name") for f in form.xpath(f"//page[@name='{page}']//field")}

        admin = self._form()
        repeated = page_fields(admin, "crm_definitions") & page_fields(admin, "sales_purchases")
        self.assertFalse(repeated, "fields in both Definitions and Sales & Purchase")
        self.assertIn("property_payment_term_id", page_fields(admin, "sales_purchases"))
        # a salesperson without accounting rights still sets the terms in Definitions
        sales = self.env["res.users"].create(
            {
                "name": "Definitions Sales",
                "login": "definitions_sales",
                "group_ids": [(6, 0, self.env.ref("crm_core.group_user").ids)],
            }
        )
        form = self._form(sales)
        self.assertIn("property_payment_term_id", page_fields(form, "crm_definitions"))
        self.assertFalse(
            page_fields(form, "crm_definitions") & page_fields(form, "sales_purchases")
        )


@tagged("post_install", "-at_install")
class TestDefaultRoles(TransactionCase):
    """The default roles of a fresh installation (issue 20, point 8): offered in the user
    form as one choice, each bringing the groups its job needs; the demo users have them."""

    def test_roles_bring_their_groups(self):
        salesperson = self.env.ref("crm_core.group_role_salesperson")
        office = self.env.ref("crm_core.group_role_office_manager")
        sales_user = self.env["res.users"].create(
            {"name": "Role Sales", "login": "role_sales", "group_ids": [(6, 0, salesperson.ids)]}
        )
        office_user = self.env["res.users"].create(
            {"name": "Role Office", "login": "role_office", "group_ids": [(6, 0, office.ids)]}
        )
        self.assertTrue(sales_user.has_group("crm_core.group_user"))
        self.assertFalse(sales_user.has_group("crm_core.group_manager"))
        self.assertFalse(sales_user.has_group("account.group_account_invoice"))
        for group in ("crm_core.group_manager", "account.group_account_invoice"):
            self.assertTrue(office_user.has_group(group), group)
        if self.env.ref("crm_billing_sepa.group_sepa_manager", raise_if_not_found=False):
            self.assertTrue(office_user.has_group("crm_billing_sepa.group_sepa_manager"))
            self.assertFalse(sales_user.has_group("crm_billing_sepa.group_billing"))

    def test_user_form_offers_the_roles(self):
        hierarchy = self.env["res.groups"]._get_view_group_hierarchy()
        privilege = self.env.ref("crm_core.res_groups_privilege_crm_role")
        offered = hierarchy["privileges"][privilege.id]["group_ids"]
        self.assertEqual(
            offered,
            [
                self.env.ref("crm_core.group_role_salesperson").id,
                self.env.ref("crm_core.group_role_office_manager").id,
            ],
        )
        sales = next(c for c in hierarchy["categories"] if privilege.id in c["privilege_ids"])
        self.assertEqual(sales["id"], self.env.ref("base.module_category_sales").id)

    def test_demo_users_have_roles(self):
        office = self.env.ref("crm_core.user_demo_office_manager", raise_if_not_found=False)
        if not office:
            self.skipTest("installed without demo data")
        self.assertTrue(office.has_group("crm_core.group_role_office_manager"))
        demo = self.env.ref("base.user_demo")
        self.assertTrue(demo.has_group("crm_core.group_role_salesperson"))
        self.assertTrue(demo.has_group("crm_core.group_user"))
