from odoo import api
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..tools.geo import normalise_address
from .common import PLACES, GeocodingCommon
from .peers.nominatim_peer import GeocoderPeer, max_in_window


@tagged("post_install", "-at_install")
class TestGeocoding(GeocodingCommon):
    def test_found_cached_and_not_found(self):
        a = self.make_partner("Königsbrücker Str. 12", "01099", "Dresden")
        # same address written differently: one query for both
        b = self.make_partner("königsbrücker str 12", "01099", "DRESDEN")
        c = self.make_partner("Gibtsnicht 99", "01234", "Nirgendwo")
        self.assertEqual({a.crm_geo_state, b.crm_geo_state, c.crm_geo_state}, {"todo"})
        before = len(self.peer.requests)
        sent = (a | b | c)._crm_geocode()
        self.assertEqual(sent, 2)
        self.assertEqual(len(self.peer.requests) - before, 2)
        self.assertEqual(a.crm_geo_state, "found")
        self.assertAlmostEqual(a.partner_latitude, 51.0667, places=4)
        self.assertAlmostEqual(a.partner_longitude, 13.7502, places=4)
        self.assertEqual(
            (b.partner_latitude, b.partner_longitude), (a.partner_latitude, a.partner_longitude)
        )
        self.assertTrue(a.date_localization)
        self.assertEqual(c.crm_geo_state, "not_found")
        self.assertIn("Not found", c.crm_geo_reason)
        self.assertEqual(c.partner_latitude, 0)
        # the peer saw our User-Agent naming the installation, and the plain query
        last = self.peer.requests[-1]
        self.assertIn("Odoo CRM Suite", last["user_agent"])
        self.assertEqual(last["path"], "/search")
        self.assertEqual(last["params"].get("countrycodes"), "de")
        # a new partner at a known address: from the cache, no request
        d = self.make_partner("Königsbrücker Str. 12", "01099", "Dresden")
        before = len(self.peer.requests)
        self.assertEqual(d._crm_geocode(), 0)
        self.assertEqual(len(self.peer.requests), before)
        self.assertEqual(d.crm_geo_state, "found")
        cache = self.env["crm.geocode.cache"].search(
            [("key", "=", normalise_address("Königsbrücker Str. 12, 01099 Dresden, Germany"))]
        )
        self.assertEqual(len(cache), 1)
        # not found answers are cached too; retry forgets them and queues again
        self.assertEqual(c._crm_geocode(), 0)
        c.action_crm_geocode_retry()
        self.assertEqual(c.crm_geo_state, "todo")
        self.assertEqual(c._crm_geocode(), 1)

    def test_event_log_leaves_the_queue_out(self):
        """The geocoder's state and problem are the program's, like the coordinates: the
        customer's event log (crm_core) has the address change, not them - on the ORM path
        (the geocoder's write) as on the install hook's UPDATE in SQL, which writes only
        the state."""
        Event = self.env["crm.partner.event"]
        partner = self.make_partner("Gibtsnicht 99", "01234", "Nirgendwo")
        loggable = Event._loggable_fields(
            partner, {"crm_geo_state", "crm_geo_reason", "partner_latitude", "street"}
        )
        self.assertEqual([field.name for field in loggable], ["street"])
        partner._crm_geocode()
        partner.write({"street": "Gibtsauchnicht 1"})
        self.assertEqual(partner.crm_geo_state, "todo")
        names = Event.search([("partner_id", "=", partner.id)]).mapped("field_name")
        self.assertIn("street", names)
        self.assertFalse({"crm_geo_state", "crm_geo_reason"} & set(names))

    def test_rate_limited_and_unreachable(self):
        ok = self.make_partner("Meißner Str. 200", "01445", "Radebeul")
        limited = self.make_partner("Burgstr. 8", "01662", "Meißen", name="Limited")
        peer = GeocoderPeer(PLACES, fail_with={"Burgstr. 8, 01662 Meißen, Germany": 429})
        peer.start()
        self.addCleanup(peer.stop)
        self.set_provider("crm_nominatim", rate=50.0, url=peer.url)
        limited.write({"comment": "keep me"})
        (limited | ok)._crm_geocode()
        self.assertEqual(ok.crm_geo_state, "found", "the batch goes on after a failure")
        self.assertEqual(limited.crm_geo_state, "error")
        self.assertIn("429", limited.crm_geo_reason)
        self.assertEqual(limited.partner_latitude, 0)
        self.assertIn("keep me", limited.comment)
        # errors are not cached: a later try asks again
        self.assertFalse(
            self.env["crm.geocode.cache"].search(
                [("key", "=", normalise_address("Burgstr. 8, 01662 Meißen, Germany"))]
            )
        )
        # geocoder down: unreachable, the partner keeps its queued state reason
        peer.stop()
        down = self.make_partner("Dohnaische Str. 5", "01796", "Pirna")
        down._crm_geocode()
        self.assertEqual(down.crm_geo_state, "error")
        self.assertIn("unreachable", down.crm_geo_reason)
        # base_geolocalize's button path reports the error clearly
        with self.assertRaises(UserError):
            self.env["base.geocoder"]._call_crm_nominatim("Dohnaische Str. 5, Pirna")

    def test_rate_never_exceeded(self):
        """8 distinct addresses at 5 requests/s against a peer that answers 429 to
        anyone faster: every request spaced >= 0.2 s, none refused."""
        peer = GeocoderPeer(PLACES, max_rate=5.0)
        peer.start()
        self.addCleanup(peer.stop)
        self.set_provider("crm_nominatim", rate=5.0, url=peer.url)
        partners = self.env["res.partner"]
        for i in range(8):
            partners |= self.make_partner(f"Ringstr. {i}", "01067", "Dresden")
        partners._crm_geocode()
        times = peer.search_times()
        self.assertEqual(len(times), 8)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        self.assertGreaterEqual(min(gaps), 0.2, gaps)
        self.assertLessEqual(max_in_window(times, 1.0), 5)
        self.assertEqual(set(partners.mapped("crm_geo_state")), {"not_found"})

    def test_public_server_capped_at_one_per_second(self):
        self.set_provider("crm_nominatim", rate=10.0, url="https://nominatim.openstreetmap.org")
        config = self.env["base.geocoder"]._crm_geocoder_config()
        self.assertEqual(config["rate"], 1.0)

    def test_photon(self):
        self.set_provider("crm_photon", rate=50.0)
        p = self.make_partner("Dresdner Str. 70", "01705", "Freital")
        p._crm_geocode()
        self.assertEqual(p.crm_geo_state, "found")
        self.assertAlmostEqual(p.partner_latitude, 51.0017, places=4)
        self.assertEqual(self.peer.requests[-1]["path"], "/api")

    def test_manual_only_sends_nothing(self):
        self.set_provider("crm_manual")
        p = self.make_partner("Dresdner Str. 70", "01705", "Freital")
        before = len(self.peer.requests)
        self.assertEqual(p._crm_geocode(), 0)
        self.assertEqual(len(self.peer.requests), before)
        self.assertEqual(p.crm_geo_state, "todo")
        with self.assertRaises(UserError):
            p.action_crm_geocode()

    def test_address_change_invalidates(self):
        p = self.make_partner("Königsbrücker Str. 12", "01099", "Dresden")
        p._crm_geocode()
        self.assertEqual(p.crm_geo_state, "found")
        p.write({"phone": "+49 351 1"})
        self.assertEqual(p.crm_geo_state, "found", "a non-address change keeps it")
        p.write({"street": "Königsbrücker Str. 14"})
        self.assertEqual(p.crm_geo_state, "todo")
        self.assertEqual((p.partner_latitude, p.partner_longitude), (0, 0))
        # a position entered by hand
        p.write({"partner_latitude": 51.1, "partner_longitude": 13.7})
        self.assertEqual(p.crm_geo_state, "manual")
        p.write({"street": False, "zip": False, "city": False})
        self.assertEqual(p.crm_geo_state, "none")
        # contacts that take the company's address follow it
        company = self.make_partner("Burgstr. 8", "01662", "Meißen", is_company=True)
        company._crm_geocode()
        contact = self.env["res.partner"].create(
            {"name": "Erika", "parent_id": company.id, "type": "contact"}
        )
        company.write({"street": "Burgstr. 9"})
        self.assertEqual(contact.street, "Burgstr. 9")
        self.assertEqual(contact.crm_geo_state, "todo")

    def test_partial_addresses(self):
        street_only = self.make_partner("Dresdner Str. 70", False, False)
        town_only = self.make_partner(False, "01705", "Freital")
        country_only = self.env["res.partner"].create(
            {"name": "Nur Land", "country_id": self.de.id}
        )
        self.assertEqual(country_only.crm_geo_state, "none")
        before = len(self.peer.requests)
        (street_only | town_only | country_only)._crm_geocode()
        # a street alone is not asked: it would match that street anywhere
        self.assertEqual([r["q"] for r in self.peer.requests[before:]], ["01705 Freital, Germany"])
        self.assertEqual(street_only.crm_geo_state, "not_found")
        self.assertIn("Incomplete address", street_only.crm_geo_reason)
        self.assertEqual(street_only.partner_latitude, 0)
        # zip code and town only: located at the town's centre, and said so
        self.assertEqual(town_only.crm_geo_state, "found")
        self.assertAlmostEqual(town_only.partner_latitude, 51.0, places=4)
        self.assertIn("Approximate position", town_only.crm_geo_reason)
        self.assertEqual(country_only.crm_geo_state, "none")
        # completed addresses are located exactly, the notes go away
        street_only.write({"zip": "01705", "city": "Freital"})
        town_only.write({"street": "Dresdner Str. 70"})
        self.assertEqual(set((street_only | town_only).mapped("crm_geo_state")), {"todo"})
        (street_only | town_only)._crm_geocode()
        for partner in street_only | town_only:
            self.assertEqual(partner.crm_geo_state, "found")
            self.assertFalse(partner.crm_geo_reason)
            self.assertAlmostEqual(partner.partner_latitude, 51.0017, places=4)

    def test_cached_batch_queries_do_not_grow_with_partners(self):
        """Partners at a cached address cost the same queries, 3 or 30 of them."""
        self.make_partner("Burgstr. 8", "01662", "Meißen")._crm_geocode()

        def batch(n):
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"Q{i}",
                        "street": "Burgstr. 8",
                        "zip": "01662",
                        "city": "Meißen",
                        "country_id": self.de.id,
                    }
                    for i in range(n)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            return partners

        batch(1)._crm_geocode()  # warm the caches (settings, provider)
        small, large = batch(3), batch(30)
        queries = []
        for partners in (small, large):
            before = self.env.cr.sql_log_count
            partners._crm_geocode()
            self.env.flush_all()
            queries.append(self.env.cr.sql_log_count - before)
        # (the first measured batch still fills a cache or two: 30 cost no more than 3)
        self.assertLessEqual(queries[1], queries[0], queries)
        self.assertLessEqual(queries[1], 10, queries)
        self.assertEqual(set(large.mapped("crm_geo_state")), {"found"})

    def test_interactive_many_go_to_background(self):
        partners = self.env["res.partner"]
        for i in range(25):
            partners |= self.make_partner(f"Weg {i}", "01067", "Dresden")
        before = len(self.peer.requests)
        partners.action_crm_geocode()
        self.assertEqual(len(self.peer.requests), before, "25 partners are queued, not asked")
        self.assertEqual(set(partners.mapped("crm_geo_state")), {"todo"})


@tagged("post_install", "-at_install")
class TestGeocodingCron(HttpCase):
    def test_cron_batches_and_resumes(self):
        peer = GeocoderPeer(PLACES).start()
        self.addCleanup(peer.stop)
        param = self.env["ir.config_parameter"].sudo()
        provider = self.env.ref("crm_routing.geo_provider_nominatim")
        param.set_param("base_geolocalize.geo_provider", provider.id)
        param.set_param("crm_routing.crm_nominatim_url", peer.url)
        param.set_param("crm_routing.geocoder_rate", "200")
        Partner = self.env["res.partner"]
        # nothing else queued: only our partners count
        Partner.with_context(active_test=False).search(
            [("crm_geo_state", "in", ("todo", "error"))]
        ).write({"crm_geo_state": "none"})
        de = self.env.ref("base.de")
        ours = Partner.create(
            [
                {
                    "name": f"Cron {i}",
                    "street": f"Lindenweg {i}",
                    "zip": "01099",
                    "city": "Dresden",
                    "country_id": de.id,
                }
                for i in range(25)
            ]
            + [
                {
                    "name": "Cron known",
                    "street": "Burgstr. 8",
                    "zip": "01662",
                    "city": "Meißen",
                    "country_id": de.id,
                }
            ]
        )
        # an earlier run was interrupted after its first committed batch
        ours[:10]._crm_geocode()
        # and one partner failed in an earlier run: the geocoder was down
        failed = Partner.create(
            {
                "name": "Cron failed before",
                "street": "Dohnaische Str. 5",
                "zip": "01796",
                "city": "Pirna",
                "country_id": de.id,
            }
        )
        failed.write({"crm_geo_state": "error", "crm_geo_reason": "Geocoder unreachable"})
        self.env.flush_all()
        self.assertEqual(len(peer.requests), 10)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["res.partner"]._cron_crm_geocode(batch_size=7)
        self.env.invalidate_all()
        # the resumed run asked only for the 16 left and the failed one, nothing twice
        self.assertEqual(len(peer.requests), 27)
        self.assertEqual(len({r["q"] for r in peer.requests}), 27)
        self.assertEqual(failed.crm_geo_state, "found")
        self.assertFalse(failed.crm_geo_reason)
        self.assertEqual(set(ours.mapped("crm_geo_state")) - {"not_found", "found"}, set())
        self.assertEqual(ours[-1].crm_geo_state, "found")
        problems = Partner.with_context(active_test=False).search(
            [("crm_geo_state", "in", ("not_found", "error")), ("id", "in", ours.ids)]
        )
        self.assertEqual(len(problems), 25)
        self.assertTrue(all(problems.mapped("crm_geo_reason")))
