import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from ..tools import geo, gpx, optimise
from .common import RouteCommon
from .peers.osrm_peer import OsrmPeer


def _plan(env, records, **vals):
    wizard = (
        env["crm.route.plan"]
        .with_context(
            active_model=env.context.get("active_model", "res.partner"), active_ids=records.ids
        )
        .create(vals)
    )
    action = wizard.action_plan()
    return env["crm.route"].browse(action["res_id"])


@tagged("post_install", "-at_install")
class TestRoutePlanning(RouteCommon):
    def test_plan_from_selection_is_optimal(self):
        partners = self.customers[:5]
        route = _plan(self.env(user=self.user), partners, name="Nord")
        self.assertEqual(route.user_id, self.user)
        self.assertEqual(route.start_partner_id, self.env.company.partner_id)
        self.assertEqual(route.end_partner_id, self.env.company.partner_id)
        self.assertEqual(route.stop_ids.partner_id, partners)
        # the same instance solved by brute force gives the same length
        pts = [self.env.company.partner_id, *partners, self.env.company.partner_id]
        dist, dur = geo.straight_line_matrix(
            [(p.partner_latitude, p.partner_longitude) for p in pts], 1.3, 50.0
        )
        best = optimise.brute_force(
            dur, dist, [1, 2, 3, 4, 5], start=0, end=6, service={i: 1800 for i in range(1, 6)}
        )
        self.assertAlmostEqual(route.total_distance, best["distance"] / 1000, delta=0.05)
        order = [pts[n] for n in best["order"]]
        got = list(route.stop_ids.sorted("sequence").partner_id)
        self.assertIn(got, (order, order[::-1]), "brute-force order (or its mirror)")
        stops = route.stop_ids.sorted("sequence")
        arrivals = stops.mapped("arrival")
        self.assertEqual(arrivals, sorted(arrivals))
        self.assertGreater(arrivals[0], 8.0)
        # duration = driving + 5 visits of 30 min
        self.assertAlmostEqual(
            route.total_duration,
            sum(dur[a][b] for a, b in zip([0, *best["order"]], [*best["order"], 6], strict=True))
            / 3600
            + 2.5,
            places=3,
        )
        self.assertFalse(route.warning)
        self.assertTrue(route.map_url_google.startswith("https://www.google.com/maps/dir/"))
        self.assertEqual(route.map_url_osm.count("loc="), 7)

    def test_partners_without_position_are_listed_not_dropped(self):
        partners = self.customers[:3] | self.no_position
        wizard = (
            self.env["crm.route.plan"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"name": "X"})
        )
        self.assertEqual(wizard.missing_partner_ids, self.no_position)
        with self.assertRaisesRegex(UserError, "Ohne Position GmbH"):
            wizard.action_plan()
        self.assertFalse(self.env["crm.route"].search([("name", "=", "X")]))
        wizard.leave_out_missing = True
        route = self.env["crm.route"].browse(wizard.action_plan()["res_id"])
        self.assertEqual(route.stop_ids.partner_id, self.customers[:3])
        self.assertIn("Ohne Position GmbH", route.warning)
        # adding it by hand: re-optimising refuses and names it
        route.write({"stop_ids": [(0, 0, {"partner_id": self.no_position.id})]})
        with self.assertRaisesRegex(UserError, "Ohne Position GmbH"):
            route.action_optimise()

    def test_start_end_kinds(self):
        other = self.customers[5]
        route = _plan(
            self.env(user=self.user),
            self.customers[:2],
            name="Home",
            start_kind="home",
            end_kind="partner",
            end_partner_id=other.id,
        )
        self.assertEqual(route.start_partner_id, self.user.partner_id)
        self.assertEqual(route.end_partner_id, other)
        self.assertNotIn(other, route.stop_ids.partner_id)
        wizard = self.env["crm.route.plan"].create(
            {"name": "no end", "partner_ids": self.customers[:2].ids, "end_kind": "partner"}
        )
        with self.assertRaisesRegex(UserError, "end address"):
            wizard.action_plan()

    def test_time_windows_and_unreachable_stop(self):
        route = _plan(self.env, self.customers[:4], name="TW")
        stops = route.stop_ids
        target = stops.filtered(lambda s: s.partner_id == self.customers[2])
        target.write({"window_start": 14.0, "window_end": 15.0, "visit_duration": 1.0})
        impossible = stops.filtered(lambda s: s.partner_id == self.customers[3])
        impossible.write({"window_start": 5.0, "window_end": 6.0})
        route.action_optimise()
        self.assertTrue(14.0 <= target.arrival <= 15.0, target.arrival)
        self.assertFalse(target.window_problem)
        # kept, last, flagged, named in the warning
        self.assertIn(impossible, route.stop_ids)
        self.assertEqual(route.stop_ids.sorted("sequence")[-1], impossible)
        self.assertTrue(impossible.window_problem)
        self.assertIn(self.customers[3].name, route.warning)
        with self.assertRaises(ValidationError):
            target.write({"window_start": 16.0, "window_end": 15.0})

    def test_fixed_order_and_reoptimise(self):
        partners = self.customers[:5]
        route = _plan(self.env, partners, name="Fixed", fixed_order=True)
        self.assertEqual(list(route.stop_ids.sorted("sequence").partner_id), list(partners))
        fixed_km = route.total_distance
        route.fixed_order = False
        route.action_optimise()
        self.assertLessEqual(route.total_distance, fixed_km)
        # a manual change of order, then recompute keeps it
        stops = route.stop_ids.sorted("sequence")
        stops[0].sequence, stops[-1].sequence = stops[-1].sequence, stops[0].sequence
        manual = list(route.stop_ids.sorted("sequence").partner_id)
        route.action_recompute()
        self.assertEqual(list(route.stop_ids.sorted("sequence").partner_id), manual)

    def test_skip_takes_stop_out_of_the_route(self):
        route = _plan(self.env(user=self.user), self.customers[:4], name="Skip")
        stops = route.stop_ids.sorted("sequence")
        # Pirna: a detour from any order of the others
        second = stops.filtered(lambda s: s.partner_id == self.customers[2])
        index = list(stops).index(second)
        full_km = route.total_distance
        second.action_skip()
        self.assertEqual(second.state, "skipped")
        # listed last, not driven to: times and km of the others recomputed in order
        after = route.stop_ids.sorted("sequence")
        self.assertEqual(after[-1], second)
        self.assertEqual(list(after[:-1]), list(stops - second))
        self.assertEqual((second.arrival, second.leg_distance), (0.0, 0.0))
        kept = [s for s in stops if s != second]
        pts = [route.start_partner_id, *(s.partner_id for s in kept), route.end_partner_id]
        dist, _dur = geo.straight_line_matrix(
            [(p.partner_latitude, p.partner_longitude) for p in pts], 1.3, 50.0
        )
        expected = sum(dist[i][i + 1] for i in range(len(pts) - 1)) / 1000
        self.assertAlmostEqual(route.total_distance, expected, delta=0.05)
        self.assertLess(route.total_distance, full_km)
        # the stop after the skipped one: its leg comes from the stop before
        self.assertAlmostEqual(
            kept[index].leg_distance if index < len(kept) else 0,
            dist[index][index + 1] / 1000 if index < len(kept) else 0,
            delta=0.05,
        )
        # not in GPX, links and the line on the map; still a (grey) marker
        self.assertNotIn(second.partner_id.display_name, route._gpx_data().decode())
        data = route.map_data
        self.assertEqual(len(data["line"]), 5)
        marker = [p for p in data["points"] if p["name"] == second.partner_id.display_name]
        self.assertEqual(marker[0]["state"], "skipped")
        self.assertIn("Skipped", route.message_ids[0].body)
        # re-optimising leaves it out; a skipped stop cannot be skipped again
        route.action_optimise()
        self.assertEqual(route.stop_ids.sorted("sequence")[-1], second)
        self.assertAlmostEqual(route.total_distance, expected, delta=0.05)
        with self.assertRaises(UserError):
            second.action_skip()
        # taken back: driven to again
        second.action_unskip()
        self.assertEqual(second.state, "todo")
        self.assertGreater(second.arrival, 0)
        route.action_optimise()
        self.assertAlmostEqual(route.total_distance, full_km, delta=0.05)

    def test_map_data(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_routing.tile_url", "http://127.0.0.1:9/{z}/{x}/{y}.png"
        )
        route = _plan(self.env(user=self.user), self.customers[:3], name="Map")
        data = route.map_data
        self.assertEqual(data["tile_url"], "http://127.0.0.1:9/{z}/{x}/{y}.png")
        stops = route.stop_ids.sorted("sequence")
        # start and end are the company: one "S" marker, the line closes on it
        self.assertEqual([p["label"] for p in data["points"]], ["S", "1", "2", "3"])
        self.assertEqual(
            [p["name"] for p in data["points"][1:]], stops.partner_id.mapped("display_name")
        )
        company = self.env.company.partner_id
        home = [company.partner_latitude, company.partner_longitude]
        self.assertEqual(data["line"][0], home)
        self.assertEqual(data["line"][-1], home)
        self.assertEqual(len(data["line"]), 5)
        # a stop added by hand without position is named, not drawn
        route.write({"stop_ids": [(0, 0, {"partner_id": self.no_position.id, "sequence": 99})]})
        self.assertEqual(route.map_data["missing"], [self.no_position.display_name])
        # the planning wizard maps the selection
        wizard = (
            self.env["crm.route.plan"]
            .with_context(active_model="res.partner", active_ids=self.customers[:2].ids)
            .create({})
        )
        self.assertEqual([p["label"] for p in wizard.map_data["points"]], ["1", "2"])
        self.assertEqual(wizard.map_data["line"], [])

    def test_tile_url_setting_is_checked(self):
        Settings = self.env["res.config.settings"]
        for bad in (
            {"crm_routing_tile_url": "tiles.example.com/{z}/{x}/{y}.png"},
            {"crm_routing_tile_url": "https://tiles.example.com/{z}/{x}.png"},
            {"crm_routing_road_factor": 0.5},
            {"crm_routing_speed_kmh": 0},
        ):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                Settings.create(bad).execute()
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("crm_routing.tile_url"))
        Settings.create({"crm_routing_tile_url": "https://t.example.com/{z}/{x}/{y}.png"}).execute()
        self.assertEqual(
            self.env["crm.route"]._map_tiles()[0], "https://t.example.com/{z}/{x}/{y}.png"
        )

    def test_plan_from_resubmissions(self):
        """Customers with a resubmission next week: select the resubmissions, plan."""
        Entry = self.env["crm.chronicle.entry"].with_user(self.user)
        next_week = fields.Datetime.now() + timedelta(days=7)
        for partner in (self.customers[0], self.customers[1], self.customers[0]):
            Entry.crm_log(partner, "call", "Call back", resubmission_date=next_week)
        resubmissions = self.env["crm.chronicle.resubmission"].search(
            [("partner_id", "in", self.customers[:2].ids)]
        )
        self.assertEqual(len(resubmissions), 3)
        route = _plan(
            self.env(user=self.user, context={"active_model": "crm.chronicle.resubmission"}),
            resubmissions,
            name="Resubmissions",
        )
        self.assertEqual(route.stop_ids.partner_id, self.customers[:2])
        self.assertEqual(len(route.stop_ids), 2, "one stop per customer")

    def test_states_duplicate_and_partner_routes(self):
        route = _plan(self.env, self.customers[:3], name="Dup")
        route.action_done()
        with self.assertRaises(UserError):
            route.action_optimise()
        route.action_reopen()
        self.assertEqual(route.state, "planned")
        copy = self.env["crm.route"].browse(route.action_duplicate()["res_id"])
        self.assertNotEqual(copy, route)
        self.assertEqual(copy.stop_ids.partner_id, route.stop_ids.partner_id)
        self.assertEqual(copy.state, "planned")
        partner = self.customers[0]
        self.assertEqual(partner.crm_route_count, 2)
        action = partner.action_crm_view_routes()
        self.assertEqual(self.env["crm.route"].search(action["domain"]), route | copy)

    def test_cockpit_count_is_the_list(self):
        """The Routes button of a customer counts the routes it lists, for the customer and
        its contact persons alike, and for each user what the user may see."""
        contact = self.env["res.partner"].create(
            {"name": "Erika Fahrer", "parent_id": self.customers[0].id}
        )
        _plan(self.env(user=self.user), self.customers[:2], name="Company stop")
        other = _plan(self.env(user=self.user2), self.customers[2:4], name="Contact stop")
        other.write({"stop_ids": [(0, 0, {"partner_id": contact.id})]})
        expected = {self.user: 1, self.user2: 1, self.manager: 2}
        for user, count in expected.items():
            for partner in (self.customers[0], contact):
                partner = partner.with_user(user)
                action = partner.action_crm_view_routes()
                listed = self.env["crm.route"].with_user(user).search(action["domain"])
                self.assertEqual(partner.crm_route_count, count, (user.login, partner.name))
                self.assertEqual(len(listed), count, (user.login, partner.name))

    def test_visit_logs_chronicle_and_mileage(self):
        route = _plan(self.env(user=self.user), self.customers[:3], name="Visit")
        route = route.with_user(self.user)
        first = route.stop_ids.sorted("sequence")[0]
        action = first.action_visit()
        wizard = Form(
            self.env["crm.route.visit"].with_user(self.user).with_context(action["context"])
        )
        wizard.note = "Talked about the <new> catalogue"
        wizard.resubmission_date = route.date
        self.assertAlmostEqual(wizard.distance, first.leg_distance)
        wizard.save().action_confirm()
        self.assertEqual(first.state, "visited")
        entry = first.chronicle_entry_id
        self.assertEqual(entry.partner_id, first.partner_id)
        self.assertEqual(entry.type_id.code, "visit")
        self.assertEqual(entry.name, "Visit: Visit")
        # the wizard's entry is the only one: the state change does not log another
        self.assertEqual(self._entries(first.partner_id, route), entry)
        self.assertEqual(entry.source_model, "crm.route")
        self.assertEqual(entry.source_id, route.id)
        self.assertIn("&lt;new&gt;", str(entry.description))
        resub = self.env["crm.chronicle.resubmission"].search([("entry_id", "=", entry.id)])
        self.assertEqual(len(resub), 1)
        log = route.mileage_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(log.partner_id, first.partner_id)
        self.assertEqual(log.origin, route.start_partner_id.display_name)
        self.assertAlmostEqual(log.distance, first.leg_distance)
        self.assertEqual(log.user_id, self.user)
        again = (
            self.env["crm.route.visit"]
            .with_user(self.user)
            .create({"stop_id": first.id, "purpose": "x"})
        )
        with self.assertRaisesRegex(UserError, "only stops to visit on planned routes"):
            again.action_confirm()

    def _entries(self, partner, route):
        return self.env["crm.chronicle.entry"].search(
            [
                ("partner_id", "=", partner.id),
                ("source_model", "=", "crm.route"),
                ("source_id", "=", route.id),
            ],
            order="id",
        )

    def test_skip_and_visit_write_the_chronicle(self):
        route = _plan(self.env(user=self.user), self.customers[:4], name="Tour Nord")
        route = route.with_user(self.user)
        stops = route.stop_ids.sorted("sequence")
        # skipping two stops at once: one entry on each customer, none on the others
        stops[1:3].action_skip()
        for stop in stops[1:3]:
            entry = self._entries(stop.partner_id, route)
            self.assertEqual(len(entry), 1)
            self.assertEqual(entry.name, "Visit skipped: Tour Nord")
            self.assertEqual(entry.type_id.code, "note")
            self.assertEqual(entry.user_id, self.user)
            self.assertFalse(stop.chronicle_entry_id)
        self.assertFalse(self._entries(stops[0].partner_id, route))
        # taken back and skipped again: the chronicle keeps both skips
        stops[1].action_unskip()
        self.assertEqual(len(self._entries(stops[1].partner_id, route)), 1)
        stops[1].action_skip()
        self.assertEqual(
            self._entries(stops[1].partner_id, route).mapped("name"),
            ["Visit skipped: Tour Nord"] * 2,
        )
        # marked visited without the wizard (e.g. by an integration): "Visit: <route>"
        stops[0].visit_duration = 0.75
        stops[0].action_mark_visited()
        entry = self._entries(stops[0].partner_id, route)
        self.assertEqual(len(entry), 1)
        self.assertEqual(stops[0].chronicle_entry_id, entry)
        self.assertEqual((entry.name, entry.type_id.code), ("Visit: Tour Nord", "visit"))
        self.assertEqual(entry.duration, 0.75)
        # writing the same state again logs nothing more
        stops[0].state = "visited"
        stops[1].write({"state": "skipped"})
        self.assertEqual(len(self._entries(stops[0].partner_id, route)), 1)
        self.assertEqual(len(self._entries(stops[1].partner_id, route)), 2)
        # a user who may not log on this customer cannot skip either: nothing written
        # (the chronicle refuses a customer its caller may not read, naming it)
        other = self.env["res.company"].create({"name": "Andere Firma"})
        stops[3].partner_id.sudo().company_id = other
        with self.assertRaisesRegex(UserError, "may not read"), self.cr.savepoint():
            stops[3].action_skip()
        stops[3].invalidate_recordset()
        self.assertEqual(stops[3].state, "todo")
        self.assertFalse(self._entries(stops[3].partner_id, route))

    def test_osrm_routing_server(self):
        peer = OsrmPeer().start()
        self.addCleanup(peer.stop)
        points = [(51.05, 13.74), (51.10, 13.64), (50.96, 13.94)]
        dist, dur = geo.osrm_table(peer.url, points)
        crow = geo.haversine_m(*points[0], *points[1])
        self.assertAlmostEqual(dist[0][1], crow * 1.4, delta=1)
        self.assertAlmostEqual(dur[0][1], crow * 1.4 / 10, delta=1)
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("crm_routing.distance_source", "osrm")
        param.set_param("crm_routing.osrm_url", peer.url)
        route = _plan(self.env, self.customers[:4], name="OSRM")
        self.assertEqual(route.distance_source, "routing server")
        self.assertTrue(peer.requests[-1].startswith("/table/v1/driving/"))
        # the straight-line default (x 1.3) gives a shorter route than the server (x 1.4)
        param.set_param("crm_routing.distance_source", "straight")
        offline = _plan(self.env, self.customers[:4], name="Offline")
        self.assertAlmostEqual(route.total_distance / offline.total_distance, 1.4 / 1.3, delta=0.01)
        # a point off the road network: a clear error, nothing planned
        bad = OsrmPeer(unroutable={2}).start()
        self.addCleanup(bad.stop)
        with self.assertRaises(geo.RoutingServerError):
            geo.osrm_table(bad.url, points)

    def test_osrm_unreachable_is_a_clear_error(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("crm_routing.distance_source", "osrm")
        param.set_param("crm_routing.osrm_url", "http://127.0.0.1:9")
        with self.assertRaisesRegex(UserError, "routing server"):
            _plan(self.env, self.customers[:2], name="OSRM")


@tagged("post_install", "-at_install")
class TestRoutePdf(RouteCommon, HttpCase):
    """PDF rendering needs the HTTP server in test mode (wkhtmltopdf loads the
    report's assets from it), hence HttpCase."""

    def test_route_sheet_pdf_text(self):
        route = _plan(self.env, self.customers[:3], name="Sheet Tour")
        contact = self.env["res.partner"].create(
            {"name": "Erika Ansprech", "parent_id": self.customers[0].id, "phone": "+49 351 999888"}
        )
        stop = route.stop_ids.filtered(lambda s: s.partner_id == self.customers[0])
        stop.write({"contact_id": contact.id, "note": "Bring samples"})
        self.env["crm.chronicle.entry"].crm_log(
            self.customers[0],
            "call",
            "Angebot nachfassen",
            resubmission_date=route.date,
        )
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_routing.crm_route_sheet_report", route.ids)
        )
        text = _pdftotext(pdf)
        self.assertIn("Sheet Tour", text)
        for partner in self.customers[:3]:
            self.assertIn(partner.name, text)
        self.assertIn("Erika Ansprech", text)
        self.assertIn("+49 351 999888", text)
        self.assertIn("Bring samples", text)
        self.assertIn("Angebot nachfassen", text)
        self.assertIn("Weg 0", text)
        # order on paper = order of the route
        positions = [text.index(s.partner_id.name) for s in route.stop_ids.sorted("sequence")]
        self.assertEqual(positions, sorted(positions))

    def test_logbook_pdf_text(self):
        route = _plan(self.env, self.customers[:2], name="Logbook Tour")
        for stop in route.stop_ids.sorted("sequence"):
            self.env["crm.route.visit"].create(
                {"stop_id": stop.id, "purpose": f"Visit {stop.partner_id.name}", "distance": 12.5}
            ).action_confirm()
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_routing.crm_mileage_logbook_report", route.mileage_log_ids.ids)
        )
        text = _pdftotext(pdf)
        self.assertIn("Mileage logbook", text)
        self.assertIn("Logbook Tour", text)
        self.assertIn(f"Visit {self.customers[0].name}", text)
        self.assertIn("25.0", text)


def _pdftotext(pdf):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "r.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
        ).stdout


@tagged("post_install", "-at_install")
class TestRouteHttp(HttpCase):
    def test_gpx_download(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"GPX Kunde {i}",
                    "partner_latitude": 51 + i / 100,
                    "partner_longitude": 13.7 + i / 100,
                }
                for i in range(3)
            ]
        )
        self.env.company.partner_id.write({"partner_latitude": 51.05, "partner_longitude": 13.74})
        route = _plan(self.env, partners, name="GPX & Tour")
        self.authenticate("admin", "admin")
        response = self.url_open(f"/crm_routing/gpx/{route.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("gpx", response.headers["Content-Type"])
        root = ET.fromstring(response.content)
        ns = {"g": gpx.GPX_NS}
        names = [w.find("g:name", ns).text for w in root.findall("g:rte/g:rtept", ns)]
        expected = [
            self.env.company.partner_id.display_name,
            *route.stop_ids.sorted("sequence").partner_id.mapped("display_name"),
            self.env.company.partner_id.display_name,
        ]
        self.assertEqual(names, expected)
        self.assertEqual(root.find("g:metadata/g:name", ns).text[:10], "GPX & Tour")
        # ids that cannot exist: 404, not a database error
        for bad in ("0", "99999999999999999999", "abc", f"{route.id}x"):
            response = self.url_open(f"/crm_routing/gpx/{bad}", allow_redirects=False)
            self.assertEqual(response.status_code, 404, bad)
        # another user's route is not served (and its existence not revealed)
        new_test_user(
            self.env, login="gpx_other", password="gpx_other-1", groups="crm_core.group_user"
        )
        self.authenticate("gpx_other", "gpx_other-1")
        response = self.url_open(f"/crm_routing/gpx/{route.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(f"/crm_routing/gpx/{route.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
