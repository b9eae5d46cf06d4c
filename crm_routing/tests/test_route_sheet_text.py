"""The route sheet as a reader sees it (issue 20): no empty address parts (", , 01099"),
distances in the reader's language ("104 km", "3,4 km", not "104.0 km")."""

import re

from odoo.tests import tagged

from .common import RouteCommon


@tagged("post_install", "-at_install")
class TestRouteSheetText(RouteCommon):
    def _sheet_text(self, route, lang="en_US"):
        html = (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html("crm_routing.crm_route_sheet_report", route.ids)[0]
            .decode()
        )
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    def test_empty_address_parts_and_distance(self):
        depot = self.env["res.partner"].create({"name": "Depot Nur PLZ", "zip": "01099"})
        town_only = self.env["res.partner"].create({"name": "Nur Ort KG", "city": "Pirna"})
        route = self.env["crm.route"].create(
            {
                "name": "Sheet Parts",
                "start_kind": "partner",
                "start_partner_id": depot.id,
                "end_kind": "partner",
                "end_partner_id": depot.id,
                "stop_ids": [(0, 0, {"partner_id": town_only.id})],
            }
        )
        route.sudo().total_distance = 104.0
        text = self._sheet_text(route)
        self.assertIn("Start: Depot Nur PLZ, 01099", text)
        self.assertNotRegex(text, r",\s*,")
        self.assertIn("Distance: 104 km", text)
        self.assertNotIn("104.0", text)
        self.env["res.lang"]._activate_lang("de_DE")
        route.sudo().total_distance = 3.44
        self.assertIn("3,4 km", self._sheet_text(route, "de_DE"))
