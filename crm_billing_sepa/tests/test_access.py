"""Who may see and do what (issue 17, findings 6 and the access matrix): each group carries
what its job needs, a user without a role sees no button that fails, a plain user and a
user of a second company see nothing they must not - lists, statistics (read_group),
computed fields read with sudo and printed reports included."""

import base64
import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_core.tools.boundary import ArgumentError

from .common import IBAN_A, IBAN_B, OWN_IBAN
from .test_billing_service import ServiceCase

D = datetime.date
OUR_MODELS = (
    "crm.sepa.mandate",
    "crm.sepa.batch",
    "crm.sepa.batch.line",
    "crm.service",
    "crm.dunning.level",
    "crm.dunning.run",
    "crm.dunning.letter",
    "crm.dunning.letter.line",
)
# what this addon adds to the customer record
PARTNER_ACTIONS = {
    "action_crm_sepa_debit_now",
    "action_crm_sepa_mandates",
    "action_crm_sepa_debits",
    "action_crm_services",
    "action_crm_invoice_services",
    "action_crm_credit_note",
}
# buttons that only open or print what the user may read; every other object button of a
# form or list writes the record shown
READING_ACTIONS = {
    "action_view_debits",
    "action_download",
    "action_validate_file",
    "action_print",
    "action_open_letters",
    "action_open_invoice",
    "action_open_batches",
}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestAccess(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, company=None):
            company = company or cls.company
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.internal = user("acc_internal", "base.group_user")
        cls.crm_manager = user("acc_crm_manager", "crm_core.group_manager")
        cls.sepa_only = user("acc_sepa_only", "crm_billing_sepa.group_sepa_manager")
        cls.level = cls.env["crm.dunning.level"].create({"name": "Mahnung", "days": 7, "fee": 5.0})
        # company A: a customer with mandate, a collected debit, a service, a dunning letter
        cls.anna, _bank, cls.anna_mandate = cls.make_customer("Anna Access")
        cls.anna_invoice = cls.make_invoice(cls.anna, 25.0, due=D(2026, 1, 5))
        result = cls.env["crm.sepa.batch"].create_debit_batches()
        cls.batch = cls.env["crm.sepa.batch"].browse(result["batch_ids"])
        cls.batch.action_confirm()
        cls.service = cls.make_services(cls.anna, [("Wartung", cls.product_unit, 1, cls.today)])
        cls.late = cls.env["res.partner"].create({"name": "Spät GmbH", "is_company": True})
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Nur A GmbH", "is_company": True, "company_id": cls.company.id}
        )
        cls.make_invoice(cls.late, 40.0, due=D(2026, 1, 2))
        run = cls.env["crm.dunning.run"].run_dunning(date=cls.today, fee_mode="none")
        cls.dunning_run = cls.env["crm.dunning.run"].browse(run["run_id"])
        cls.records_a = {
            "crm.sepa.mandate": cls.anna_mandate,
            "crm.sepa.batch": cls.batch,
            "crm.sepa.batch.line": cls.batch.line_ids,
            "crm.service": cls.service,
            "crm.dunning.level": cls.level,
            "crm.dunning.run": cls.dunning_run,
            "crm.dunning.letter": cls.dunning_run.letter_ids,
            "crm.dunning.letter.line": cls.dunning_run.letter_ids.line_ids,
        }
        assert all(cls.records_a.values()), cls.records_a
        # company B, with its own SEPA manager; a customer shared by both companies
        cls.company_b = cls.setup_other_company(
            name="Zweite Handels GmbH", currency_id=cls.eur.id, country_id=cls.env.ref("base.de").id
        )["company"]
        cls.other = user("acc_other_company", "crm_billing_sepa.group_sepa_manager", cls.company_b)
        cls.shared = cls.env["res.partner"].create({"name": "Geteilt AG", "is_company": True})
        shared_bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN_B, "partner_id": cls.shared.id}
        )
        cls.shared_mandate_a = cls.env["crm.sepa.mandate"].create(
            {
                "partner_id": cls.shared.id,
                "bank_account_id": shared_bank.id,
                "signature_date": D(2025, 1, 1),
            }
        )
        cls.shared_mandate_a.action_activate()
        cls.make_services(cls.shared, [("Beratung", cls.product_unit, 2, cls.today)])
        cls.shared_invoice_b = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.shared.id,
                    "company_id": cls.company_b.id,
                    "currency_id": cls.eur.id,
                    "invoice_date": D(2026, 2, 1),
                    "invoice_line_ids": [
                        Command.create({"name": "B", "price_unit": 7.0, "tax_ids": []})
                    ],
                }
            )
        )
        cls.shared_invoice_b.action_post()

    # ------------------------------------------------------------------------------------------
    # A second company
    # ------------------------------------------------------------------------------------------
    def test_second_company_sees_nothing_of_the_first(self):
        for model, records in self.records_a.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.other)
                self.assertFalse(Model.search([("id", "in", records.ids)]))
                self.assertFalse(Model.search_count([]), "nothing of company B exists yet")
                with self.assertRaises(AccessError):
                    records.with_user(self.other).read(["display_name"])
        # the statistics (unbilled services, dunning overview) group only what is visible
        Service = self.env["crm.service"].with_user(self.other)
        self.assertEqual(Service._read_group([], ["partner_id"], ["amount:sum"]), [])
        Letter = self.env["crm.dunning.letter"].with_user(self.other)
        self.assertEqual(Letter._read_group([], ["level_id"], ["amount_due:sum"]), [])
        # the shared customer's figures and lists hold company B's records only (none)
        shared = self.shared.with_user(self.other)
        self.assertEqual(shared.crm_sepa_mandate_count, 0)
        self.assertFalse(shared.crm_sepa_mandate_ids)
        self.assertEqual(shared.crm_service_open_count, 0)
        self.assertFalse(shared.crm_service_ids)
        # computed with sudo: company B's invoice of the shared customer says nothing of
        # company A's mandate
        invoice = self.shared_invoice_b.with_user(self.other)
        self.assertFalse(invoice.crm_sepa_direct_debit)
        self.assertFalse(invoice.crm_sepa_prenotification)
        # printed reports and the batch file
        Report = self.env["ir.actions.report"].with_user(self.other)
        for report, records in (
            ("crm_billing_sepa.crm_sepa_mandate_report_action", self.anna_mandate),
            ("crm_billing_sepa.crm_dunning_letter_report", self.dunning_run.letter_ids),
        ):
            with self.subTest(report=report), self.assertRaises(AccessError):
                Report._render_qweb_html(report, records.ids)
        with self.assertRaises(AccessError):
            self.batch.with_user(self.other).file  # noqa: B018
        # nor can company B's SEPA manager act on company A's records
        with self.assertRaises(AccessError):
            self.batch.line_ids.with_user(self.other).register_return("AM04")
        with self.assertRaises(AccessError):
            self.anna_mandate.with_user(self.other).action_revoke()
        # the other company's invoices, customers and company are refused as arguments
        Batch = self.env["crm.sepa.batch"].with_user(self.other).with_company(self.company_b)
        for params, name in (
            ({"invoice_ids": self.anna_invoice.ids}, "invoice_ids"),
            ({"partner_ids": self.own_customer.ids}, "partner_ids"),
            ({"company_id": self.company.id}, "company_id"),
        ):
            with self.subTest(argument=name), self.assertRaisesRegex(ArgumentError, name):
                Batch.create_debit_batches(**params)
        with self.assertRaisesRegex(ArgumentError, "move_ids"):
            Batch.create_transfer_batches(move_ids=self.anna_invoice.ids)

    # ------------------------------------------------------------------------------------------
    # Users without the role
    # ------------------------------------------------------------------------------------------
    def test_internal_user_without_crm_rights_sees_nothing(self):
        for model, records in self.records_a.items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.internal).search_count([])
            with self.subTest(model=model), self.assertRaises(AccessError):
                records.with_user(self.internal).read(["display_name"])

    def test_crm_user_reads_but_neither_collects_nor_duns_nor_invoices(self):
        user = self.crm_user
        for model, records in self.records_a.items():
            with self.subTest(model=model):
                records.with_user(user).read(["display_name"])
        # and prints what it reads (a dunning letter lists invoices: no accounting rights)
        Report = self.env["ir.actions.report"].with_user(user)
        for report, records in (
            ("crm_billing_sepa.crm_sepa_mandate_report_action", self.anna_mandate),
            ("crm_billing_sepa.crm_dunning_letter_report", self.dunning_run.letter_ids),
        ):
            with self.subTest(report=report):
                html = Report._render_qweb_html(report, records.ids)[0].decode()
                self.assertIn(records[0].display_name.split(" ")[0], html)
        self.assertIn(
            self.dunning_run.letter_ids.line_ids.move_id.name,
            Report._render_qweb_html(
                "crm_billing_sepa.crm_dunning_letter_report", self.dunning_run.letter_ids.ids
            )[0].decode(),
        )
        with self.assertRaises(AccessError):
            self.env["crm.sepa.batch"].with_user(user).create_debit_batches()
        with self.assertRaises(AccessError):
            self.env["crm.sepa.batch"].with_user(user).create_transfer_batches()
        with self.assertRaises(AccessError):
            self.batch.with_user(user).action_cancel()
        with self.assertRaises(AccessError):
            self.batch.line_ids.with_user(user).register_return("AM04")
        with self.assertRaises(AccessError):
            self.env["crm.sepa.batch.line"].with_user(user).import_camt054(
                base64.b64encode(b"<x/>")
            )
        with self.assertRaises(AccessError):
            self.env["crm.dunning.run"].with_user(user).run_dunning()
        with self.assertRaises(AccessError):
            self.service.with_user(user).invoice_services()
        with self.assertRaises(AccessError):
            self.level.with_user(user).fee = 1.0
        with self.assertRaises(AccessError):
            self.env["crm.credit.note.wizard"].with_user(user).create(
                {"partner_id": self.anna.id, "mode": "free"}
            )

    # ------------------------------------------------------------------------------------------
    # Each role can do its job
    # ------------------------------------------------------------------------------------------
    def test_sepa_manager_without_an_accounting_group_collects_books_and_returns(self):
        """The finding: a SEPA manager without an accounting group got an AccessError
        running debits."""
        user = self.sepa_only
        self.assertFalse(
            self.env.ref("account.group_account_invoice") in user.group_ids,
            "the test user has no accounting group of its own",
        )
        self.assertTrue(user.has_group("account.group_account_invoice"), "implied by the role")
        customer, _bank, mandate = self.make_customer("Ohne Buchhaltung")
        invoice = self.make_invoice(customer, 12.0)
        Batch = self.env["crm.sepa.batch"].with_user(user)
        result = Batch.create_debit_batches(invoice_ids=invoice.ids)
        self.assertEqual(result["errors"], [])
        batch = Batch.browse(result["batch_ids"])
        batch.action_validate_file()
        batch.action_confirm()
        self.assertEqual(batch.state, "sent")
        self.assertEqual(mandate.sequence_type, "RCUR")
        batch.line_ids.register_return("AM04", charge_fee=True)
        self.assertEqual(batch.line_ids.state, "returned")
        self.assertEqual(batch.line_ids.fee_move_id.amount_total, 5.0)
        # a bill paid by credit transfer
        supplier = self.env["res.partner"].create({"name": "Lieferant", "is_company": True})
        self.env["res.partner.bank"].create({"acc_number": IBAN_B, "partner_id": supplier.id})
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": supplier.id,
                "invoice_date": D(2026, 2, 20),
                "invoice_date_due": D(2026, 3, 1),
                "invoice_line_ids": [
                    Command.create({"name": "Ware", "price_unit": 80.0, "tax_ids": []})
                ],
            }
        )
        bill.action_post()
        result = Batch.create_transfer_batches(move_ids=bill.ids)
        self.assertEqual(result["errors"], [])
        Batch.browse(result["batch_ids"]).action_confirm()
        # the wizards of the role
        wizard = (
            self.env["crm.sepa.debit.wizard"]
            .with_user(user)
            .create({"partner_ids": [Command.set(customer.ids)]})
        )
        wizard.action_create_batches()
        self.assertEqual(OWN_IBAN, batch.journal_id.bank_account_id.sanitized_acc_number)

    def test_billing_user_invoices_duns_and_credits(self):
        user = self.billing_user
        customer = self.env["res.partner"].create({"name": "Rechnung AG", "is_company": True})
        self.make_services(customer, [("Einsatz", self.product_unit, 1, self.today)])
        invoice_ids = (
            self.env["crm.service"].with_user(user).invoice_services(partner_ids=customer.ids)
        )
        invoice = self.env["account.move"].browse(invoice_ids)
        invoice.with_user(user).write(
            {"invoice_date": D(2026, 1, 1), "invoice_date_due": D(2026, 1, 1)}
        )
        invoice.with_user(user).action_post()
        result = self.env["crm.dunning.run"].with_user(user).run_dunning(date=D(2026, 3, 3))
        letters = self.env["crm.dunning.letter"].browse(result["letter_ids"])
        self.assertIn(customer, letters.partner_id)
        self.assertTrue(letters.filtered(lambda le: le.partner_id == customer).fee_move_id)
        letters.with_user(user).action_send()
        wizard = (
            self.env["crm.credit.note.wizard"]
            .with_user(user)
            .create({"partner_id": customer.id, "mode": "full", "move_id": invoice.id})
        )
        refund = self.env["account.move"].browse(wizard.action_create()["res_id"])
        self.assertEqual(refund.move_type, "out_refund")

    # ------------------------------------------------------------------------------------------
    # No button that fails
    # ------------------------------------------------------------------------------------------
    def _object_buttons(self, model, user, view_type):
        arch = (
            self.env[model]
            .with_user(user)
            .get_views([(False, view_type)])["views"][view_type]["arch"]
        )
        return {
            node.get("name")
            for node in etree.fromstring(arch).iter("button")
            if node.get("type") == "object"
        }

    def test_no_button_that_fails(self):
        users = [
            self.crm_user,
            self.crm_manager,
            self.billing_user,
            self.sepa_only,
            self.other,
        ]
        for user in users:
            for model in OUR_MODELS:
                if not self.env[model].with_user(user).has_access("read"):
                    continue
                for view_type in ("form", "list"):
                    buttons = self._object_buttons(model, user, view_type) - READING_ACTIONS
                    with self.subTest(user=user.login, model=model, view=view_type):
                        if buttons:
                            self.assertTrue(
                                self.env[model].with_user(user).has_access("write"),
                                f"{user.login} sees {sorted(buttons)} on {model}",
                            )
            # the customer record: every button this addon adds opens what the user may use
            partner = self.anna.with_user(user)
            for name in sorted(self._object_buttons("res.partner", user, "form")):
                if name not in PARTNER_ACTIONS:
                    continue
                with self.subTest(user=user.login, button=name):
                    action = getattr(partner, name)()
                    target = self.env[action["res_model"]].with_user(user)
                    needed = "create" if action.get("target") == "new" else "read"
                    self.assertTrue(target.has_access(needed), f"{name}: {needed}")
        # the crm user does not even see the billing and SEPA manager's buttons
        crm_buttons = self._object_buttons("res.partner", self.crm_user, "form")
        self.assertFalse(
            {"action_crm_invoice_services", "action_crm_credit_note", "action_crm_sepa_debit_now"}
            & crm_buttons
        )
        self.assertFalse(
            {"action_confirm", "action_cancel"}
            & self._object_buttons("crm.sepa.batch", self.crm_user, "form")
        )

    def test_menus_lead_to_what_the_user_may_read(self):
        menus = self.env["ir.model.data"].search(
            [("module", "=", "crm_billing_sepa"), ("model", "=", "ir.ui.menu")]
        )
        menu_ids = set(menus.mapped("res_id"))
        for user in (
            self.internal,
            self.crm_user,
            self.crm_manager,
            self.billing_user,
            self.sepa_only,
        ):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for menu in self.env["ir.ui.menu"].browse(menu_ids & set(visible)):
                action = menu.action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(user=user.login, menu=menu.complete_name):
                    Model = self.env[action.res_model].with_user(user)
                    needed = "create" if action.target == "new" else "read"
                    self.assertTrue(Model.has_access(needed))
            # the actions bound to our models' lists and forms (wizards, reports)
            for model in (*OUR_MODELS, "account.move"):
                bindings = self.env["ir.actions.actions"].with_user(user)._get_bindings(model)
                for action in bindings.get("action", []):
                    if action.get("type") != "ir.actions.act_window":
                        continue
                    with self.subTest(user=user.login, model=model, action=action["name"]):
                        Target = self.env[action["res_model"]].with_user(user)
                        self.assertTrue(Target.has_access("create"))
        settings = self.env.ref("crm_billing_sepa.crm_sepa_settings_menu")
        self.assertNotIn(
            settings.id, self.env["ir.ui.menu"].with_user(self.sepa_only)._visible_menu_ids()
        )

    def test_complete_account_numbers_only_for_billing_and_sepa(self):
        """Bank data is personal data (crm_core's "Complete Bank Account Numbers"): a CRM user
        sees a mandate's, a payment's and a batch file's account numbers nowhere complete -
        not in the fields, not in the printed mandate form - a SEPA manager does."""
        line = self.batch.line_ids
        for records, fnames in (
            (self.anna_mandate, ["iban", "original_iban"]),
            (line, ["iban", "original_iban"]),
            (self.batch, ["file"]),
        ):
            for fname in fnames:
                with self.subTest(model=records._name, field=fname):
                    with self.assertRaises(AccessError):
                        records.with_user(self.crm_user).read([fname])
                    records.with_user(self.sepa_only).read([fname])
        self.assertEqual(self.anna_mandate.with_user(self.sepa_only).iban, IBAN_A)
        self.assertNotIn(
            IBAN_A[-8:], self.anna_mandate.with_user(self.crm_user).bank_account_id.display_name
        )
        form = self.env["crm.sepa.mandate"].with_user(self.crm_user).get_views([(False, "form")])
        self.assertNotIn('name="original_iban"', form["views"]["form"]["arch"])
        report = "crm_billing_sepa.crm_sepa_mandate_report_action"
        Report = self.env["ir.actions.report"]
        masked = Report.with_user(self.crm_user)._render_qweb_html(report, self.anna_mandate.ids)
        masked = masked[0].decode().replace(" ", "")
        self.assertNotIn(IBAN_A, masked)
        self.assertIn(IBAN_A[-4:], masked)
        full = Report.with_user(self.sepa_only)._render_qweb_html(report, self.anna_mandate.ids)
        self.assertIn(IBAN_A, full[0].decode().replace(" ", ""))

    def test_state_refusal_is_not_an_access_hole(self):
        # the guard answers the caller who may write; one who may not hears AccessError
        with self.assertRaises(AccessError):
            self.anna_mandate.with_user(self.internal).write({"state": "revoked"})
        with self.assertRaises(UserError):
            self.anna_mandate.with_user(self.crm_user).write({"state": "revoked"})
