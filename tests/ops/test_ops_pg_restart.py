"""A bad night, part two: PostgreSQL restarts while the suite works (issue #23).

One application server in prefork mode: its cron worker geocodes queued partners against a
slow, protocol-faithful Nominatim on 127.0.0.1 (a batch that commits answer by answer), an
office user invoices services (one transaction for the whole run) and other users read
customers, all while PostgreSQL is restarted (`pg_ctl restart -m fast`: every session ends).
Then it proves:

- the workers reconnect: a few seconds after the restart (a worker's request may fail once
  on a pooled connection opened before it, which Odoo then drops) every request succeeds,
  on every HTTP worker, and the cron worker that lost its connection is replaced;
- no half-written batch: each service is on exactly one invoice line, one invoice per
  customer with all of the customer's services (the run in flight was rolled back whole or
  committed whole); each geocoder answer received before the restart was kept, none asked
  again except the one in flight, every partner located once;
- the only errors in the log are those of the moments PostgreSQL was away.
"""

import datetime
import os
import re
import threading
import time

import pytest
from ops_harness import OdooServer, RpcError, kick, routing_peers, suite, wait_until, xmlid

GeocoderPeer = routing_peers().GeocoderPeer

PLACES = [(f"Neustart-Weg {n}", "01067", "Dresden") for n in range(1, 11)]
ASKED_BEFORE_RESTART = 3
CUSTOMERS = 6
SERVICES_PER_CUSTOMER = 30


@pytest.fixture
def server(cluster, template_db):
    db = cluster.clone(template_db, f"ops_pgrestart_{os.getpid()}")
    # no job is due when the server starts (pending triggers would make one due whatever its
    # nextcall says): the test makes due what it drives
    cluster.query(db, "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 day'")
    cluster.query(db, "DELETE FROM ir_cron_trigger")
    geo = GeocoderPeer(
        {f"{s} {z} {c} Germany": (52.0 + n / 100, 13.4) for n, (s, z, c) in enumerate(PLACES)},
        delay=0.5,  # each answer takes half a second: the restart lands mid-batch
    )
    geo.start()
    odoo = OdooServer(cluster, db, "pgrestart", workers=2, cron_workers=1).start()
    try:
        odoo.wait_ready()
        odoo.geo = geo
        yield odoo
    finally:
        odoo.stop()
        geo.stop()
        if not os.environ.get("OPS_KEEP"):
            cluster.drop(db)


def _setup(server, admin):
    de = xmlid(admin, "base.de")
    for key, value in {
        "base_geolocalize.geo_provider": str(
            admin("base.geo_provider", "search", [("tech_name", "=", "crm_nominatim")])[0]
        ),
        "crm_routing.crm_nominatim_url": server.geo.url,
        "crm_routing.geocoder_rate": "50",
    }.items():
        admin("ir.config_parameter", "set_param", key, value)
    # only our partners are queued (the demo's are set aside)
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
            {"name": f"Neustart {s}", "street": s, "zip": z, "city": c, "country_id": de}
            for s, z, c in PLACES
        ],
    )
    product = admin(
        "product.product",
        "create",
        {"name": "Neustart Wartung", "type": "service", "list_price": 60.0, "sale_ok": True},
    )
    customers = admin(
        "res.partner",
        "create",
        [{"name": f"Neustart Kunde {n}", "is_company": True} for n in range(CUSTOMERS)],
    )
    services = admin(
        "crm.service",
        "create",
        [
            {"name": f"Neustart Einsatz {c}-{n}", "partner_id": c, "product_id": product}
            for c in customers
            for n in range(SERVICES_PER_CUSTOMER)
        ],
    )
    return partners, customers, services


class Office(threading.Thread):
    """Users reading customers on the server, one request after the other, each answer
    (time, ok or the error) kept."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.results = []
        self.stop = threading.Event()

    def run(self):
        client = None
        while not self.stop.is_set():
            try:
                client = client or self.server.client()
                client(
                    "res.partner", "search_read", [("is_company", "=", True)], ["name"], limit=20
                )
                self.results.append((time.monotonic(), None))
            except Exception as exc:  # noqa: BLE001 - an answer of the server, kept
                self.results.append((time.monotonic(), exc))
            time.sleep(0.1)


def test_postgresql_restarted_under_load(server, previous_release):
    if previous_release is not None:
        # the upgrade test's installation runs on the same PostgreSQL in the background
        previous_release.settle()
    admin = server.client()
    partners, customers, services = _setup(server, admin)
    office = Office(server)
    office.start()

    kick(server.cluster, admin, "crm_routing.ir_cron_geocode_partners")
    wait_until(
        lambda: len(server.geo.requests) >= ASKED_BEFORE_RESTART,
        120,
        interval=0.05,
        what="the cron worker asking the geocoder",
    )
    # an office user starts the invoicing run; PostgreSQL goes away while it runs
    invoicing = {}

    def invoice():
        try:
            invoicing["result"] = server.client()("crm.service", "invoice_services", services)
        except Exception as exc:  # noqa: BLE001 - the answer while PostgreSQL was away
            invoicing["result"] = exc

    runner = threading.Thread(target=invoice, daemon=True)
    runner.start()
    time.sleep(0.3)
    down = time.monotonic()
    down_at = datetime.datetime.now() - datetime.timedelta(seconds=1)
    asked_before = [r["q"] for r in server.geo.requests]
    server.cluster.restart()
    up = time.monotonic()
    runner.join(600)
    assert "result" in invoicing, "the invoicing request never answered"

    # the workers reconnect: after a short while every request succeeds, on every worker
    def answering():
        # each login opens a second cursor: every pooled connection of the workers is met
        # (one opened before the restart fails once, Odoo drops it)
        try:
            for _ in range(4 * server.workers):
                server.client()("res.partner", "search_count", [])
            return True
        except (RpcError, OSError):
            return False

    wait_until(answering, 60, interval=1, what="the server answering after the restart")
    settled = time.monotonic()
    settled_at = datetime.datetime.now()
    time.sleep(3)
    for n in range(4 * server.workers):  # each worker several times
        assert server.client()("res.partner", "search_count", [("id", "in", partners)]) == len(
            partners
        ), n
    office.stop.set()
    office.join(30)
    late = [exc for when, exc in office.results if when > settled and exc is not None]
    assert not late, f"requests failed after the restart: {late[:5]}"
    assert [exc for when, exc in office.results if when < down and exc is not None] == []
    assert any(when > settled and exc is None for when, exc in office.results)

    # no half-written invoicing run: rolled back whole or committed whole, then completed
    if isinstance(invoicing["result"], Exception):
        print(f"the invoicing run in flight answered: {invoicing['result']}")
    admin = server.client()
    admin("crm.service", "invoice_services", services)
    rows = admin("crm.service", "read", services, ["state", "invoice_line_id", "partner_id"])
    assert {r["state"] for r in rows} == {"invoiced"}
    lines = [r["invoice_line_id"][0] for r in rows]
    assert len(set(lines)) == len(lines), "two services on one invoice line"
    invoices = admin(
        "account.move",
        "search_read",
        [("partner_id", "in", customers), ("move_type", "=", "out_invoice")],
        ["partner_id", "invoice_line_ids", "state"],
    )
    assert sorted(i["partner_id"][0] for i in invoices) == sorted(customers), (
        "not one invoice per customer"
    )
    for invoice_row in invoices:
        assert len(invoice_row["invoice_line_ids"]) == SERVICES_PER_CUSTOMER, invoice_row
        assert set(invoice_row["invoice_line_ids"]) <= set(lines), invoice_row

    # the geocoding batch: the answers kept, the rest done after the restart
    kick(server.cluster, admin, "crm_routing.ir_cron_geocode_partners")

    def located():
        rows = admin("res.partner", "read", partners, ["crm_geo_state"])
        return all(p["crm_geo_state"] == "found" for p in rows)

    wait_until(located, 240, interval=1, what="every partner located after the restart")
    asked_after = [r["q"] for r in server.geo.requests][len(asked_before) :]
    again = set(asked_before[:-1]) & set(asked_after)
    assert not again, f"asked again after the restart: {sorted(again)}"
    everything = [r["q"] for r in server.geo.requests]
    assert len(set(everything)) == len(PLACES), everything
    assert len(everything) <= len(PLACES) + 1, f"asked too often: {everything}"

    # the log: errors only while PostgreSQL was away (and until the server answered again)
    print(f"PostgreSQL away {up - down:.1f} s, server answering {settled - up:.1f} s later")
    rules = suite.load_allowlist() + [re.compile(r"Worker \(\d+\) .*(killed|dead|exited)")]
    outside = []
    for line in suite.checklog(server.log, rules):
        when = datetime.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
        if not down_at <= when <= settled_at + datetime.timedelta(seconds=2):
            outside.append(line)
    assert not outside, "\n".join(outside[:30])
