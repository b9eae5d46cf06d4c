"""A worker killed (-9) in the middle of a batch: the job resumes without double work
(issue #23).

One application server in prefork mode geocodes queued partners with its cron worker against
a slow, protocol-faithful Nominatim on 127.0.0.1. When a few addresses have been asked, the
cron worker is killed with SIGKILL (the master starts a new one, which runs the job again).
The geocoder's answers are the expensive, rate-limited work: every answer already received
was kept (committed with the turn to ask), so after the kill no address is asked again except
the one whose request was in flight; every partner ends up located once.
"""

import os
import time

import psutil
import pytest
from ops_harness import OdooServer, bad_log_lines, kick, routing_peers, wait_until, xmlid

GeocoderPeer = routing_peers().GeocoderPeer

PLACES = [(f"Kill-Weg {n}", "01069", "Dresden") for n in range(1, 13)]
ASKED_BEFORE_KILL = 4


@pytest.fixture
def server(cluster, template_db):
    db = cluster.clone(template_db, f"ops_kill_{os.getpid()}")
    # no job is due when the server starts (pending triggers would make one due whatever its
    # nextcall says): the test makes due what it drives
    cluster.query(db, "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 day'")
    cluster.query(db, "DELETE FROM ir_cron_trigger")
    geo = GeocoderPeer(
        {f"{s} {z} {c} Germany": (51.0 + n / 100, 13.7) for n, (s, z, c) in enumerate(PLACES)},
        delay=0.5,  # each answer takes half a second: the kill lands mid-batch
    )
    geo.start()
    odoo = OdooServer(cluster, db, "kill", workers=1, cron_workers=1).start()
    try:
        odoo.wait_ready()
        odoo.geo = geo
        yield odoo
    finally:
        odoo.stop()
        geo.stop()
        if not os.environ.get("OPS_KEEP"):
            cluster.drop(db)


def _workers(server):
    """The server's worker processes (HTTP and cron; not the websocket process)."""
    workers = []
    for child in server.children():
        try:
            if "gevent" not in child.cmdline():  # the websocket process: `odoo-bin gevent`
                workers.append(child)
        except psutil.NoSuchProcess:
            pass
    return workers


def _talking_to(server, port):
    """The worker process connected to 127.0.0.1:port (the geocoder) now, or None."""
    for worker in _workers(server):
        try:
            if any(c.raddr and c.raddr[1] == port for c in worker.connections("tcp")):
                return worker
        except psutil.NoSuchProcess:
            pass
    return None


def test_cron_worker_killed_mid_batch_resumes_without_double_work(server):
    admin = server.client()
    de = xmlid(admin, "base.de")
    for key, value in {
        "base_geolocalize.geo_provider": str(
            admin("base.geo_provider", "search", [("tech_name", "=", "crm_nominatim")])[0]
        ),
        "crm_routing.crm_nominatim_url": server.geo.url,
        "crm_routing.geocoder_rate": "50",
    }.items():
        admin("ir.config_parameter", "set_param", key, value)
    # only our partners are queued (the demo's are set aside), all in one batch of the cron
    admin(
        "res.partner",
        "write",
        admin(
            "res.partner",
            "search",
            [("crm_geo_state", "=", "todo")],
            context={"active_test": False},
        ),
        {"crm_geo_state": "manual"},
    )
    partners = admin(
        "res.partner",
        "create",
        [
            {"name": f"Kill {s}", "street": s, "zip": z, "city": c, "country_id": de}
            for s, z, c in PLACES
        ],
    )
    assert {
        p["crm_geo_state"] for p in admin("res.partner", "read", partners, ["crm_geo_state"])
    } == {"todo"}

    workers_before = {w.pid for w in _workers(server)}
    kick(server.cluster, admin, "crm_routing.ir_cron_geocode_partners")
    port = int(server.geo.url.rsplit(":", 1)[1])
    worker = wait_until(
        lambda: len(server.geo.requests) >= ASKED_BEFORE_KILL and _talking_to(server, port),
        120,
        interval=0.05,
        what="the cron worker asking the geocoder",
    )
    worker.kill()  # SIGKILL: no clean-up, its transaction is lost
    worker.wait(10)
    asked_before = [r["q"] for r in server.geo.requests]
    # nothing of the killed batch was written: the partners are all still queued
    states = admin("res.partner", "read", partners, ["crm_geo_state"])
    assert {p["crm_geo_state"] for p in states} == {"todo"}, "the batch was half written"

    # the master has started a new cron worker; the job is due again at once
    wait_until(
        lambda: {w.pid for w in _workers(server)} - workers_before, 60, what="a new cron worker"
    )
    kick(server.cluster, admin, "crm_routing.ir_cron_geocode_partners")

    def located():
        rows = admin("res.partner", "read", partners, ["crm_geo_state"])
        return all(p["crm_geo_state"] == "found" for p in rows)

    wait_until(located, 180, interval=1, what="every partner located after the restart")
    asked_after = [r["q"] for r in server.geo.requests][len(asked_before) :]
    # an answer received before the kill is not asked for again; only the request that was
    # in flight (asked, not yet kept) may be
    again = set(asked_before[:-1]) & set(asked_after)
    assert not again, f"asked again after the kill: {sorted(again)}"
    everything = [r["q"] for r in server.geo.requests]
    assert len(set(everything)) == len(PLACES), everything
    assert len(everything) <= len(PLACES) + 1, f"asked too often: {everything}"
    rows = admin("res.partner", "read", partners, ["partner_latitude"])
    assert sorted(round(p["partner_latitude"], 2) for p in rows) == [
        round(51.0 + n / 100, 2) for n in range(len(PLACES))
    ]
    # the kill is the only thing to see in the log (Odoo's master notes the dead worker)
    time.sleep(1)
    bad = bad_log_lines([server.log], extra_rules=[r"Worker \(\d+\) .*(killed|dead|exited)"])
    assert not bad, "\n".join(bad[:30])
