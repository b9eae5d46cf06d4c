#!/usr/bin/env python3
"""An unreachable geocoder: how long does the background job hold its cron thread?

crm_routing's geocoding job (res.partner._cron_crm_geocode, batches of 20, each committed)
runs on partners queued for geocoding while the geocoder does not answer. Three kinds of
"unreachable", each a real peer on 127.0.0.1 reached through geopy:

- ``silent``: accepts the connection and never answers (a hung server, a firewall that
  swallows the reply) - the slow case: every request waits for the timeout;
- ``refused``: nothing listens on the port (server down): every request fails at once;
- ``slow``: answers every request, but only after ``--delay`` seconds (an overloaded
  server, answering below the timeout).

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/geocoding_unreachable.py                          # 1,000 partners, silent
    python3 bench/geocoding_unreachable.py --peer refused
    python3 bench/geocoding_unreachable.py --peer slow --delay 2 --partners 20

Printed: how long the job held its cron thread, requests the peer received, partners by
state afterwards, and the time per partner (with the total for all partners at that pace
when the job left some queued). No anchor: the figure is absolute (the issue's "6 s per
partner, 100 minutes for 1,000 contacts"). The geocoding rate is 1 request per second, the
default for a self-hosted server.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()


def free_url():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def start_peer(kind, delay):
    from odoo.addons.crm_routing.tests.peers.http_peer import SilentPeer  # noqa: PLC0415
    from odoo.addons.crm_routing.tests.peers.nominatim_peer import (  # noqa: PLC0415
        GeocoderPeer,
    )

    if kind == "silent":
        peer = SilentPeer().start()
        return peer, peer.url, lambda: peer.connections
    if kind == "slow":
        peer = GeocoderPeer({}, delay=delay).start()
        return peer, peer.url, lambda: len(peer.requests)
    return None, free_url(), lambda: 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--peer", choices=("silent", "refused", "slow"), default="silent")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds (--peer slow)")
    args = parser.parse_args(argv)

    with _odoo.odoo_env(None, addons="crm_routing") as (env, registry):
        peer, url, received = start_peer(args.peer, args.delay)
        param = env["ir.config_parameter"]
        param.set_param(
            "base_geolocalize.geo_provider", env.ref("crm_routing.geo_provider_nominatim").id
        )
        param.set_param("crm_routing.crm_nominatim_url", url)
        param.set_param("crm_routing.geocoder_rate", "1")
        env["res.partner"].with_context(active_test=False).search(
            [("crm_geo_state", "in", ("todo", "error"))]
        ).write({"crm_geo_state": "none"})
        de = env.ref("base.de")
        partners = _odoo.bulk_env(env)["res.partner"].create(
            [
                {
                    "name": f"Bench Unreachable {i}",
                    "street": f"Benchstr. {i}",
                    "zip": "01067",
                    "city": "Dresden",
                    "country_id": de.id,
                }
                for i in range(args.partners)
            ]
        )
        env.cr.commit()
        started = time.perf_counter()
        env["res.partner"]._cron_crm_geocode()
        wall = time.perf_counter() - started
        env.invalidate_all()
        with registry.cursor() as cr:
            cr.execute(
                "SELECT crm_geo_state, count(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1",
                [partners.ids],
            )
            states = dict(cr.fetchall())
        if peer:
            peer.stop()

    handled = args.partners - states.get("todo", 0)
    print(
        f"\n{args.partners:,} partners queued, geocoder {args.peer}"
        f"{f' ({args.delay:g} s per answer)' if args.peer == 'slow' else ''}, "
        f"1 request/s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"the job held its cron thread {wall:.1f} s ({wall / args.partners:.3f} s per queued "
        f"partner); the geocoder saw {received()} connections/requests; partners by state: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(states.items()))
    )
    if handled == args.partners:
        print(f"{wall / handled:.2f} s per partner; all partners handled in this run")
    else:
        print(
            f"{states.get('todo', 0):,} partners left queued for the run after the pause "
            "(each later run during an outage costs one more timeout)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
