"""Today's route on a desktop, an iPad and a phone (issue 20): open it, navigate to the
next stop."""

from odoo import fields
from odoo.tests import HttpCase, tagged


class TodayRouteMixin:
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own by default

    def test_today_route_tour(self):
        Partner = self.env["res.partner"]
        stops = Partner.create(
            [
                {"name": "Navi Erster Halt", "partner_latitude": 51.06, "partner_longitude": 13.76},
                {
                    "name": "Navi Zweiter Halt",
                    "partner_latitude": 51.10,
                    "partner_longitude": 13.64,
                },
            ]
        )
        route = self.env["crm.route"].create(
            {
                "name": "Heute Dresden",
                "date": fields.Date.context_today(self.env["crm.route"]),
                "user_id": self.env.ref("base.user_admin").id,
                "stop_ids": [
                    (0, 0, {"partner_id": partner.id, "sequence": i})
                    for i, partner in enumerate(stops)
                ],
            }
        )
        self.start_tour(f"/odoo/crm.route/{route.id}", "crm_routing_today_tour", login="admin")


@tagged("post_install", "-at_install")
class TestTodayRouteDesktop(TodayRouteMixin, HttpCase):
    browser_size = "1440x900"


@tagged("post_install", "-at_install")
class TestTodayRouteTablet(TodayRouteMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestTodayRoutePhone(TodayRouteMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True
