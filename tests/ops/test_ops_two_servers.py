"""Two application servers on one database, as production runs the suite (issue #23).

Two real Odoo servers in prefork mode (HTTP workers, a cron worker each, the gevent websocket
process), each with its own `odoo-bin crm_callmonitor`, share one database and one filestore
(the data dir). The devices and services outside are protocol-faithful peers on 127.0.0.1: a
Fritz!Box call monitor and TR-064 service, a Nominatim geocoder that refuses requests faster
than the configured rate. Everything is driven at the same time, through both servers:

- scans: files dropped into the hot folder, uploads and scan e-mails (each e-mail delivered to
  both servers at once), OCR and recognition by the crons of both servers and by users
  pressing "Process now" on the other server;
- geocoding of the queued partners by the cron while users locate partners with the same
  addresses on the other server;
- the ABC analysis by the cron and by users of both servers;
- invoicing runs, dunning runs and SEPA direct debit batches started on both servers at once;
- the Fritz!Box call list synchronisation and phonebook push by the cron and by users of both
  servers; calls announced by the call monitor while both listeners run, the serving
  listener killed (-9) in the middle.

Then it proves: every file, e-mail, call, service, overdue invoice and debit processed exactly
once, nothing lost, no error answered to anybody and no unexpected WARNING/ERROR in any log.
"""

import base64
import datetime
import json
import os
import re
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from ops_harness import (
    ROOT,
    Client,
    Listener,
    OdooServer,
    at_once,
    bad_log_lines,
    kick,
    routing_peers,
    suite,
    wait_until,
    xmlid,
)

sys.path.insert(0, str(ROOT / "crm_telephony" / "tests" / "peers"))
sys.path.insert(0, str(ROOT / "crm_scan" / "tests"))

import pages  # noqa: E402 - crm_scan's test pages (Pillow only)
from callmonitor_peer import CallMonitorPeer  # noqa: E402
from tr64_peer import Tr64Peer  # noqa: E402

GeocoderPeer = routing_peers().GeocoderPeer

RATE = 20.0  # geocoder requests per second the suite is configured to (and the peer allows)
TR64_PASSWORD = "ops-Secret-1"
ADDRESSES = [  # (street, zip, city) of the partners to geocode, 10 distinct places
    (f"Ops-Straße {n}", f"0106{n % 10}", "Dresden") for n in range(1, 11)
]
HOT_FILES = 8
UPLOADS_PER_SERVER = 3
MAILS = 4
CALLS_BEFORE_KILL = 4
CALLS_AFTER_KILL = 4


# ---------------------------------------------------------------------------------------------
# The stack: database, peers, two servers, two listeners
# ---------------------------------------------------------------------------------------------
class Stack:
    pass


def _scan_file(tag, page_count=1):
    images = [
        pages.render_page(
            [f"**Ops {tag}", f"Seite {n} von {page_count}", "Elbtal Handel GmbH", "Dresden"],
            width=827,
            height=1169,
            size=28,
            seed=n,
        )
        for n in range(1, page_count + 1)
    ]
    if page_count == 1:
        return f"ops-{tag}.png", pages.to_png(images[0], dpi=100)
    return f"ops-{tag}.pdf", pages.to_pdf(images, dpi=100)


def _setup(stack, admin):
    """Configuration and data, through the first server (admin)."""
    param = "ir.config_parameter"
    for key, value in {
        "crm_scan.hot_folder": str(stack.hot),
        "crm_scan.languages": "deu",
        "crm_scan.pages_per_step": "1",
        "base_geolocalize.geo_provider": str(
            admin("base.geo_provider", "search", [("tech_name", "=", "crm_nominatim")])[0]
        ),
        "crm_routing.crm_nominatim_url": stack.geo.url,
        "crm_routing.geocoder_rate": str(RATE),
    }.items():
        admin(param, "set_param", key, value)
    company = admin("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    admin("res.company", "write", [company], {"country_id": xmlid(admin, "base.de")})
    stack.company = company

    # the Fritz!Box: the demo box, pointed at the peers
    boxes = admin("crm.telephony.box", "search", [])
    box = boxes[0]
    admin(
        "crm.telephony.box",
        "write",
        [box],
        {
            "host": "127.0.0.1",
            "tr64_port": stack.tr64.port,
            "use_tls": False,
            "user": "crm",
            "password": TR64_PASSWORD,
            "monitor_port": stack.cm_peer.port,
            "monitor_enabled": True,
            "tz": "Europe/Berlin",
        },
    )
    if boxes[1:]:
        admin("crm.telephony.box", "write", boxes[1:], {"monitor_enabled": False})
    # an entry record with an id the box never gave (written by hand or imported; the access
    # matrix of the RPC tests leaves one in the database the ops tests copy): no such entry
    # on the box, the push drops it
    stray = admin("res.partner", "create", {"name": "Ops Stray Entry", "phone": "0351 1112233"})
    admin(
        "crm.telephony.phonebook.entry",
        "create",
        {"box_id": box, "partner_id": stray, "phonebook_id": 0, "uniqueid": "m-ops"},
    )
    admin("crm.telephony.box", "action_test_connection", [box])
    stack.box = box
    # the box's call list: calls that came in while no listener ran
    stack.tr64.calls = [
        {
            "Id": 900 + n,
            "Type": 1,
            "Caller": f"0351 66600{n:02d}",
            "Called": "4440000",
            "CalledNumber": "4440000",
            "Date": f"06.12.26 1{n}:00",
            "Duration": "0:02",
        }
        for n in range(3)
    ]
    # two users with a line each: the popup must reach the line's user only
    group_user = xmlid(admin, "crm_core.group_user")
    stack.berta = admin(
        "res.users",
        "create",
        {
            "name": "Berta Ops",
            "login": "berta.ops",
            "password": "berta-Ops-1",
            "group_ids": [(4, group_user)],
        },
    )
    admin("crm.telephony.line", "unlink", admin("crm.telephony.line", "search", []))
    stack.line_admin, stack.line_berta = (
        admin(
            "crm.telephony.line",
            "create",
            {"box_id": box, "name": name, "number": number, "user_ids": [(6, 0, [uid])]},
        )
        for name, number, uid in (
            ("Zentrale", "4440000", admin.uid),
            ("Vertrieb", "4440001", stack.berta),
        )
    )
    # callers: known customers, one per call
    stack.callers = admin(
        "res.partner",
        "create",
        [
            {"name": f"Ops Anrufer {n} GmbH", "is_company": True, "phone": f"0351 55500{n:02d}"}
            for n in range(CALLS_BEFORE_KILL + CALLS_AFTER_KILL)
        ],
    )
    # partners to geocode: 3 per address; the demo's queued partners come on top
    stack.geo_partners = admin(
        "res.partner",
        "create",
        [
            {
                "name": f"Ops Geo {i}",
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": xmlid(admin, "base.de"),
            }
            for i, (street, zip_code, city) in enumerate(ADDRESSES * 3)
        ],
    )
    # services to invoice: 5 customers, 4 services each
    product = admin(
        "product.product",
        "create",
        {"name": "Ops Wartung", "type": "service", "list_price": 80.0, "sale_ok": True},
    )
    stack.service_partners = admin(
        "res.partner",
        "create",
        [{"name": f"Ops Service Kunde {n}", "is_company": True} for n in range(5)],
    )
    stack.services = admin(
        "crm.service",
        "create",
        [
            {"name": f"Ops Einsatz {p}-{n}", "partner_id": p, "product_id": product, "quantity": 1}
            for p in stack.service_partners
            for n in range(4)
        ],
    )
    # customers with an overdue invoice and no mandate: the dunning runs' own work (the
    # demo's overdue invoices are collected by direct debit, which the SEPA runs started
    # at the same time may take first; earlier tests may have dunned the demo's today)
    stack.dunned = admin(
        "res.partner",
        "create",
        [{"name": f"Ops Mahnung Kunde {n}", "is_company": True} for n in range(3)],
    )
    long_ago = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()
    invoices = admin(
        "account.move",
        "create",
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner,
                "invoice_date": long_ago,
                "invoice_date_due": long_ago,
                "invoice_line_ids": [(0, 0, {"name": "Ops Lieferung", "price_unit": 150.0})],
            }
            for partner in stack.dunned
        ],
    )
    admin("account.move", "action_post", invoices)
    # the ABC analysis: a lower first threshold changes classes
    classes = admin(
        "crm.partner.class",
        "search_read",
        [("company_id", "=", company)],
        fields=["threshold"],
        order="sequence, id",
    )
    admin("crm.partner.class", "write", [classes[0]["id"]], {"threshold": 30.0})
    stack.class_field = admin(
        "ir.model.fields", "search", [("model", "=", "res.partner"), ("name", "=", "crm_class_id")]
    )[0]
    # the scan inbox: the alias "scan" on the company's mail domain
    domain = admin("mail.alias.domain", "create", {"name": "ops.example.com"})
    admin("res.company", "write", [company], {"alias_domain_id": domain})
    alias = xmlid(admin, "crm_scan.mail_alias_scan")
    admin("mail.alias", "write", [alias], {"alias_domain_id": domain})
    stack.scan_alias = "scan@ops.example.com"
    # the administrator tries the new address once: Odoo marks an alias valid on its first
    # e-mail (a write of the alias that the first e-mails arriving at once would all make)
    trial = EmailMessage()
    trial["From"] = "it@ops.example.com"
    trial["To"] = stack.scan_alias
    trial["Subject"] = "Alias trial"
    trial["Message-Id"] = f"<ops-trial-{os.getpid()}@ops.example.com>"
    trial.set_content("trial")
    admin("mail.thread", "message_process", False, trial.as_string())


@pytest.fixture(scope="module")
def stack(cluster, template_db, tmp_path_factory):
    s = Stack()
    s.cluster = cluster
    s.db = cluster.clone(template_db, f"ops_two_{os.getpid()}")
    s.hot = tmp_path_factory.mktemp("hot")
    s.cm_peer = CallMonitorPeer().start()
    s.tr64 = Tr64Peer(user="crm", password=TR64_PASSWORD).start()
    s.geo = GeocoderPeer(
        {
            f"{street} {zip_code} {city} Germany": (51.0 + i / 100, 13.7)
            for i, (street, zip_code, city) in enumerate(ADDRESSES)
        },
        max_rate=RATE,
    )
    s.geo.start()
    s.servers, s.listeners = [], []
    try:
        a = OdooServer(cluster, s.db, "server-a").start()
        s.servers.append(a)
        a.wait_ready()
        _setup(s, a.client())
        b = OdooServer(cluster, s.db, "server-b").start()
        s.servers.append(b)
        b.wait_ready()
        s.a, s.b = a, b
        s.listeners = [
            Listener(cluster, s.db, "listener-a").start(),
            Listener(cluster, s.db, "listener-b").start(),
        ]
        yield s
    finally:
        for listener in s.listeners:
            listener.stop()
        for server in s.servers:
            server.stop()
        s.cm_peer.stop()
        s.tr64.stop()
        s.geo.stop()
        if not os.environ.get("OPS_KEEP"):  # OPS_KEEP=1: leave the database for a look
            cluster.drop(s.db)


# ---------------------------------------------------------------------------------------------
# Everything at once
# ---------------------------------------------------------------------------------------------
def _mail(stack, n):
    message = EmailMessage()
    message["From"] = "scanner@ops.example.com"
    message["To"] = stack.scan_alias
    message["Subject"] = f"Scan {n}"
    message["Message-Id"] = f"<ops-scan-{n}-{os.getpid()}@ops.example.com>"
    message.set_content(f"Scan {n}")
    name, data = _scan_file(f"mail-{n}")
    message.add_attachment(data, maintype="image", subtype="png", filename=name)
    return message.as_string()


def _drop_hot_files(stack):
    sent = {}
    for n in range(HOT_FILES):
        name, data = _scan_file(f"hot-{n}", page_count=1 + n % 3)
        path = Path(stack.hot) / name
        path.write_bytes(data)
        old = time.time() - 60  # the hot folder takes files older than 10 s (done writing)
        os.utime(path, (old, old))
        sent[name] = data
    return sent


def _upload(client, tag):
    files = [_scan_file(f"{tag}-{n}") for n in range(UPLOADS_PER_SERVER)]
    client(
        "crm.scan.document",
        "action_upload_files",
        [[name, base64.b64encode(data).decode()] for name, data in files],
    )
    return dict(files)


def _process_now_loop(client, seconds):
    """A user on this server pressing "Process now" on whatever is still queued."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        queued = client(
            "crm.scan.document", "search", [("state", "in", ("queued", "processing"))], limit=3
        )
        if queued:
            client("crm.scan.document", "action_process_now", queued)
        time.sleep(1)
    return True


def test_everything_at_once_on_two_servers(stack):
    a, b = stack.a.client(), stack.b.client()
    before_letters = {
        row["id"] for row in a("crm.dunning.letter", "search_read", [], fields=["id"])
    }
    sent_files = _drop_hot_files(stack)
    kick(
        stack.cluster,
        a,
        "crm_scan.ir_cron_crm_scan_hot_folder",
        "crm_routing.ir_cron_geocode_partners",
        "crm_core.ir_cron_abc_analysis",
        "crm_telephony.ir_cron_crm_telephony_sync",
    )
    today = datetime.date.today().isoformat()
    results = at_once(
        lambda: _upload(a, "up-a"),
        lambda: _upload(b, "up-b"),
        *(
            (lambda n=n, c=c: c("mail.thread", "message_process", False, _mail(stack, n)))
            for n in range(MAILS)
            for c in (a, b)
        ),
        lambda: a("crm.service", "invoice_services", []),
        lambda: b("crm.service", "invoice_services", []),
        lambda: a("crm.dunning.run", "run_dunning", today),
        lambda: b("crm.dunning.run", "run_dunning", today),
        lambda: a("crm.sepa.batch", "create_debit_batches"),
        lambda: b("crm.sepa.batch", "create_debit_batches"),
        lambda: a("res.company", "action_crm_run_abc", [stack.company]),
        lambda: b("res.company", "action_crm_run_abc", [stack.company]),
        lambda: a("res.partner", "action_crm_geocode", stack.geo_partners[:5]),
        lambda: b("res.partner", "action_crm_geocode", stack.geo_partners[5:10]),
        lambda: a("crm.telephony.box", "action_sync_call_list", [stack.box]),
        lambda: b("crm.telephony.box", "action_push_phonebook", [stack.box]),
        lambda: _process_now_loop(b, 20),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, f"answered with errors: {errors}"
    kick(
        stack.cluster,
        a,
        "crm_scan.ir_cron_crm_scan_process",
        "crm_routing.ir_cron_geocode_partners",
    )

    # -- scans: every file, upload and e-mail became exactly one document, processed once
    def scans_done():
        docs = a(
            "crm.scan.document",
            "search_read",
            [],
            fields=["name", "source", "state", "page_count", "pages_done", "ocr_text"],
        )
        ops = [d for d in docs if "ops-" in (d["name"] or "")]
        expected = HOT_FILES + 2 * UPLOADS_PER_SERVER + MAILS
        if len(ops) >= expected and all(d["state"] not in ("queued", "processing") for d in ops):
            return ops
        return None

    docs = wait_until(scans_done, 600, interval=3, what="every scan processed")
    names = [d["name"] for d in docs]
    assert len(names) == len(set(names)), f"a file became two documents: {sorted(names)}"
    assert sorted(n for n in names if "-hot-" in n) == sorted(Path(f).stem for f in sent_files)
    assert len([n for n in names if "-mail-" in n]) == MAILS
    assert len([n for n in names if "-up-" in n]) == 2 * UPLOADS_PER_SERVER
    for doc in docs:
        assert doc["state"] != "failed", doc
        assert doc["pages_done"] == doc["page_count"], doc
        # a page OCR'd twice would be in the text twice
        assert (doc["ocr_text"] or "").count("\f") + 1 == doc["page_count"], doc["name"]
    # the hot folder is empty, every file is in the archive exactly once
    left = [p.name for p in Path(stack.hot).iterdir() if p.is_file()]
    assert not left, f"files left in the hot folder: {left}"
    archived = sorted(p.name for p in (Path(stack.hot) / "archive").iterdir())
    assert archived == sorted(sent_files), archived

    # -- services: each on exactly one invoice line
    services = a("crm.service", "read", stack.services, ["state", "invoice_line_id"])
    assert {s["state"] for s in services} == {"invoiced"}
    lines = [s["invoice_line_id"][0] for s in services]
    assert len(set(lines)) == len(lines), "two services on one line"
    # -- dunning: one letter per customer and day
    letters = a(
        "crm.dunning.letter",
        "search_read",
        [("date", "=", today), ("state", "!=", "cancel")],
        fields=["partner_id"],
    )
    new = [le["partner_id"][0] for le in letters if le["id"] not in before_letters]
    assert sorted(p for p in new if p in stack.dunned) == sorted(stack.dunned), (
        f"the dunning runs did not write one letter to each overdue customer: {new}"
    )
    partners = [le["partner_id"][0] for le in letters]
    assert len(partners) == len(set(partners)), "a customer got two letters today"
    # -- SEPA: no invoice in two open batch lines
    twice = stack.cluster.query(
        stack.db,
        "SELECT move_id FROM crm_sepa_batch_line WHERE state IN ('open', 'collected') "
        "GROUP BY move_id HAVING count(*) > 1",
    )
    assert not twice, f"invoices in two batches: {twice}"
    # -- Fritz!Box: one phonebook of ours, each entry written once; each call list call once
    books = [b for b in stack.tr64.phonebooks.values() if b["name"] == "CRM Suite"]
    assert len(books) == 1, f"phonebooks created: {len(books)}"
    writes = [r for r in stack.tr64.requests if r[1] == "SetPhonebookEntryUID"]
    assert books[0]["entries"], "the phonebook push wrote nothing"
    assert len(writes) == len(books[0]["entries"]), "a phonebook entry was written twice"
    twice = stack.cluster.query(
        stack.db,
        "SELECT box_call_id FROM crm_phone_call WHERE box_call_id IS NOT NULL "
        "GROUP BY box_id, box_call_id HAVING count(*) > 1",
    )
    assert not twice, f"calls of the call list recorded twice: {twice}"
    listed = stack.cluster.query(
        stack.db,
        "SELECT box_call_id FROM crm_phone_call WHERE box_id = %s AND box_call_id IN %s",
        [stack.box, ("900", "901", "902")],
    )
    assert sorted(r[0] for r in listed) == ["900", "901", "902"], listed
    # -- ABC analysis: each class change tracked once
    double = stack.cluster.query(
        stack.db,
        """SELECT m.res_id, count(*) FROM mail_tracking_value t
             JOIN mail_message m ON m.id = t.mail_message_id
            WHERE t.field_id = %s AND m.model = 'res.partner'
              AND m.create_date > now() - interval '1 hour'
         GROUP BY m.res_id, t.old_value_integer, t.new_value_integer HAVING count(*) > 1""",
        [stack.class_field],
    )
    assert not double, f"class changes tracked twice: {double}"

    # -- geocoding: each address asked once, never faster than the configured rate
    def geocoded():
        todo = a(
            "res.partner",
            "search_count",
            [("crm_geo_state", "=", "todo")],
            context={"active_test": False},
        )
        return todo == 0

    wait_until(geocoded, 300, interval=3, what="every queued partner geocoded")
    states = a("res.partner", "read", stack.geo_partners, ["crm_geo_state"])
    assert {s["crm_geo_state"] for s in states} == {"found"}
    asked = [r["q"] for r in stack.geo.requests]
    repeated = {q for q in asked if asked.count(q) > 1}
    assert not repeated, f"addresses asked more than once: {repeated}"
    assert stack.geo.refused == 0, "the geocoder was asked faster than the configured rate"

    # -- nothing unexpected in any log
    bad = bad_log_lines(
        [server.log for server in stack.servers],
        # Odoo's mail gateway marks the alias valid when an e-mail after a change of the alias
        # arrives; e-mails arriving at once on two servers all write it, Odoo retries the
        # refused write (the e-mail is taken once, asserted above) but logs it first
        extra_rules=[
            r'odoo\.sql_db: bad query: b. UPDATE "mail_alias"',
            # (no allowance for res_partner: crm_core locks the partner rows before Odoo's
            # customer_rank write, the ABC analysis writes silently; a refusal is retried)
        ],
    )
    assert not bad, "\n".join(bad[:30])


# ---------------------------------------------------------------------------------------------
# The call monitor: one listener per box, take-over, calls once
# ---------------------------------------------------------------------------------------------
def _call(stack, n, when):
    stamp = when.strftime("%d.%m.%y %H:%M:%S")
    number = f"0351 55500{n:02d}".replace(" ", "")
    conn = 10 + n
    stack.cm_peer.send(f"{stamp};RING;{conn};{number};4440000;SIP0;")
    time.sleep(0.2)
    stack.cm_peer.send(f"{stamp};CONNECT;{conn};1;{number};")
    time.sleep(0.2)
    stack.cm_peer.send(f"{stamp};DISCONNECT;{conn};42;")
    return number


def _serving(stack):
    return [listener for listener in stack.listeners if stack.box in listener.serving()]


def test_one_listener_per_box_and_take_over(stack):
    a = stack.a.client()
    serving = wait_until(lambda: _serving(stack), 60, what="a listener serving the box")
    assert len(serving) == 1, "both listeners serve the box"
    time.sleep(3)  # the other one tried meanwhile and stands by
    assert len(stack.cm_peer.clients) == 1, "more than one listener connected to the box"
    start = datetime.datetime.now()
    for n in range(CALLS_BEFORE_KILL):
        _call(stack, n, start + datetime.timedelta(seconds=n))
    # the first calls are over (a line the listener read but had not yet written when it died
    # is the call list synchronisation's to catch, not the other listener's: it never saw it)
    wait_until(
        lambda: a(
            "crm.phone.call",
            "search_count",
            [
                ("source", "=", "monitor"),
                ("state", "=", "done"),
                ("partner_id", "in", stack.callers),
            ],
        )
        >= CALLS_BEFORE_KILL,
        60,
        what="the first calls recorded",
    )
    # the serving listener's machine dies
    dead = serving[0]
    connections = stack.cm_peer.connections
    dead.kill()
    standby = next(listener for listener in stack.listeners if listener is not dead)
    wait_until(
        lambda: stack.box in standby.serving() and stack.cm_peer.connections > connections,
        60,
        what="the standby listener taking the box over",
    )
    for n in range(CALLS_BEFORE_KILL, CALLS_BEFORE_KILL + CALLS_AFTER_KILL):
        _call(stack, n, start + datetime.timedelta(seconds=n))

    def all_calls():
        calls = a(
            "crm.phone.call",
            "search_read",
            [("source", "=", "monitor"), ("partner_id", "in", stack.callers)],
            fields=["partner_id", "state", "chronicle_entry_id", "duration"],
        )
        done = [c for c in calls if c["state"] == "done" and c["chronicle_entry_id"]]
        return calls if len(done) >= CALLS_BEFORE_KILL + CALLS_AFTER_KILL else None

    calls = wait_until(all_calls, 60, what="every call recorded")
    partners = [c["partner_id"][0] for c in calls]
    assert sorted(partners) == sorted(stack.callers), "a call was lost or recorded twice"
    entries = a(
        "crm.chronicle.entry",
        "search_count",
        [("partner_id", "in", stack.callers), ("type_id.code", "=", "call")],
    )
    assert entries == len(stack.callers), "a call is in the chronicle twice"
    # the killed machine comes back: it stands by
    revived = Listener(stack.cluster, stack.db, dead.name + "-again").start()
    stack.listeners.append(revived)
    wait_until(
        lambda: any("standing by" in line for line in revived.log_lines()),
        120,
        what="the revived listener standing by",
    )
    assert stack.box not in revived.serving()
    bad = bad_log_lines([listener.log for listener in stack.listeners])
    assert not bad, "\n".join(bad[:30])


def test_incoming_call_popup_reaches_the_right_user(stack):
    """Prefork: the HTTP workers do not serve /websocket, the gevent process does, behind
    nginx (the same configuration as `make run WORKERS=N`). The RING of a line reaches the
    browser session of the line's user within 1 s, and no other user's."""
    import websocket  # noqa: PLC0415

    nginx_dir = stack.cluster.log_dir / f"ops-nginx-{os.getpid()}"
    port = suite.free_port()
    nginx = suite.start_nginx(
        nginx_dir, f"127.0.0.1:{port}", stack.b.http_port, stack.b.gevent_port
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: suite.port_free(port) is False, 30, interval=0.1, what="nginx")
        version = re.search(
            r'_VERSION = "([^"]+)"',
            (stack.cluster.odoo_src / "addons" / "bus" / "websocket.py").read_text(),
        ).group(1)

        def socket_of(login, password):
            client = Client(url, stack.db, login, password)
            ws = websocket.create_connection(
                f"ws://127.0.0.1:{port}/websocket?version={version}",
                origin=url,
                cookie=f"session_id={client.session_id}",
                timeout=10,
            )
            ws.send('{"event_name": "subscribe", "data": {"channels": [], "last": 0}}')
            return ws

        admin_ws = socket_of("admin", "admin")
        berta_ws = socket_of("berta.ops", "berta-Ops-1")
        time.sleep(1.5)  # the subscriptions are in place
        latencies, numbers = [], set()
        for n in range(5):
            number = f"03517770{n:02d}"
            numbers.add(number)
            stamp = datetime.datetime.now().strftime("%d.%m.%y %H:%M:%S")
            start = time.perf_counter()
            stack.cm_peer.send(f"{stamp};RING;{60 + n};{number};4440001;SIP0;")
            payload = _wait_popup(berta_ws, number, 10)
            latencies.append(time.perf_counter() - start)
            assert payload["line"] == "Vertrieb"
            stack.cm_peer.send(f"{stamp};DISCONNECT;{60 + n};0;")
        # admin (line Zentrale) got none of them (the bus may replay the earlier test's calls
        # on admin's line: those are not these)
        with pytest.raises(TimeoutError):
            _wait_popup(admin_ws, numbers, 2)
        admin_ws.close()
        berta_ws.close()
        # the target is < 1 s; on a loaded 2-core machine (other test runs) a single popup
        # may take a little longer: the median must be inside, none far out
        latencies.sort()
        assert latencies[len(latencies) // 2] < 1.0, f"popup latencies (s): {latencies}"
        assert latencies[-1] < 2.0, f"popup latencies (s): {latencies}"
        print(f"incoming-call popup through nginx + gevent (prefork), s: {latencies}")
    finally:
        nginx.terminate()
        nginx.wait(10)


def _wait_popup(ws, number, timeout):
    import websocket  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            notifications = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            break
        for notification in notifications:
            message = notification.get("message", {})
            wanted = {number} if isinstance(number, str) else number
            if (
                message.get("type") == "crm_telephony/incoming_call"
                and message["payload"].get("number") in wanted
            ):
                return message["payload"]
    raise TimeoutError(f"no incoming-call notification for {number}")
