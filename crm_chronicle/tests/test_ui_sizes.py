"""The daily chronicle work at desktop, iPad and phone size (issue 20): today's
resubmissions, a visit logged with a resubmission."""

from odoo import Command
from odoo.tests import HttpCase, tagged


class TodayTourMixin:
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own by default

    def test_today_tour(self):
        admin = self.env.ref("base.user_admin")
        Resubmission = self.env["crm.chronicle.resubmission"].with_user(admin)
        today, tomorrow, _week = Resubmission._bucket_bounds()
        partner = self.env["res.partner"].create({"name": "Heute Kunde GmbH", "is_company": True})
        self.env["crm.chronicle.entry"].create(
            {
                "name": "Heute zurückrufen",
                "partner_id": partner.id,
                "user_id": admin.id,
                "resubmission_date": today + (tomorrow - today) / 2,
                "resubmission_user_id": admin.id,
            }
        )
        # nothing overdue for the admin: the column would be empty
        Resubmission.search(
            [("user_id", "=", admin.id), ("state", "=", "open"), ("date", "<", today)]
        ).sudo().write({"date": tomorrow})
        self.start_tour(
            "/odoo/action-crm_chronicle.crm_chronicle_resubmission_action_my?view_type=kanban",
            "crm_chronicle_today_tour",
            login="admin",
        )
        self.start_tour(
            "/odoo/action-crm_chronicle.crm_chronicle_resubmission_action_my",
            "crm_chronicle_today_default_tour",
            login="admin",
        )


class CorrespondenceSizeMixin:
    def test_correspondence_tour(self):
        partner = self.env["res.partner"].create(
            {"name": "Korrespondenz Kunde GmbH", "is_company": True, "customer_rank": 1}
        )
        self.env["crm.chronicle.entry"].crm_log(partner, "call", "Angebot Sommerkatalog besprochen")
        # a printable row of its own: an entry has no Print button, an invoice has
        product = self.env["product.product"].create({"name": "Sommerkatalog"})
        invoice = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": partner.id,
             "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 5})]}
        )  # fmt: skip
        invoice.action_post()
        action = partner.action_open_crm_correspondence()
        self.assertIn("kanban", action["view_mode"], "a phone opens cards")
        self.start_tour(
            "/odoo/action-crm_chronicle.crm_chronicle_correspondence_action",
            "crm_chronicle_correspondence_size_tour",
            login="admin",
        )


class VisitTourMixin:
    def test_visit_tour(self):
        partner = self.env["res.partner"].create(
            {"name": "Besuch Kunde GmbH", "is_company": True, "customer_rank": 1}
        )
        self.start_tour(f"/odoo/contacts/{partner.id}", "crm_chronicle_visit_tour", login="admin")
        entry = self.env["crm.chronicle.entry"].search([("partner_id", "=", partner.id)])
        self.assertEqual(entry.name, "Visit: new catalogue shown")
        self.assertEqual(entry.type_id.code, "visit")
        self.assertEqual(entry.state, "open")
        self.assertEqual(entry.resubmission_ids.user_id, self.env.ref("base.user_admin"))


@tagged("post_install", "-at_install")
class TestTodayDesktop(TodayTourMixin, VisitTourMixin, CorrespondenceSizeMixin, HttpCase):
    browser_size = "1440x900"


@tagged("post_install", "-at_install")
class TestTodayTablet(TodayTourMixin, VisitTourMixin, CorrespondenceSizeMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestTodayPhone(TodayTourMixin, VisitTourMixin, CorrespondenceSizeMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True
