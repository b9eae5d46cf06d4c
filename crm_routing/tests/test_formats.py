"""Regulated formats never break: random Unicode (control characters, combining marks,
emoji, right-to-left text, & < > ") in partner names, addresses and notes; every GPX
file produced is parsed and validated against the GPX 1.1 profile of our files
(tests/data/gpx_profile.xsd), the route sheet prints clean text, the links carry only
coordinates."""

import math
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import escape

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_core.tests import hostile
from odoo.addons.crm_core.tools import sanitize

from ..tools import gpx
from .common import RouteCommon

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "gpx_profile.xsd")))
NS = {"g": gpx.GPX_NS}
# PostgreSQL stores no NUL (nor lone surrogates); everything else a user can type, paste or
# import (crm_core's hostile pieces)
TEXT = hostile.text(storable=True)
ANY_TEXT = st.one_of(TEXT, hostile.text())
COORD = st.one_of(
    st.floats(min_value=-90, max_value=90),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 180.0, -180.0, 90.0, -90.0, 179.9999999]),
)


def validate(case, data):
    """Parse and validate one GPX file; return its root."""
    root = etree.fromstring(data)
    case.assertTrue(SCHEMA.validate(root), SCHEMA.error_log)
    return root


@tagged("post_install", "-at_install")
class TestGpxProperties(BaseCase):
    @settings(max_examples=300, deadline=None, database=None)
    @given(
        ANY_TEXT,
        st.lists(st.tuples(COORD, COORD, ANY_TEXT, ANY_TEXT), max_size=6),
    )
    def test_any_text_any_coordinates_valid_gpx(self, name, raw_points):
        points = [{"lat": la, "lon": lo, "name": n, "desc": d} for la, lo, n, d in raw_points]
        root = validate(self, gpx.build_gpx(name, points))
        kept = [
            p
            for p in points
            if math.isfinite(p["lat"])
            and math.isfinite(p["lon"])
            and -90 <= p["lat"] <= 90
            and -180 <= p["lon"] <= 180
            and (p["lat"], p["lon"]) != (0, 0)
        ]
        waypoints = root.findall("g:wpt", NS)
        self.assertEqual(len(waypoints), len(kept))
        self.assertEqual(len(root.findall("g:rte/g:rtept", NS)), len(kept))
        for element, point in zip(waypoints, kept, strict=True):
            self.assertEqual(element.findtext("g:name", "", NS), sanitize.text(point["name"]))
            self.assertEqual(element.findtext("g:desc", "", NS), sanitize.text(point["desc"]))
        self.assertEqual(root.findtext("g:metadata/g:name", "", NS), sanitize.text(name))

    def test_links_carry_coordinates_only(self):
        points = [(51.05, 13.74), (50.0, -179.999999), (-33.9, 18.4)]
        for url in (gpx.google_maps_url(points), gpx.osm_url(points)):
            parts = urlsplit(url)
            self.assertEqual(parts.scheme, "https")
            self.assertRegex(parts.query, r"^[A-Za-z0-9=&%.,_\-]*$")


@tagged("post_install", "-at_install")
class TestRouteFormats(RouteCommon):
    """The same through the route: partner names, streets, phones, notes and the route's
    name from random text; the GPX download, the route sheet and the links."""

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(TEXT, st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=3))
    def test_route_with_hostile_texts(self, route_name, partners):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name or "-",
                    "street": street,
                    "phone": phone,
                    "partner_latitude": 51.0 + i / 100,
                    "partner_longitude": 13.7 + i / 100,
                }
                for i, (name, street, phone) in enumerate(partners, start=1)
            ]
        )
        route = self.env["crm.route"].create(
            {
                "name": route_name or "-",
                "stop_ids": [
                    (0, 0, {"partner_id": c.id, "note": street})
                    for c, (_n, street, _p) in zip(customers, partners, strict=True)
                ],
            }
        )
        route.action_recompute()
        root = validate(self, route._gpx_data())
        names = [e.findtext("g:name", "", NS) for e in root.findall("g:wpt", NS)]
        for customer in customers:
            self.assertIn(sanitize.text(customer.display_name), names)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_routing.crm_route_sheet_report", route.ids)[0]
            .decode()
        )
        self.assertNotRegex(html, "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")
        for customer in customers:
            self.assertIn(str(escape(sanitize.text(customer.name))), html)
        for url in (route.map_url_google, route.map_url_osm):
            self.assertRegex(urlsplit(url).query, r"^[A-Za-z0-9=&%.,_\-]*$")
