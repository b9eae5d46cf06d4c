"""Geocoding rate benchmark: crm_routing geocodes partners through geopy against a local
Nominatim-compatible server (crm_routing/tests/peers) and must never ask faster than the
configured rate. The anchor is geopy's own RateLimiter (geopy.extra.rate_limiter) at the
same rate, on the same addresses, against the same server.

10,000 partners at the public Nominatim's 1 request/s take 2 h 47 min; this runs a
shorter measurement at a higher configured rate (default 300 partners at 20 req/s) and
prints the achieved rate, the most requests seen in any 1-second window, and the
smallest gap between two requests, as the server saw them.

Run from the repository root against a database that has crm_routing installed (the
data it creates is rolled back):

    .venv/bin/python bench/geocoding_rate.py --db-args="-d DB --db_host=... --db_user=odoo" \
        [--partners 300] [--rate 20]

With `make run`'s database: --db-args="-d crm --db_host=$PWD/.local/pgdata --db_user=odoo".
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(times):
    from odoo.addons.crm_routing.tests.peers.nominatim_peer import (  # noqa: PLC0415
        max_in_window,
    )

    times = sorted(times)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    span = times[-1] - times[0]
    return {
        "n": len(times),
        "rate": (len(times) - 1) / span if span else float("inf"),
        "max_1s": max_in_window(times, 1.0),
        "min_gap": min(gaps) if gaps else 0,
    }


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-args", required=True)
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args(argv)

    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    odoo.tools.config.parse_config(shlex.split(args.db_args))

    db = odoo.tools.config["db_name"]
    db = db[0] if isinstance(db, list) else db
    registry = odoo.modules.registry.Registry(db)
    from odoo.addons.crm_routing.tests.peers.nominatim_peer import (  # noqa: PLC0415
        GeocoderPeer,
    )

    peer = GeocoderPeer({}, max_rate=args.rate).start()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            param = env["ir.config_parameter"]
            param.set_param(
                "base_geolocalize.geo_provider", env.ref("crm_routing.geo_provider_nominatim").id
            )
            param.set_param("crm_routing.crm_nominatim_url", peer.url)
            param.set_param("crm_routing.geocoder_rate", str(args.rate))
            de = env.ref("base.de")
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Bench {i}",
                        "street": f"Benchstr. {i}",
                        "zip": "01067",
                        "city": "Dresden",
                        "country_id": de.id,
                    }
                    for i in range(args.partners)
                ]
            )
            t0 = time.perf_counter()
            for start in range(0, len(partners), 20):  # the cron's batches
                partners[start : start + 20]._crm_geocode()
            ours_s = time.perf_counter() - t0
            refused = len(partners.filtered(lambda p: p.crm_geo_state == "error"))
            ours = measure(peer.search_times())
            cr.rollback()

        # anchor: geopy's RateLimiter, same server, same addresses, same rate
        from geopy.extra.rate_limiter import RateLimiter  # noqa: PLC0415
        from geopy.geocoders import Nominatim  # noqa: PLC0415

        peer.requests.clear()
        peer._last = None
        geocoder = Nominatim(
            domain=peer.url.split("//")[1], scheme="http", user_agent="bench anchor"
        )
        geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=1.0 / args.rate,
            max_retries=0,
            swallow_exceptions=True,
        )
        time.sleep(1.0)
        t0 = time.perf_counter()
        for i in range(args.partners):
            geocode(f"Benchstr. {i}, 01067 Dresden, Germany")
        anchor_s = time.perf_counter() - t0
        anchor = measure(peer.search_times())
    finally:
        peer.stop()

    print(
        f"{args.partners} partners, configured rate {args.rate:g} req/s "
        f"(the server answers 429 to requests received less than 1/rate apart)"
    )
    for label, m, secs in (
        ("ours (crm_routing)", ours, ours_s),
        ("anchor (geopy RateLimiter)", anchor, anchor_s),
    ):
        print(
            f"{label:>27}: {m['n']} requests in {secs:.1f} s, achieved "
            f"{m['rate']:.2f} req/s ({m['rate'] / args.rate * 100:.1f} % of the rate), "
            f"max in any 1 s window {m['max_1s']}, smallest gap {m['min_gap'] * 1000:.0f} ms"
        )
    print(
        f"ours: partners refused with 429: {refused}; time ratio ours/anchor "
        f"{ours_s / anchor_s:.2f}; 10,000 partners at 1 req/s would take "
        f"{10000 / 3600:.2f} h"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
