"""Today's resubmissions at desktop, iPad and phone size (issue 20)."""

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


@tagged("post_install", "-at_install")
class TestTodayDesktop(TodayTourMixin, HttpCase):
    browser_size = "1440x900"


@tagged("post_install", "-at_install")
class TestTodayTablet(TodayTourMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestTodayPhone(TodayTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True
