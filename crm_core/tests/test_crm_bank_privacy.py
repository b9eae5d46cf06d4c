"""Who sees complete bank account numbers (finding 4 of issue 17): invoicing, accounting and
SEPA users see them; every other internal user - without CRM rights, CRM user, CRM manager -
sees them masked wherever Odoo shows, exports or finds them, and Odoo's own flows (partner
form, bank accounts, invoices) keep working for both."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import new_test_user

IBAN = "DE89 3704 0044 0532 0130 00"
MASKED = "**** **** **** **** **30 00"


@tagged("post_install", "-at_install")
class TestBankPrivacy(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.internal = new_test_user(
            cls.env,
            login="bank_internal",
            groups="base.group_user,base.group_allow_export",
            **common,
        )
        cls.crm_user = new_test_user(
            cls.env,
            login="bank_crm_user",
            groups="crm_core.group_user,base.group_allow_export",
            **common,
        )
        cls.crm_manager = new_test_user(
            cls.env,
            login="bank_crm_manager",
            groups="crm_core.group_manager,base.group_allow_export",
            **common,
        )
        cls.billing = new_test_user(
            cls.env,
            login="bank_billing",
            groups="crm_core.group_user,account.group_account_invoice,base.group_allow_export",
            **common,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="bank_accountant",
            groups="account.group_account_user,base.group_allow_export",
            **common,
        )
        cls.masked_users = (cls.internal, cls.crm_user, cls.crm_manager)
        cls.full_users = (cls.billing, cls.accountant)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kontoinhaber GmbH", "is_company": True, "customer_rank": 1}
        )
        cls.account = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.customer.id}
        )

    def test_group_comes_with_invoicing(self):
        group = self.env.ref("crm_core.group_bank_account_number")
        self.assertIn(group, self.env.ref("account.group_account_invoice").all_implied_ids)
        for user in self.full_users:
            self.assertTrue(user.has_group("crm_core.group_bank_account_number"), user.login)
        for user in self.masked_users:
            self.assertFalse(user.has_group("crm_core.group_bank_account_number"), user.login)

    def test_read_paths(self):
        for user, expected in [(u, MASKED) for u in self.masked_users] + [
            (u, IBAN) for u in self.full_users
        ]:
            with self.subTest(user=user.login):
                Bank = self.env["res.partner.bank"].with_user(user)
                account = Bank.browse(self.account.id)
                sanitized = expected if expected == MASKED else IBAN.replace(" ", "")
                values = account.read(["acc_number", "sanitized_acc_number", "display_name"])[0]
                self.assertEqual(values["acc_number"], expected)
                self.assertEqual(values["sanitized_acc_number"], sanitized)
                self.assertIn(expected, values["display_name"])
                rows = Bank.search_read([("id", "=", account.id)], ["acc_number"])
                self.assertEqual(rows[0]["acc_number"], expected)
                # the partner form reads its bank accounts with web_read
                partner = self.env["res.partner"].with_user(user).browse(self.customer.id)
                form = partner.web_read(
                    {"bank_ids": {"fields": {"acc_number": {}, "display_name": {}}}}
                )[0]
                self.assertEqual(form["bank_ids"][0]["acc_number"], expected)
                self.assertIn(expected, form["bank_ids"][0]["display_name"])
                # exports, also through the partner
                exported = partner.export_data(["name", "bank_ids/acc_number"])["datas"]
                self.assertEqual(exported[0][1], expected)
                exported = account.export_data(["acc_number", "sanitized_acc_number"])["datas"]
                self.assertEqual(exported[0], [expected, sanitized])
                # the account's name where a record links to it: Odoo's web_read computes
                # it with sudo, the user still counts
                self.assertIn(expected, account.sudo().display_name)

    def test_linked_name_on_an_invoice(self):
        invoice = self.init_invoice("in_invoice", partner=self.customer, amounts=[100.0])
        invoice.partner_bank_id = self.account
        spec = {"partner_bank_id": {"fields": {"display_name": {}}}}
        for user in self.full_users:
            move = invoice.with_user(user)
            name = move.web_read(spec)[0]["partner_bank_id"]["display_name"]
            self.assertIn(IBAN, name)

    def test_search_by_part_of_the_number_is_refused(self):
        for user in self.masked_users:
            with self.subTest(user=user.login):
                Bank = self.env["res.partner.bank"].with_user(user)
                for domain in (
                    [("acc_number", "ilike", "DE89")],
                    [("sanitized_acc_number", "=like", "DE8937%")],
                    [("acc_number", ">", "DE80")],
                    [("partner_id", "!=", False), ("acc_number", "not ilike", "3000")],
                ):
                    with self.assertRaisesRegex(AccessError, "complete bank account numbers"):
                        Bank.search(domain)
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).search(
                        [("bank_ids.acc_number", "ilike", "0532")]
                    )
                with self.assertRaises(AccessError):
                    Bank.search([], order="acc_number")
                with self.assertRaises(AccessError):
                    Bank.formatted_read_group([], ["acc_number"], ["__count"])
                with self.assertRaises(AccessError):
                    Bank.formatted_read_group([], ["partner_id"], ["sanitized_acc_number:max"])
                # the complete number finds the account (the demo data may have it too);
                # so do the names
                self.assertIn(self.account, Bank.search([("acc_number", "=", IBAN)]))
                self.assertIn(
                    self.account,
                    Bank.search([("sanitized_acc_number", "in", [IBAN.replace(" ", "")])]),
                )
                found = [row[0] for row in Bank.name_search("Kontoinhaber")]
                self.assertIn(self.account.id, found)
                found = [row[0] for row in Bank.name_search(IBAN, limit=None)]
                self.assertIn(self.account.id, found)
                self.assertFalse(Bank.name_search("0532 0130"))
        Bank = self.env["res.partner.bank"].with_user(self.billing)
        self.assertIn(self.account, Bank.search([("acc_number", "ilike", "0532")]))
        self.assertIn(self.account.id, [row[0] for row in Bank.name_search("0532", limit=None)])

    def test_partner_chatter_shows_masked_numbers(self):
        account = self.env["res.partner.bank"].create(
            {"acc_number": "DE62370400440532013001", "partner_id": self.customer.id}
        )
        account.with_user(self.billing).write({"acc_number": "DE83370400440532013011"})
        account.with_user(self.crm_user).unlink()
        bodies = " ".join(self.customer.message_ids.mapped("body"))
        self.assertIn("**** **** **** **** **30 11", bodies)
        self.assertNotIn("0532013011", bodies.replace(" ", ""))
        # the change of the number (Odoo's tracking on the partner) shows to whom may see it
        trackings = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "acc_number"
        )
        self.assertTrue(trackings)
        for user in self.masked_users:
            shown = self.customer.with_user(user)._track_filter_for_display(trackings)
            self.assertFalse(shown, user.login)
        shown = self.customer.with_user(self.billing)._track_filter_for_display(trackings)
        self.assertEqual(shown, trackings)

    def test_flows_with_and_without_invoicing(self):
        # a CRM user keeps the customer's bank accounts in the partner form
        with Form(self.customer.with_user(self.crm_user)) as form:
            with form.bank_ids.new() as line:
                line.acc_number = "DE62 3704 0044 0532 0130 01"
                line.crm_use_incoming = True
        new = self.customer.bank_ids.filtered(lambda b: b.sanitized_acc_number.endswith("3001"))
        self.assertEqual(new.bank_id.bic, "COBADEFFXXX")
        # ... and changes a usage: the masked number the form shows is written back unchanged
        Bank = self.env["res.partner.bank"].with_user(self.crm_user)
        shown = Bank.browse(new.id).read(["acc_number"])[0]["acc_number"]
        Bank.browse(new.id).write({"acc_number": shown, "crm_use_outgoing": True})
        self.assertEqual(new.acc_number, "DE62 3704 0044 0532 0130 01")
        self.assertTrue(new.crm_use_outgoing)
        # a user without CRM rights opens the partner
        Form(self.customer.with_user(self.internal))
        # invoicing users work with complete numbers: a vendor bill paid to the account
        bill = Form(
            self.env["account.move"]
            .with_user(self.billing)
            .with_context(default_move_type="in_invoice")
        )
        bill.partner_id = self.customer
        bill.invoice_date = "2026-12-01"
        bill.partner_bank_id = self.account
        with bill.invoice_line_ids.new() as line:
            line.name = "Leistung"
            line.price_unit = 100.0
            line.tax_ids.clear()
        bill = bill.save()
        bill.action_post()
        self.assertEqual(bill.partner_bank_id, self.account)
        self.assertIn(IBAN, bill.with_user(self.billing).partner_bank_id.display_name)
