import random
import xml.etree.ElementTree as ET

from odoo.tests import BaseCase, tagged

from ..tools import geo, gpx, mapdata, optimise

# metres of the best known tour of _tw_instance(60, 11) (see its test)
BEST_KNOWN_60 = 97066


def _instance(n, seed):
    """n stops plus a depot (node 0) around Dresden."""
    rnd = random.Random(seed)
    points = [(51.05, 13.74)] + [
        (rnd.uniform(50.9, 51.2), rnd.uniform(13.5, 14.0)) for _ in range(n)
    ]
    dist, dur = geo.straight_line_matrix(points, road_factor=1.3, speed_kmh=50)
    return points, dist, dur


def _tw_instance(n, seed):
    """n stops in a city (Dresden, 12 x 12 km) with 3 minutes per visit, a third of them
    with a window of 2-4 hours around the arrival of a nearest-neighbour tour from 6:00
    (so that an order keeping every window exists), as bench/route_optimisation.py."""
    rnd = random.Random(seed)
    points = [(51.05, 13.74)] + [
        (rnd.uniform(51.0, 51.1), rnd.uniform(13.66, 13.82)) for _ in range(n)
    ]
    dist, dur = geo.straight_line_matrix(points, road_factor=1.3, speed_kmh=50)
    stops = list(range(1, n + 1))
    service = {s: 180 for s in stops}
    todo, order, pos = set(stops), [], 0
    while todo:
        pos = min(todo, key=lambda j, i=pos: (dur[i][j], j))
        order.append(pos)
        todo.discard(pos)
    ref = optimise.evaluate(order, dur, dist, start=0, end=0, service=service, day_start=6 * 3600)
    arrival = {row["node"]: row["begin"] for row in ref["schedule"]}
    windows = {}
    for s in rnd.sample(stops, n // 3):
        length = rnd.choice([2, 3, 4]) * 3600
        opening = max(6 * 3600, int(arrival[s] - rnd.uniform(0, length)) // 900 * 900)
        windows[s] = (opening, max(opening + length, -(-arrival[s] // 900) * 900))
    return dist, dur, service, windows


@tagged("post_install", "-at_install")
class TestGeo(BaseCase):
    def test_normalise_address(self):
        self.assertEqual(
            geo.normalise_address("Hauptstr. 1", " 01067  Dresden", None, "Deutschland"),
            geo.normalise_address("hauptstr 1", "01067 dresden", "", "DEUTSCHLAND"),
        )
        self.assertEqual(geo.normalise_address("Náměstí Míru 5,", "Praha"), "náměstí míru 5 praha")
        self.assertNotEqual(
            geo.normalise_address("Hauptstr 1"), geo.normalise_address("Hauptstr 2")
        )

    def test_haversine(self):
        # Dresden Hbf - Leipzig Hbf: about 101 km as the crow flies
        d = geo.haversine_m(51.0405, 13.7320, 51.3454, 12.3821)
        self.assertAlmostEqual(d / 1000, 99.9, delta=2)
        self.assertEqual(geo.haversine_m(50, 14, 50, 14), 0)

    def test_straight_line_matrix(self):
        dist, dur = geo.straight_line_matrix([(51.0, 13.0), (51.0, 13.1)], 1.5, 60)
        crow = geo.haversine_m(51.0, 13.0, 51.0, 13.1)
        self.assertEqual(dist[0][1], round(crow * 1.5))
        self.assertEqual(dist[1][0], dist[0][1])
        self.assertEqual(dur[0][1], round(crow * 1.5 / (60 / 3.6)))
        with self.assertRaises(ValueError):
            geo.straight_line_matrix([(51.0, 13.0)], 0, 60)


@tagged("post_install", "-at_install")
class TestOptimise(BaseCase):
    def test_matches_brute_force_round_trip(self):
        for seed in range(6):
            _points, dist, dur = _instance(7, seed)
            stops = list(range(1, 8))
            best = optimise.brute_force(dur, dist, stops, start=0, end=0)
            got = optimise.optimise(dur, dist, stops, start=0, end=0)
            self.assertEqual(sorted(got["order"]), stops)
            self.assertEqual(got["distance"], best["distance"], f"seed {seed}")

    def test_matches_brute_force_open_end_and_other_end(self):
        for seed in range(4):
            _points, dist, dur = _instance(8, 100 + seed)
            stops = list(range(1, 8))
            for end in (None, 8):
                best = optimise.brute_force(dur, dist, stops, start=0, end=end)
                got = optimise.optimise(dur, dist, stops, start=0, end=end)
                self.assertEqual(got["distance"], best["distance"], f"seed {seed} end {end}")
                if end is not None:
                    self.assertNotIn(end, got["order"])

    def test_time_windows_against_brute_force(self):
        rnd = random.Random(7)
        for seed in range(4):
            _points, dist, dur = _instance(6, 200 + seed)
            stops = list(range(1, 7))
            service = {s: 1800 for s in stops}
            windows = {}
            for s in rnd.sample(stops, 3):
                opening = rnd.choice([8, 10, 13]) * 3600
                windows[s] = (opening, opening + 2 * 3600)
            best = optimise.brute_force(
                dur,
                dist,
                stops,
                start=0,
                end=0,
                service=service,
                windows=windows,
                day_start=8 * 3600,
            )
            got = optimise.optimise(
                dur,
                dist,
                stops,
                start=0,
                end=0,
                service=service,
                windows=windows,
                day_start=8 * 3600,
                day_end=20 * 3600,
            )
            if best is None:
                continue
            self.assertFalse(got["unassigned"], f"seed {seed}")
            self.assertFalse(got["late"], f"seed {seed}: a visit begins after its window")
            self.assertEqual(got["distance"], best["distance"], f"seed {seed}")
            for row in got["schedule"]:
                if row["node"] in windows:
                    opening, closing = windows[row["node"]]
                    self.assertTrue(opening <= row["begin"] <= closing)

    def test_long_tour_with_windows_near_the_best_known(self):
        """Tours of more than 100 stops with time windows go to OR-Tools, whose search
        keeps every window and serves every stop; on 60 stops (40 s of a test budget
        would not reach the best known tour of 200 on a loaded machine) it is within 2 %
        of the best known tour in 5 s (BEST_KNOWN_60: VROOM at exploration level 5 and
        OR-Tools for 60 s, measured once, agree)."""
        self.assertIsNone(optimise.solver_settings(120, windows=True)[0])
        self.assertIsNotNone(optimise.solver_settings(120)[0])
        self.assertIsNotNone(optimise.solver_settings(100, windows=True)[0])
        day = {"day_start": 6 * 3600, "day_end": 24 * 3600}
        dist, dur, service, windows = _tw_instance(60, 11)
        stops = list(range(1, 61))
        got = optimise.ortools_tour(
            dur, dist, stops, start=0, end=0, service=service, windows=windows, seconds=5, **day
        )
        self.assertFalse(got["unassigned"])
        self.assertFalse(got["late"])
        self.assertEqual(sorted(got["order"]), stops)
        self.assertLessEqual(got["distance"], BEST_KNOWN_60 * 1.02, got["distance"])
        # the default path on a long tour, open end: every stop served in its window
        dist, dur, service, windows = _tw_instance(120, 12)
        stops = list(range(1, 121))
        got = optimise.optimise(
            dur, dist, stops, start=0, service=service, windows=windows, timeout=3, **day
        )
        self.assertFalse(got["unassigned"])
        self.assertFalse(got["late"])
        self.assertEqual(sorted(got["order"]), stops)
        self.assertLessEqual(got["end_time"], 24 * 3600)

    def test_impossible_window_is_reported_not_dropped(self):
        _points, dist, dur = _instance(4, 3)
        stops = [1, 2, 3, 4]
        # stop 4 closes before the day starts: it cannot be served
        got = optimise.optimise(
            dur,
            dist,
            stops,
            start=0,
            end=0,
            windows={4: (0, 3600)},
            day_start=8 * 3600,
            day_end=18 * 3600,
        )
        self.assertEqual(got["unassigned"], [4])
        self.assertEqual(sorted(got["order"]), [1, 2, 3])

    def test_evaluate_fixed_order(self):
        dist = [[0, 10, 20], [10, 0, 15], [20, 15, 0]]
        dur = [[0, 60, 120], [60, 0, 90], [120, 90, 0]]
        res = optimise.evaluate(
            [2, 1],
            dur,
            dist,
            start=0,
            end=0,
            service={1: 600, 2: 300},
            windows={1: (1000, 2000)},
            day_start=0,
        )
        self.assertEqual(res["distance"], 20 + 15 + 10)
        # 0 -> 2 arrives 120, leaves 420; -> 1 arrives 510, waits to 1000, leaves 1600
        self.assertEqual([r["arrival"] for r in res["schedule"]], [120, 510])
        self.assertEqual(res["schedule"][1]["waiting"], 490)
        self.assertEqual(res["end_time"], 1660)
        self.assertFalse(res["late"])
        late = optimise.evaluate([1], dur, dist, start=0, windows={1: (0, 30)})
        self.assertEqual(late["late"], [1])

    def test_bad_input(self):
        with self.assertRaises(optimise.OptimisationError):
            optimise.optimise([[0]], [[0]], [3], start=0)
        with self.assertRaises(optimise.OptimisationError):
            optimise.optimise([[0, 1], [1, 0]], [[0, 1], [1, 0]], [1, 1], start=0)
        empty = optimise.optimise([[0]], [[0]], [], start=0, end=0)
        self.assertEqual(empty["order"], [])


@tagged("post_install", "-at_install")
class TestOutput(BaseCase):
    def test_gpx_parses(self):
        data = gpx.build_gpx(
            "Tour <Dresden> & Co",
            [
                {"lat": 51.05, "lon": 13.74, "name": "Start & Ziel"},
                {"lat": 51.1, "lon": 13.8, "name": "Müller GmbH", "desc": "Tel. 0351 1"},
            ],
        )
        root = ET.fromstring(data)
        ns = {"g": gpx.GPX_NS}
        self.assertEqual(root.get("version"), "1.1")
        self.assertEqual(root.find("g:metadata/g:name", ns).text, "Tour <Dresden> & Co")
        wpts = root.findall("g:wpt", ns)
        self.assertEqual([w.find("g:name", ns).text for w in wpts], ["Start & Ziel", "Müller GmbH"])
        self.assertEqual(float(wpts[1].get("lat")), 51.1)
        self.assertEqual(len(root.findall("g:rte/g:rtept", ns)), 2)

    def test_links(self):
        pts = [(51.0, 13.0), (51.1, 13.1), (51.2, 13.2)]
        url = gpx.google_maps_url(pts)
        self.assertIn("origin=51.000000%2C13.000000", url)
        self.assertIn("destination=51.200000%2C13.200000", url)
        self.assertIn("waypoints=51.100000%2C13.100000", url)
        osm = gpx.osm_url(pts)
        self.assertEqual(osm.count("loc="), 3)
        self.assertIn("loc=51.100000%2C13.100000", osm)
        pieces = gpx.chunks(list(range(25)), 11)
        self.assertEqual(pieces[0][-1], pieces[1][0])
        self.assertEqual(sorted({x for p in pieces for x in p}), list(range(25)))


@tagged("post_install", "-at_install")
class TestMapData(BaseCase):
    def test_route_map(self):
        start = {"lat": 51.0, "lon": 13.7, "name": "Depot"}
        stops = [
            {"lat": 51.1, "lon": 13.6, "name": "A", "address": "Weg 1", "state": "visited"},
            {"lat": None, "lon": None, "name": "Nowhere"},
            {"lat": 51.2, "lon": 13.5, "name": "C", "state": "skipped"},
            {"lat": 51.3, "lon": 13.4, "name": "D"},
        ]
        end = {"lat": 51.4, "lon": 13.3, "name": "Hotel"}
        data = mapdata.route_map(start, stops, end, tile_url="http://t/{z}/{x}/{y}.png")
        self.assertEqual([p["label"] for p in data["points"]], ["S", "1", "3", "4", "E"])
        self.assertEqual([p["kind"] for p in data["points"]][::4], ["start", "end"])
        self.assertEqual(data["points"][1]["address"], "Weg 1")
        self.assertEqual(data["points"][2]["state"], "skipped")
        # the line leaves out the skipped stop and the one without position
        self.assertEqual(data["line"], [[51.0, 13.7], [51.1, 13.6], [51.3, 13.4], [51.4, 13.3]])
        self.assertEqual(data["missing"], ["Nowhere"])
        self.assertEqual(data["tile_url"], "http://t/{z}/{x}/{y}.png")
        self.assertIn("OpenStreetMap", data["attribution"])

    def test_round_trip_and_empty(self):
        depot = {"lat": 51.0, "lon": 13.7, "name": "Depot"}
        data = mapdata.route_map(depot, [{"lat": 51.1, "lon": 13.6, "name": "A"}], depot)
        self.assertEqual([p["label"] for p in data["points"]], ["S", "1"])
        self.assertEqual(data["line"], [[51.0, 13.7], [51.1, 13.6], [51.0, 13.7]])
        self.assertEqual(data["tile_url"], mapdata.DEFAULT_TILE_URL)
        empty = mapdata.route_map({"lat": None, "lon": None, "name": "X"}, [], None)
        self.assertEqual((empty["points"], empty["line"], empty["missing"]), ([], [], ["X"]))
        places = mapdata.places_map([{"lat": 1.0, "lon": 2.0, "name": "P"}] * 2)
        self.assertEqual([p["label"] for p in places["points"]], ["1", "2"])
        self.assertEqual(places["line"], [])
