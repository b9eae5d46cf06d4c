#!/usr/bin/env python3
"""Geocoding rate benchmark: crm_routing geocodes partners through geopy against a local
Nominatim-compatible server (crm_routing/tests/peers/nominatim_peer.py, real HTTP on
127.0.0.1) and must never ask faster than the configured rate. The anchor is geopy's own
RateLimiter (geopy.extra.rate_limiter) at the same rate, on the same addresses, against
the same server, in the same run.

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/geocoding_rate.py                       # 10,000 partners at 50 req/s
    python3 bench/geocoding_rate.py --partners 300 --rate 20   # a short run
    python3 bench/geocoding_rate.py --db NAME             # an existing db with crm_routing

Without --db a throwaway database with crm_routing (no demo data) is created in the
project-local cluster and dropped afterwards (bench/_odoo.py). With --db the partners it
creates, their cache entries and the settings it changed are removed again at the end.

Ours is the real background job, res.partner._cron_crm_geocode() (batches of 20, each
committed), on every partner queued for geocoding. The server answers HTTP 429 to any
request received less than 1/rate after the previous one, as the public Nominatim does.
One address in 50 is unknown to the server (a "not found" answer). Printed for both:
requests, achieved rate, the most requests in any 1-second window, the smallest gap
between two requests as the server saw them, the 429 answers, wall time and CPU time
(this process - which also runs the server thread - and, for ours, the PostgreSQL
backend), and the ratio. At the public Nominatim's 1 request/s, 10,000 partners take
2 h 47 min: the rate is what makes the difference, not the software, and the point of
the measurement is that ours keeps to it.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

UNKNOWN_EVERY = 50


def address(i):
    return f"Benchstr. {i}, 01067 Dresden, Germany"


def places(count):
    """The server's gazetteer: every bench address but one in UNKNOWN_EVERY."""
    return {
        address(i): (51.0 + (i % 1000) / 5000, 13.6 + (i // 1000) / 500)
        for i in range(count)
        if i % UNKNOWN_EVERY
    }


def window_stats(peer):
    from odoo.addons.crm_routing.tests.peers.nominatim_peer import (  # noqa: PLC0415
        max_in_window,
    )

    times = sorted(peer.search_times())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    span = times[-1] - times[0] if times else 0
    return {
        "n": len(times),
        "rate": (len(times) - 1) / span if span else float("nan"),
        "max_1s": max_in_window(times, 1.0),
        "min_gap": min(gaps) if gaps else float("nan"),
        "refused": peer.refused,
    }


def setup(env, peer, args):
    """Point crm_routing at the peer and create the partners to geocode (committed: the
    background job commits after each batch). Returns what cleanup() needs."""
    param = env["ir.config_parameter"]
    keys = ("base_geolocalize.geo_provider", "crm_routing.crm_nominatim_url")
    keys += ("crm_routing.geocoder_rate",)
    saved = {key: param.get_param(key) for key in keys}
    param.set_param(
        "base_geolocalize.geo_provider", env.ref("crm_routing.geo_provider_nominatim").id
    )
    param.set_param("crm_routing.crm_nominatim_url", peer.url)
    param.set_param("crm_routing.geocoder_rate", str(args.rate))
    queued = (
        env["res.partner"].with_context(active_test=False).search([("crm_geo_state", "=", "todo")])
    )
    env.cr.execute("UPDATE res_partner SET crm_geo_state = 'none' WHERE id = ANY(%s)", [queued.ids])
    started = time.perf_counter()
    de = env.ref("base.de")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Geo {i}",
                "street": f"Benchstr. {i}",
                "zip": "01067",
                "city": "Dresden",
                "country_id": de.id,
            }
            for i in range(args.partners)
        ]
    )
    env.cr.commit()
    print(f"{len(partners):,} partners created in {time.perf_counter() - started:.0f} s")
    return {"params": saved, "partners": partners, "queued": queued}


def cleanup(env, state):
    env.cr.rollback()
    env["crm.geocode.cache"].sudo().search([("query", "like", "Benchstr. ")]).unlink()
    state["partners"].unlink()
    param = env["ir.config_parameter"]
    for key, value in state["params"].items():
        param.set_param(key, value or False)
    if state["queued"]:
        env.cr.execute(
            "UPDATE res_partner SET crm_geo_state = 'todo' WHERE id = ANY(%s)",
            [state["queued"].ids],
        )
    env.cr.commit()


def run_anchor(peer, args):
    from geopy.extra.rate_limiter import RateLimiter  # noqa: PLC0415
    from geopy.geocoders import Nominatim  # noqa: PLC0415

    geocoder = Nominatim(domain=peer.url.split("//")[1], scheme="http", user_agent="bench anchor")
    geocode = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=1.0 / args.rate,
        max_retries=0,
        swallow_exceptions=True,
    )
    cpu, wall = time.process_time(), time.perf_counter()
    found = sum(
        geocode(address(i), exactly_one=True, country_codes="de") is not None
        for i in range(args.partners)
    )
    return found, time.perf_counter() - wall, time.process_time() - cpu


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="existing database with crm_routing (default: throwaway)")
    parser.add_argument("--partners", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args(argv)
    if args.partners < 2 or args.rate <= 0:
        parser.error("--partners must be at least 2 and --rate positive")

    with _odoo.odoo_env(args.db, addons="crm_routing") as (env, _registry):
        from odoo.addons.crm_routing.tests.peers.nominatim_peer import (  # noqa: PLC0415
            GeocoderPeer,
        )

        peer = GeocoderPeer(places(args.partners), max_rate=args.rate).start()
        state = setup(env, peer, args)
        try:
            partners = state["partners"]
            with _odoo.Timer(env.cr) as timer:
                env["res.partner"]._cron_crm_geocode()
            ours = window_stats(peer)
            env.invalidate_all()
            counts = {
                geo: len(partners.filtered(lambda p, g=geo: p.crm_geo_state == g))
                for geo in ("found", "not_found", "error", "todo")
            }

            peer.reset()
            time.sleep(1.0)
            anchor_found, anchor_wall, anchor_cpu = run_anchor(peer, args)
            anchor = window_stats(peer)
        finally:
            peer.stop()
            if args.db:  # a throwaway database is dropped as a whole
                cleanup(env, state)

    print(
        f"\n{args.partners:,} partners, configured rate {args.rate:g} req/s; the server "
        f"answers 429 to requests received less than {1000 / args.rate:.0f} ms apart; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for label, m in (("ours (crm_routing cron)", ours), ("anchor (geopy RateLimiter)", anchor)):
        print(
            f"{label:>27}: {m['n']:,} requests, achieved {m['rate']:.2f} req/s "
            f"({m['rate'] / args.rate * 100:.1f} % of the rate), max in any 1 s window "
            f"{m['max_1s']}, smallest gap {m['min_gap'] * 1000:.1f} ms, 429 answers "
            f"{m['refused']}"
        )
    print(f"{'ours':>27}: {timer}")
    print(
        f"{'':>27}  partners found {counts['found']:,}, not found {counts['not_found']:,}, "
        f"error {counts['error']:,}, still queued {counts['todo']:,}"
    )
    print(
        f"{'anchor':>27}: wall {anchor_wall:.2f} s, CPU {anchor_cpu:.2f} s (no database); "
        f"found {anchor_found:,}"
    )
    print(
        f"ratio ours/anchor: wall {timer.seconds / anchor_wall:.2f}, process CPU "
        f"{timer.cpu / anchor_cpu:.2f}; per partner ours {timer.seconds / args.partners * 1000:.1f}"
        f" ms wall, anchor {anchor_wall / args.partners * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
