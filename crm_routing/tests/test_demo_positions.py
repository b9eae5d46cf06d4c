"""The demo data is coherent for route planning (issue 18): every customer of the story
has a position, so routes over them are planned offline (no geocoder asked)."""

from odoo.tests import TransactionCase, tagged

from ..tools import geo


@tagged("post_install", "-at_install")
class TestDemoPositions(TransactionCase):
    def test_every_story_customer_has_a_position_and_is_planned_offline(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_core"), ("model", "=", "res.partner")]
        )
        customers = (
            self.env["res.partner"]
            .browse(d.res_id for d in data if d.name.removeprefix("res_partner_demo_").isdigit())
            .exists()
        )
        if not customers:
            self.skipTest("installed without demo data")
        self.assertGreaterEqual(len(customers), 30)
        missing = customers.filtered(
            lambda p: not geo.valid_position(p.partner_latitude, p.partner_longitude)
        )
        self.assertFalse(missing.mapped("name"), "story customers without a position")
        # within their country (a swapped latitude/longitude would leave it)
        boxes = {"DE": (47.2, 55.1, 5.8, 15.1), "CZ": (48.5, 51.1, 12.0, 18.9)}
        for partner in customers:
            south, north, west, east = boxes[partner.country_id.code]
            self.assertTrue(south < partner.partner_latitude < north, partner.name)
            self.assertTrue(west < partner.partner_longitude < east, partner.name)
        # a day's route over customers in both countries, without any geocoder
        partners = customers.filtered(lambda p: p.city in ("Dresden", "Görlitz", "Varnsdorf"))
        wizard = (
            self.env["crm.route.plan"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"name": "Oberlausitz"})
        )
        route = self.env["crm.route"].browse(wizard.action_plan()["res_id"])
        self.assertEqual(route.stop_ids.partner_id, partners)
        self.assertFalse(route.warning)
        self.assertGreater(route.total_distance, 50)
