"""The geocoder and the routing server when they do not answer, answer slowly or refuse:
short timeouts, then the circuit breaker stops asking and says so - against real peers on
127.0.0.1 reached through geopy and requests."""

import time

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tools import breaker

from ..models.base_geocoder import TIMEOUT
from ..tools.geo import OSRM_TIMEOUT
from .common import PLACES, GeocodingCommon, RouteCommon
from .peers.http_peer import SilentPeer
from .peers.nominatim_peer import GeocoderPeer
from .peers.osrm_peer import OsrmPeer

BREAKER_LOG = "odoo.addons.crm_core.tools.breaker"
# Odoo's test framework raises request timeouts below 10 s to 10 s (odoo.tests.common)
WAITED = max(TIMEOUT, 10)


def free_url():
    server = SilentPeer().start()  # a port nobody listens on once it is closed again
    url = server.url
    server.stop()
    return url


@tagged("post_install", "-at_install")
class TestUnreachableGeocoder(GeocodingCommon):
    def partners(self, count):
        return self.env["res.partner"].concat(
            *(self.make_partner(f"Hangweg {i}", "01067", "Dresden") for i in range(count))
        )

    def test_silent_geocoder_costs_three_timeouts_then_pauses(self):
        """A geocoder that accepts connections and never answers, then goes down: the
        request waits for the timeout, the next ones fail at once, and after the third
        failure in a row the breaker opens and the rest of the run sends nothing."""
        peer = SilentPeer().start()
        self.addCleanup(peer.stop)
        self.set_provider("crm_nominatim", rate=50.0, url=peer.url)
        partners = self.partners(8)
        started = time.monotonic()
        partners[0]._crm_geocode()
        self.assertGreater(time.monotonic() - started, TIMEOUT - 0.5)
        self.assertLess(time.monotonic() - started, WAITED + 3)
        self.assertEqual(partners[0].crm_geo_state, "error")
        self.assertEqual(
            partners[0].crm_geo_reason, f"Geocoder unreachable: no answer within {TIMEOUT} s."
        )
        peer.stop()  # the same address refuses now
        started = time.monotonic()
        with self.assertLogs(BREAKER_LOG, "WARNING") as logs:
            partners[1:]._crm_geocode()
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(peer.connections, 1)
        self.assertIn("3 connection failures in a row (last: refused)", logs.output[0])
        self.assertEqual(partners[1].crm_geo_reason, "Geocoder unreachable: connection refused.")
        asked, queued = partners[:3], partners[3:]
        self.assertEqual(set(asked.mapped("crm_geo_state")), {"error"})
        # not asked: still queued, and the reason says why and until when
        self.assertEqual(set(queued.mapped("crm_geo_state")), {"todo"})
        self.assertRegex(
            queued[0].crm_geo_reason,
            r"^Geocoder paused after 3 failed connections in a row \(connection refused\); "
            r"the next try is after \d\d:\d\d\.$",
        )
        # the "Locate" button says so too, without waiting
        started = time.monotonic()
        action = queued[:2].action_crm_geocode()
        self.assertLess(time.monotonic() - started, 1)
        self.assertIn("Geocoder paused", action["params"]["message"])
        # base_geolocalize's own button: a clear error at once
        with self.assertRaisesRegex(UserError, "Geocoder paused"):
            self.env["base.geocoder"]._call_crm_nominatim("Hangweg 1, 01067 Dresden")

    def test_refused_geocoder_pauses_without_waiting(self):
        self.set_provider("crm_nominatim", rate=50.0, url=free_url())
        partners = self.partners(6)
        started = time.monotonic()
        with self.assertLogs(BREAKER_LOG, "WARNING"):
            partners._crm_geocode()
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(partners[0].crm_geo_reason, "Geocoder unreachable: connection refused.")
        self.assertEqual(partners.mapped("crm_geo_state"), ["error"] * 3 + ["todo"] * 3)
        # nothing of urllib3's or requests' own text reaches the user
        for reason in partners.mapped("crm_geo_reason"):
            self.assertNotRegex(reason, "HTTPConnectionPool|Max retries|urllib3|/search")

    def test_slow_geocoder_below_the_timeout_is_waited_for(self):
        peer = GeocoderPeer(PLACES, delay=1.0).start()
        self.addCleanup(peer.stop)
        self.set_provider("crm_nominatim", rate=50.0, url=peer.url)
        partner = self.make_partner("Meißner Str. 200", "01445", "Radebeul")
        partner._crm_geocode()
        self.assertEqual(partner.crm_geo_state, "found")
        self.assertFalse(breaker.breaker_for("Geocoder", peer.url).failures)


@tagged("post_install", "-at_install")
class TestUnreachableGeocoderCron(HttpCase):
    """The background job commits after each batch: it runs on its own cursor."""

    def setUp(self):
        super().setUp()
        breaker.reset_all()

    def test_cron_ends_when_the_geocoder_is_paused(self):
        """The background job on 45 queued partners and a refused geocoder: three requests,
        then the run ends; the partners stay queued for the run after the pause. A geocoder
        that answers again is asked again."""
        url = free_url()
        param = self.env["ir.config_parameter"].sudo()
        param.set_param(
            "base_geolocalize.geo_provider", self.env.ref("crm_routing.geo_provider_nominatim").id
        )
        param.set_param("crm_routing.crm_nominatim_url", url)
        param.set_param("crm_routing.geocoder_rate", "50")
        Partner = self.env["res.partner"].with_context(active_test=False)
        Partner.search([("crm_geo_state", "in", ("todo", "error"))]).write(
            {"crm_geo_state": "none"}
        )
        de = self.env.ref("base.de")
        partners = Partner.create(
            [
                {
                    "name": f"Cron Hangweg {i}",
                    "street": f"Hangweg {i}",
                    "zip": "01067",
                    "city": "Dresden",
                    "country_id": de.id,
                }
                for i in range(45)
            ]
        )
        self.env.flush_all()

        def run():
            with self.registry.cursor() as cr:
                api.Environment(cr, api.SUPERUSER_ID, {})["res.partner"]._cron_crm_geocode(
                    batch_size=20
                )
            self.env.invalidate_all()
            return partners.mapped("crm_geo_state")

        with self.assertLogs(BREAKER_LOG, "WARNING"):
            states = run()
        self.assertEqual((states.count("error"), states.count("todo")), (3, 42))
        # the next run during the pause sends nothing and changes nothing (errors are
        # queued again at the start of each run)
        self.assertEqual(run().count("todo"), 45)
        # the geocoder is back (same address) and the pause is over: all are located
        places = {f"Hangweg {i}, 01067 Dresden, Germany": (51, 13) for i in range(45)}
        peer = GeocoderPeer(places).start(port=int(url.rsplit(":", 1)[1]))
        self.addCleanup(peer.stop)
        breaker.breaker_for("Geocoder", url).until = time.time()
        self.assertEqual(set(run()), {"found"})
        self.assertEqual(len(peer.requests), 45)


@tagged("post_install", "-at_install")
class TestUnreachableRoutingServer(RouteCommon):
    def setUp(self):
        super().setUp()
        breaker.reset_all()

    def use_server(self, url):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("crm_routing.distance_source", "osrm")
        param.set_param("crm_routing.osrm_url", url)

    def plan(self):
        wizard = (
            self.env["crm.route.plan"]
            .with_context(active_model="res.partner", active_ids=self.customers[:3].ids)
            .create({"name": "Outside"})
        )
        return wizard.action_plan()

    def test_silent_routing_server(self):
        peer = SilentPeer().start()
        self.addCleanup(peer.stop)
        self.use_server(peer.url)
        started = time.monotonic()
        with self.assertRaises(UserError) as caught:
            self.plan()
        self.assertLess(time.monotonic() - started, max(OSRM_TIMEOUT, 10) + 3)
        self.assertEqual(
            str(caught.exception),
            f"The routing server cannot be reached: no answer within {OSRM_TIMEOUT} s. Check "
            "its address in the settings, or compute distances offline (straight line).",
        )

    def test_refused_routing_server_pauses(self):
        self.use_server(free_url())
        for _attempt in range(2):
            with self.assertRaisesRegex(UserError, "connection refused"):
                self.plan()
        with self.assertLogs(BREAKER_LOG, "WARNING"), self.assertRaises(UserError):
            self.plan()
        with self.assertRaisesRegex(UserError, "routing server is paused after 3 failed"):
            self.plan()

    def test_routing_server_errors_are_worded(self):
        peer = OsrmPeer(unroutable={2}).start()
        self.addCleanup(peer.stop)
        self.use_server(peer.url)
        with self.assertRaisesRegex(UserError, "found no road to some stops"):
            self.plan()
        self.assertFalse(breaker.breaker_for("Routing server", peer.url).failures)
