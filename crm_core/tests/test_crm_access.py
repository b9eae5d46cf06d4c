"""Access to crm_core's data: every model has rights for the CRM user and manager groups and
company rules where its records belong to a company; a plain internal user, a CRM user and
a user of another company cannot see or do what they must not - also through the SQL views,
fields computed with more rights than the reader's, and reports."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import new_test_user

from .common import CrmCoreAccountCommon

# models readable by every internal user on purpose (reference data of projects)
FOR_ALL_INTERNAL = {"crm.project.role"}
# bookkeeping of the CardDAV/CalDAV server (change log, hrefs): written and read by the
# server for the authenticated user, readable by administrators only
ADMINISTRATORS_ONLY = {"crm.dav.change", "crm.dav.object"}


@tagged("post_install", "-at_install")
class TestCrmAccess(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal = new_test_user(
            cls.env,
            login="access_internal",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_company = cls.env["res.company"].create({"name": "Zweitfirma s.r.o."})
        cls.other_user = new_test_user(
            cls.env,
            login="access_other_company",
            groups="crm_core.group_manager,account.group_account_invoice",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.customer = cls._customer("Zugriff GmbH", customer_rank=1)
        cls._post(cls.customer, 500.0)
        cls.env["crm.abc.analysis"]._run(cls.company)

    def _crm_core_models(self):
        """The models crm_core defines (not the ones it extends)."""
        return sorted(
            name
            for name, model in self.env.registry.items()
            if model._original_module == "crm_core" and not model._abstract
        )

    def test_every_model_has_user_and_manager_rights_and_company_rules(self):
        user = self.env.ref("crm_core.group_user")
        manager = self.env.ref("crm_core.group_manager")
        models = self._crm_core_models()
        self.assertIn("crm.revenue.report", models)
        for model in models:
            with self.subTest(model=model):
                access = self.env["ir.model.access"].search([("model_id.model", "=", model)])
                groups = access.group_id
                if model in ADMINISTRATORS_ONLY:
                    self.assertEqual(groups, self.env.ref("base.group_system"))
                    continue
                if model in FOR_ALL_INTERNAL:
                    self.assertIn(self.env.ref("base.group_user"), groups)
                else:
                    self.assertIn(user, groups)
                self.assertIn(manager, groups)
                Model = self.env[model]
                company = Model._fields.get("company_id")
                if company and company.store:
                    rules = self.env["ir.rule"].search([("model_id.model", "=", model)])
                    self.assertTrue(
                        any("company_ids" in (rule.domain_force or "") for rule in rules),
                        f"{model} has records of companies but no company rule",
                    )

    def test_plain_user_sees_no_crm_data(self):
        env = self.env(user=self.internal)
        for model in (
            "crm.partner.number",
            "crm.partner.class",
            "crm.partner.role",
            "crm.revenue.report",
            "crm.abc.report",
            "crm.partner.identifier",
            "crm.custom.field",
            "crm.vcard.import",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])
        partner = env["res.partner"].browse(self.customer.id)
        # the class and the revenue behind it are not in the partner for them
        for field in ("crm_class_id", "crm_class_manual", "crm_abc_revenue"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                partner.read([field])
        # the fields the user is offered (fields_get): no class, revenue, roles, numbers
        # records, contact roles (x2many fields of CRM records)
        offered = partner.fields_get()
        for field in (
            "crm_class_id",
            "crm_abc_revenue",
            "crm_role_ids",
            "crm_number_ids",
            "crm_link_ids",
            "crm_identifier_ids",
            "crm_project_link_ids",
        ):
            self.assertNotIn(field, offered)
        values = partner.read(
            ["name", "crm_debtor_number", "crm_invoice_count", "crm_open_amount", "crm_bank_count"]
        )[0]
        # cockpit counts computed over what the user may not read stay 0
        self.assertEqual(values["crm_invoice_count"], 0)
        self.assertEqual(values["crm_open_amount"], 0)
        with self.assertRaises(AccessError):
            env["res.company"].crm_run_abc_analysis()
        with self.assertRaises(AccessError):
            partner.write({"crm_class_id": self.company.crm_class_ids[:1].id})

    def test_crm_user_cannot_change_what_managers_change(self):
        env = self.env(user=self.crm_user)
        self.assertEqual(env["res.partner"].browse(self.customer.id).crm_class_id.name, "A")
        with self.assertRaises(AccessError):
            env["res.partner"].browse(self.customer.id).crm_class_id = False
        with self.assertRaises(AccessError):
            env["crm.partner.class"].create({"name": "D"})
        with self.assertRaises(AccessError):
            env["crm.partner.number"].search([], limit=1).unlink()
        with self.assertRaises(AccessError):
            env["crm.partner.identifier"].search([], limit=1).write({"value": "+490"})
        with self.assertRaises(AccessError):
            env["crm.custom.field"].create({"name": "Branche"})
        # the revenue statistics are read, not written
        rows = env["crm.revenue.report"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(rows.revenue, 500.0)
        with self.assertRaises(AccessError):
            rows.write({"revenue": 1})

    def test_other_company_sees_nothing_of_the_first(self):
        env = self.env(user=self.other_user)
        self.assertFalse(env["crm.revenue.report"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(env["crm.abc.report"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(env["crm.partner.number"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(env["crm.partner.class"].search([("company_id", "=", self.company.id)]))
        # the customer (shared by both companies) shows the second company's own figures
        partner = env["res.partner"].browse(self.customer.id)
        self.assertFalse(partner.crm_debtor_number)
        self.assertFalse(partner.crm_class_id)
        self.assertFalse(partner.crm_abc_revenue)
        self.assertEqual(partner.crm_invoice_count, 0)
        with self.assertRaises(AccessError):
            env["res.company"].crm_run_abc_analysis(company=self.company.id)

    def test_contact_of_another_company_stays_closed_in_a_role(self):
        own = self._customer("Eigene GmbH")
        stranger = self.env["res.partner"].create(
            {
                "name": "Fremde Person",
                "email": "fremd@zweitfirma.example",
                "phone": "+420 111 222 333",
                "company_id": self.other_company.id,
            }
        )
        role = self.env["crm.contact.role"].create({"name": "Beirat"})
        link = self.env["crm.partner.link"].create(
            {"company_partner_id": own.id, "contact_id": stranger.id, "role_id": role.id}
        )
        link = link.with_user(self.crm_user)
        with self.assertRaises(AccessError):
            link.read(["contact_email"])
        with self.assertRaises(AccessError):
            link.read(["contact_phone"])

    def test_vcard_preview_changes_only_by_reading_the_file(self):
        wizard = (
            self.env["crm.vcard.import"]
            .with_user(self.crm_user)
            .create(
                {
                    "file": "QkVHSU46VkNBUkQNClZFUlNJT046My4wDQpGTjpBbm5hDQpFTkQ6VkNBUkQNCg==",
                    "filename": "anna.vcf",
                }
            )
        )
        wizard.action_preview()
        line = wizard.line_ids
        line.write({"action": "skip"})  # the user's choice
        for vals in ({"state": "ok", "card_data": {"x": 1}}, {"name": "Eva"}):
            with self.assertRaisesRegex(UserError, "come from its file"):
                line.write(vals)
        with self.assertRaisesRegex(UserError, "come from its file"):
            wizard.write({"state": "preview"})
        with self.assertRaisesRegex(UserError, "come from its file"):
            wizard.write({"line_ids": [Command.create({"name": "Eva", "card_data": {}})]})
        # the web client saves the choices as updates of the cards
        wizard.write({"line_ids": [Command.update(line.id, {"action": "create"})]})
        self.assertEqual(line.action, "create")

    def test_custom_field_keeps_its_technical_field(self):
        field = self.env["crm.custom.field"].with_user(self.crm_manager).create({"name": "Branche"})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            field.write({"field_id": self.env.ref("base.field_res_partner__name").id})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            field.write({"technical_name": "name"})

    def test_numbers_stay_unique_for_everyone(self):
        number = self.customer.crm_debtor_number
        other = self._customer("Doppelt GmbH")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["crm.partner.number"].create(
                {"partner_id": other.id, "kind": "debtor", "name": number}
            )
