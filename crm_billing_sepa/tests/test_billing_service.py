import datetime

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SepaCase


class ServiceCase(SepaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("crm_core.group_manager") + cls.env.ref(
            "project.group_project_manager"
        )
        cls.hour = cls.env.ref("uom.product_uom_hour")
        cls.product_hour = cls.env["product.product"].create(
            {
                "name": "Technician Hour",
                "type": "service",
                "uom_id": cls.hour.id,
                "list_price": 80.0,
                "taxes_id": [Command.set(cls.company_data["default_tax_sale"].ids)],
            }
        )
        cls.product_unit = cls.env["product.product"].create(
            {"name": "Call-out", "type": "service", "list_price": 45.0}
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Partner prices",
                "currency_id": cls.eur.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_hour.id,
                            "compute_price": "fixed",
                            "fixed_price": 72.5,
                        }
                    )
                ],
            }
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="billing_user",
            groups="crm_billing_sepa.group_billing",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Heizungsbau Meyer GmbH", "is_company": True}
        )
        cls.customer.with_company(cls.company).property_product_pricelist = cls.pricelist

    @classmethod
    def make_services(cls, partner, specs, **kw):
        return cls.env["crm.service"].create(
            [
                {
                    "partner_id": partner.id,
                    "name": name,
                    "product_id": product.id,
                    "quantity": qty,
                    "date": date,
                    **kw,
                }
                for name, product, qty, date in specs
            ]
        )


@tagged("post_install", "-at_install")
class TestService(ServiceCase):
    def test_price_from_pricelist_and_amount(self):
        service, other = self.make_services(
            self.customer,
            [
                ("Wartung", self.product_hour, 1.5, datetime.date(2026, 2, 3)),
                ("Anfahrt", self.product_unit, 1, datetime.date(2026, 2, 3)),
            ],
        )
        self.assertEqual(service.price_unit, 72.5)
        self.assertEqual(service.amount, 108.75)
        self.assertEqual(other.price_unit, 45.0, "no pricelist rule: the list price")
        self.assertEqual(service.state, "open")
        other.action_mark_not_billable()
        self.assertEqual(other.state, "not_billable")

    def test_contact_is_replaced_by_company_and_quantity_positive(self):
        contact = self.env["res.partner"].create(
            {"name": "Frau Meyer", "parent_id": self.customer.id}
        )
        [service] = self.make_services(
            contact, [("Beratung", self.product_hour, 1, datetime.date(2026, 2, 3))]
        )
        self.assertEqual(service.partner_id, self.customer)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.make_services(
                self.customer, [("Nichts", self.product_hour, 0, datetime.date(2026, 2, 3))]
            )

    def test_quick_entry_from_partner_form(self):
        with Form(self.customer.with_user(self.crm_user)) as form:
            with form.crm_service_ids.new() as line:
                line.name = "Fernwartung"
                line.product_id = self.product_hour
                line.quantity = 2
        service = self.customer.crm_service_ids
        self.assertEqual(service.name, "Fernwartung")
        self.assertEqual(service.user_id, self.crm_user)
        self.assertEqual(service.amount, 145.0)
        self.assertEqual(self.customer.crm_service_open_count, 1)
        self.assertEqual(self.customer.crm_service_open_amount, 145.0)

    def test_quick_entry_from_chronicle_entry(self):
        entry = self.env["crm.chronicle.entry"].crm_log(
            self.customer, "visit", "Besuch vor Ort", duration=1.75
        )
        action = entry.with_user(self.crm_user).action_crm_record_service()
        form = Form(
            self.env["crm.service"].with_user(self.crm_user).with_context(action["context"]),
            view="crm_billing_sepa.crm_service_view_form",
        )
        form.product_id = self.product_hour
        service = form.save()
        self.assertEqual(service.partner_id, self.customer)
        self.assertEqual(service.quantity, 1.75)
        self.assertEqual(service.name, "Besuch vor Ort")
        self.assertEqual(service.chronicle_entry_id, entry)
        self.assertEqual(service.amount, 126.88)  # 1.75 * 72.50 = 126.875, rounded

    def test_invoice_per_service_with_customer_definitions(self):
        term = self.env.ref("account.account_payment_term_30days")
        fiscal = self.env["account.fiscal.position"].create({"name": "Inland"})
        self.customer.with_company(self.company).write(
            {"property_payment_term_id": term.id, "property_account_position_id": fiscal.id}
        )
        # the invoice and delivery addresses: the customer's default ones
        Partner = self.env["res.partner"]
        billing, _store, site = Partner.create(
            [
                {"name": "Buchhaltung", "type": "invoice", "parent_id": self.customer.id},
                {"name": "Lager", "type": "delivery", "parent_id": self.customer.id},
                {"name": "Baustelle", "type": "delivery", "parent_id": self.customer.id},
            ]
        )
        site.crm_is_default_address = True
        services = self.make_services(
            self.customer,
            [
                ("Wartung", self.product_hour, 2, datetime.date(2026, 2, 3)),
                ("Anfahrt", self.product_unit, 1, datetime.date(2026, 2, 3)),
                ("Reparatur", self.product_hour, 1.5, datetime.date(2026, 2, 10)),
                ("Später", self.product_hour, 1, datetime.date(2026, 3, 10)),
            ],
        )
        wizard = Form(
            self.env["crm.service.invoice.wizard"]
            .with_user(self.billing_user)
            .with_context(default_partner_ids=self.customer.ids)
        )
        wizard.date_from = datetime.date(2026, 2, 1)
        wizard.date_to = datetime.date(2026, 2, 28)
        self.assertEqual(wizard.service_count, 3)
        self.assertEqual(wizard.amount, 2 * 72.5 + 45 + 1.5 * 72.5)
        action = wizard.save().action_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, billing)
        self.assertEqual(invoice.partner_shipping_id, site)
        self.assertEqual(invoice.invoice_payment_term_id, term)
        self.assertEqual(invoice.fiscal_position_id, fiscal)
        self.assertEqual(invoice.currency_id, self.eur)
        self.assertEqual(len(invoice.invoice_line_ids), 3)
        self.assertEqual(invoice.amount_untaxed, 298.75)
        self.assertEqual(services[:3].mapped("state"), ["invoiced"] * 3)
        self.assertEqual(services[3].state, "open")
        self.assertEqual(services[:3].invoice_id, invoice)
        for service in services[:3]:
            self.assertEqual(service.invoice_line_id.quantity, service.quantity)
            self.assertEqual(service.invoice_line_id.price_unit, service.price_unit)
        self.assertEqual(invoice.crm_service_ids, services[:3])
        # the chatter tells where the invoice came from
        self.assertIn("created from 3 services", invoice.message_ids.mapped("body")[0])
        # invoiced services are frozen
        with self.assertRaises(UserError):
            services[0].quantity = 5
        with self.assertRaises(UserError):
            services[0].unlink()

    def test_invoice_summed_per_product_and_per_project(self):
        project_a = self.env["project.project"].create({"name": "Neubau Nord"})
        project_b = self.env["project.project"].create({"name": "Altbau Süd"})
        day = datetime.date(2026, 2, 3)
        self.make_services(
            self.customer,
            [("A1", self.product_hour, 1, day), ("A2", self.product_hour, 2.25, day)],
            project_id=project_a.id,
        )
        self.make_services(
            self.customer,
            [("B1", self.product_hour, 1, day), ("B2", self.product_unit, 1, day)],
            project_id=project_b.id,
        )
        ids = (
            self.env["crm.service"]
            .with_user(self.billing_user)
            .invoice_services(
                partner_ids=self.customer.ids, group_by="project", line_mode="product"
            )
        )
        invoices = self.env["account.move"].browse(ids)
        self.assertEqual(len(invoices), 2)
        by_ref = {inv.ref: inv for inv in invoices}
        lines_a = by_ref["Neubau Nord"].invoice_line_ids
        self.assertEqual(len(lines_a), 1)
        self.assertEqual(lines_a.quantity, 3.25)
        self.assertEqual(lines_a.price_subtotal, 235.63)  # 3.25 * 72.50 = 235.625
        self.assertEqual(len(lines_a.crm_service_ids), 2)
        self.assertEqual(len(by_ref["Altbau Süd"].invoice_line_ids), 2)
        self.assertEqual(by_ref["Altbau Süd"].amount_untaxed, 117.5)

    def test_direct_debit_when_active_mandate(self):
        partner, _bank, _mandate = self.make_customer("Lastschrift KG")
        self.make_services(partner, [("Wartung", self.product_unit, 1, datetime.date(2026, 2, 3))])
        [invoice_id] = self.env["crm.service"].invoice_services(partner_ids=partner.ids)
        self.assertTrue(self.env["account.move"].browse(invoice_id).crm_sepa_direct_debit)
        other = self.env["res.partner"].create({"name": "Überweiser", "is_company": True})
        self.make_services(other, [("Wartung", self.product_unit, 1, datetime.date(2026, 2, 3))])
        [invoice_id] = self.env["crm.service"].invoice_services(partner_ids=other.ids)
        self.assertFalse(self.env["account.move"].browse(invoice_id).crm_sepa_direct_debit)

    def test_cancel_and_reinvoice(self):
        services = self.make_services(
            self.customer,
            [
                ("Wartung", self.product_hour, 2, datetime.date(2026, 2, 3)),
                ("Anfahrt", self.product_unit, 1, datetime.date(2026, 2, 3)),
            ],
        )
        [first_id] = services.invoice_services()
        first = self.env["account.move"].browse(first_id)
        first.invoice_date = datetime.date(2026, 2, 28)
        first.action_post()
        self.assertEqual(services.mapped("state"), ["invoiced", "invoiced"])
        self.assertEqual(services.invoice_services(), [], "nothing is invoiced twice")
        first.button_draft()
        first.button_cancel()
        self.assertEqual(services.mapped("state"), ["open", "open"])
        self.assertEqual(self.customer.crm_service_open_count, 2)
        [second_id] = services.invoice_services()
        self.assertNotEqual(second_id, first_id)
        second = self.env["account.move"].browse(second_id)
        self.assertEqual(services.invoice_id, second)
        self.assertEqual(second.amount_untaxed, first.amount_untaxed)
        with self.assertRaises(UserError):
            first.button_draft()  # its services were invoiced again
        # deleting a draft invoice frees its services too
        second.unlink()
        self.assertEqual(services.mapped("state"), ["open", "open"])
        self.assertFalse(services.invoice_line_id)

    def test_normal_user_cannot_invoice_or_touch_invoiced(self):
        services = self.make_services(
            self.customer, [("Wartung", self.product_hour, 2, datetime.date(2026, 2, 3))]
        )
        with self.assertRaises(AccessError):
            self.env["crm.service"].with_user(self.crm_user).invoice_services(
                partner_ids=self.customer.ids
            )
        self.assertEqual(services.state, "open")
        services.invoice_services()
        with self.assertRaises(UserError):
            services.with_user(self.crm_user).write({"price_unit": 1.0})
        with self.assertRaises(UserError):
            services.with_user(self.crm_user).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.dunning.level"].with_user(self.crm_user).create(
                {"name": "Mahnung", "days": 3}
            )
        with self.assertRaises(AccessError):
            self.env["crm.dunning.run"].with_user(self.crm_user).run_dunning()

    def test_other_company_services_invisible(self):
        other_company = self.setup_other_company()["company"]
        service = self.env["crm.service"].create(
            {
                "partner_id": self.customer.id,
                "name": "Fremd",
                "product_id": self.product_unit.id,
                "company_id": other_company.id,
            }
        )
        visible = (
            self.env["crm.service"]
            .with_user(self.crm_user)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertNotIn(service, visible)

    def test_bad_grouping_is_refused(self):
        with self.assertRaises(UserError):
            self.env["crm.service"].invoice_services(group_by="month")


@tagged("post_install", "-at_install")
class TestCreditNote(ServiceCase):
    def _invoice(self):
        self.make_services(
            self.customer,
            [
                ("Wartung", self.product_hour, 4, datetime.date(2026, 2, 3)),
                ("Anfahrt", self.product_unit, 1, datetime.date(2026, 2, 3)),
            ],
        )
        [invoice_id] = self.env["crm.service"].invoice_services(partner_ids=self.customer.ids)
        invoice = self.env["account.move"].browse(invoice_id)
        invoice.invoice_date = datetime.date(2026, 2, 28)
        invoice.action_post()
        return invoice

    def test_full_credit(self):
        invoice = self._invoice()
        action = self.customer.with_user(self.billing_user).action_crm_credit_note()
        form = Form(
            self.env["crm.credit.note.wizard"]
            .with_user(self.billing_user)
            .with_context(action["context"])
        )
        form.mode = "full"
        form.move_id = invoice
        result = form.save().action_create()
        refund = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.amount_total, invoice.amount_total)

    def test_partial_credit_of_chosen_invoice(self):
        invoice = self._invoice()
        form = Form(
            self.env["crm.credit.note.wizard"]
            .with_user(self.billing_user)
            .with_context(default_partner_id=self.customer.id)
        )
        form.mode = "partial"
        form.move_id = invoice
        form.reason = "Kulanz"
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.quantity, 0)
            line.quantity = 1.5
        wizard = form.save()
        refund = self.env["account.move"].browse(wizard.action_create()["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(len(refund.invoice_line_ids), 1)
        self.assertEqual(refund.amount_untaxed, 108.75)
        self.assertEqual(refund.invoice_line_ids.tax_ids, invoice.invoice_line_ids[0].tax_ids)
        self.assertIn("Kulanz", refund.ref)

    def test_partial_credit_refuses_more_than_invoiced(self):
        invoice = self._invoice()
        form = Form(
            self.env["crm.credit.note.wizard"].with_context(default_partner_id=self.customer.id)
        )
        form.move_id = invoice
        with form.line_ids.edit(0) as line:
            line.quantity = 5
        with self.assertRaises(ValidationError):
            form.save().action_create()
        other = self.env["res.partner"].create({"name": "Andere AG", "is_company": True})
        wizard = self.env["crm.credit.note.wizard"].create(
            {"partner_id": other.id, "mode": "full", "move_id": invoice.id}
        )
        with self.assertRaises(ValidationError):
            wizard.action_create()

    def test_free_credit_note_with_definitions(self):
        wizard = self.env["crm.credit.note.wizard"].create(
            {"partner_id": self.customer.id, "mode": "free"}
        )
        action = wizard.action_create()
        self.assertEqual(action["context"]["default_move_type"], "out_refund")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
