from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_plan_route_tour(self):
        self.env.company.partner_id.write(
            {"partner_latitude": 51.0504, "partner_longitude": 13.7373}
        )
        self.env["res.partner"].create(
            [
                {
                    "name": f"Tourkunde {name}",
                    "is_company": True,
                    "customer_rank": 1,
                    "city": name,
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                }
                for name, lat, lon in [
                    ("Radebeul", 51.1069, 13.6431),
                    ("Pirna", 50.9609, 13.9401),
                    ("Meissen", 51.1636, 13.4737),
                ]
            ]
        )
        action = self.env.ref("crm_core.res_partner_action_customers")
        self.start_tour(
            f"/odoo/action-{action.id}?view_type=list", "crm_routing_plan_tour", login="admin"
        )
        route = self.env["crm.route"].search([("name", "=", "Tour Route Dresden")])
        self.assertEqual(len(route), 1)
        self.assertEqual(len(route.stop_ids), 3)
        self.assertTrue(all(route.stop_ids.mapped("partner_id.name")))
        self.assertGreater(route.total_distance, 0)
