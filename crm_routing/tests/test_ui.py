import socket

from odoo.tests import HttpCase, tagged

from .peers.tile_peer import TilePeer


def _closed_port():
    """A 127.0.0.1 port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_plan_route_tour(self):
        tiles = TilePeer().start()
        self.addCleanup(tiles.stop)
        self.env["ir.config_parameter"].sudo().set_param("crm_routing.tile_url", tiles.url_template)
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
        self.assertTrue(tiles.requests, "the map asked the tile server for its background")

    def test_map_without_tiles_tour(self):
        """Tiles that cannot load do not break the route page."""
        port = _closed_port()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_routing.tile_url", f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
        )
        Partner = self.env["res.partner"]
        start = Partner.create(
            {"name": "Depot Offline", "partner_latitude": 51.05, "partner_longitude": 13.74}
        )
        stops = Partner.create(
            [
                # at the depot: its number must not hide the start marker
                {"name": "Offline A", "partner_latitude": 51.05, "partner_longitude": 13.74},
                {"name": "Offline B", "partner_latitude": 50.96, "partner_longitude": 13.94},
            ]
        )
        route = self.env["crm.route"].create(
            {
                "name": "Offline Route",
                "start_kind": "partner",
                "start_partner_id": start.id,
                "end_kind": "partner",
                "end_partner_id": start.id,
                "stop_ids": [
                    (0, 0, {"partner_id": stops[0].id, "sequence": 0}),
                    # opening hours 9:00-12:00; the first stop has none (shown empty)
                    (
                        0,
                        0,
                        {
                            "partner_id": stops[1].id,
                            "sequence": 1,
                            "window_start": 9.0,
                            "window_end": 12.0,
                        },
                    ),
                ],
            }
        )
        route.action_optimise()
        self.start_tour(
            f"/odoo/crm.route/{route.id}", "crm_routing_map_offline_tour", login="admin"
        )
