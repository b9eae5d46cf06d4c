import datetime

from odoo.tests import tagged

from .common import RouteCommon


@tagged("post_install", "-at_install")
class TestRoutesInCorrespondence(RouteCommon):
    def test_routes_and_visits_in_the_correspondence(self):
        """A stop at a customer is listed under the customer as the route it is planned
        on, and as a visit once visited (its row standing for the chronicle entry of the
        visit); both open the route, which prints with its route sheet. Another user who
        may not read the route (routes are their users' own) sees neither."""
        visited, planned = self.customers[:2]
        route = (
            self.env["crm.route"]
            .with_user(self.user)
            .create(
                {
                    "name": "Tour Elbtal",
                    "date": datetime.date(2026, 3, 4),
                    "user_id": self.user.id,
                    "stop_ids": [
                        (0, 0, {"partner_id": visited.id}),
                        (0, 0, {"partner_id": planned.id}),
                    ],
                }
            )
        )
        route.stop_ids.filtered(lambda s: s.partner_id == visited).action_mark_visited()
        Correspondence = self.env["crm.chronicle.correspondence"].with_user(self.user)
        rows = Correspondence.search([("partner_id", "in", (visited | planned).ids)])
        self.assertEqual(
            sorted((r.partner_id.name, r.kind, r.res_model, r.res_id) for r in rows),
            sorted(
                [
                    (visited.name, "visit", "crm.route", route.id),
                    (planned.name, "route", "crm.route", route.id),
                ]
            ),
            "the visit's chronicle entry is not listed besides the visit",
        )
        for row in rows:
            self.assertEqual(
                (str(row.date), row.name, row.user_id, row.company_id),
                # the start of the route's day for the user (Europe/Berlin), in UTC
                ("2026-03-03 23:00:00", "Tour Elbtal", self.user, route.company_id),
            )
        self.assertEqual(rows[0].action_open()["res_id"], route.id)
        self.assertTrue(rows[0].can_print)
        self.assertEqual(rows[0].action_print()["report_name"], "crm_routing.crm_route_sheet")
        self.assertFalse(
            Correspondence.with_user(self.user2).search(
                [("partner_id", "in", (visited | planned).ids)]
            )
        )
        self.assertEqual(
            len(Correspondence.with_user(self.manager).search([("id", "in", rows.ids)])), 2
        )
