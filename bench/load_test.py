#!/usr/bin/env python3
"""Load test: simulated office users and field reps against the suite served in prefork
mode, with Odoo's own screens as the anchor in the same run.

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/load_test.py                          # 100,000 customers, 10 and 25 users
    python3 bench/load_test.py --partners 1000000 --users 10,25,50 --duration 120
    python3 bench/load_test.py --db NAME --keep         # build once into NAME, keep it

The database is built by the script (bench/_odoo.py: the project-local cluster
.local/bench-pgdata, all six addons, no demo data; thrown away afterwards unless --keep):
N customers, 2 N chronicle entries and as many chatter messages (the anchor's), open
resubmissions and as many activities (the anchor's) for the users, N / 5 posted invoices,
2,000 customers with phone numbers for the caller lookups, a route of the day with 20 stops
for each field rep. Then Odoo serves it in prefork mode (`--workers=2` and the gevent
process, as `make run WORKERS=2`; crons run), and every simulated user logs in with its own
session cookie and sends the JSON-RPC requests the web client sends
(/web/dataset/call_kw), with a think time of 1-3 s between actions.

Office users search and open customers, log chronicle entries with a resubmission, open
"My resubmissions - today", look up a caller, upload a scan and create an invoice; field
reps open their route of the day and log visits. Each user also opens Odoo's own screens
(the plain partner list and form, the chatter with a note and an activity, My Activities,
Odoo's phone search, an attachment in the chatter) with the same weights, so ours and the
anchor run under the same load. Locust is not used: it needs gevent >= 24.11 and requests
>= 2.33, which would replace Odoo 19's own pins in the same virtualenv; the driver here is
threads and the standard library.

Printed per number of users: requests/s, errors, p50/p95/p99 per action, and the ratio of
each action's p95 and p50 to its Odoo equivalent's. Goals (issue 23): p95 < 500 ms for the office
actions at 25 users, 0 errors, no action more than 1.5x Odoo's equivalent.
"""

import argparse
import base64
import contextlib
import datetime
import http.cookiejar
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
import suite  # noqa: E402  (on the path through _odoo)

_odoo.reexec_in_venv()

SUITE = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_scan",
    "crm_telephony",
]
PASSWORD = "load-test-1"  # noqa: S105  (throwaway users of a throwaway database)
PHONES = 2000
STOPS = 20
# action: (weight in an office user's loop, the Odoo screen it is compared with)
OFFICE = {
    "search customers": (4, "Odoo: partner list search"),
    "open customer": (4, "Odoo: partner form"),
    "log entry + resubmission": (2, "Odoo: chatter note + activity"),
    "my resubmissions today": (2, "Odoo: My Activities today"),
    "look up caller": (2, "Odoo: partner phone search"),
    "upload scan": (1, "Odoo: chatter attachment"),
    "create invoice": (1, None),
}
ANCHOR = {
    "Odoo: partner list search": 4,
    "Odoo: partner form": 4,
    "Odoo: chatter note + activity": 2,
    "Odoo: My Activities today": 2,
    "Odoo: partner phone search": 2,
    "Odoo: chatter attachment": 1,
}
REP = {"route of the day": (1, None), "visit logged": (1, "Odoo: chatter note + activity")}
# a small valid PDF page (the scan upload)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# ---------------------------------------------------------------------------------------------
# Building the database (in-process, SQL for the volumes)
# ---------------------------------------------------------------------------------------------
def spec_from_list(env, model, arch):
    """The field spec of a list view as the web client reads it (its columns)."""
    Model = env[model]
    spec = {}
    for node in ElementTree.fromstring(arch).iter("field"):
        name = node.get("name")
        field = Model._fields.get(name)
        if not field:
            continue
        if field.type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def screens(env):
    """The field specs of the suite's customer list and form and of Odoo's own partner
    list and form (the same views with the suite's inheritances switched off)."""
    from odoo.tests import Form  # noqa: PLC0415

    Partner = env["res.partner"].with_context(lang="en_US")
    probe = Partner.search([("is_company", "=", True)], limit=1)

    def specs():
        views = Partner.get_views([(False, "list")])["views"]
        return spec_from_list(env, "res.partner", views["list"]["arch"]), dict(
            Form(probe)._view["fields_spec"]
        )

    ours = specs()
    data = env["ir.model.data"].search([("model", "=", "ir.ui.view"), ("module", "in", SUITE)])
    views = (
        env["ir.ui.view"]
        .browse(data.mapped("res_id"))
        .filtered(lambda v: v.model == "res.partner" and v.inherit_id)
    )
    env.cr.execute("SAVEPOINT load_views")
    views.write({"active": False})
    env.registry.clear_cache("templates")
    odoo = specs()
    env.cr.execute("ROLLBACK TO SAVEPOINT load_views")
    env.registry.clear_cache("templates")
    return {"ours_list": ours[0], "ours_form": ours[1], "odoo_list": odoo[0], "odoo_form": odoo[1]}


def make_users(env, count, start=0):
    """Office users load_office_NN and field reps load_rep_NN, `start` to `count` - 1."""
    from odoo.fields import Command  # noqa: PLC0415

    office = env.ref("crm_core.group_role_office_manager") | env.ref("base.group_user")
    rep = env.ref("crm_core.group_role_salesperson") | env.ref("base.group_user")
    vals = []
    for i in range(start, count):
        for kind, name, groups in (("office", "Office", office), ("rep", "Rep", rep)):
            vals.append(
                {
                    "name": f"{name} {i:02d}",
                    "login": f"load_{kind}_{i:02d}",
                    "password": PASSWORD,
                    "tz": "Europe/Berlin",
                    "group_ids": [Command.set(groups.ids)],
                }
            )
    users = env["res.users"].with_context(no_reset_password=True).create(vals)
    suite.say(f"load: {len(users)} users")
    return users


def make_routes(env, users, first, last):
    """A route of the day with 20 stops for each rep among `users`, planned (the stops'
    positions do not matter for what is measured)."""
    from odoo.fields import Command  # noqa: PLC0415

    today = datetime.date.today()
    for rep in users.filtered(lambda u: u.login.startswith("load_rep_")):
        stops = random.sample(range(first, last + 1), STOPS)
        route = (
            env["crm.route"]
            .with_user(rep)
            .create(
                {
                    "name": f"Tour {rep.name}",
                    "date": today,
                    "user_id": rep.id,
                    "fixed_order": True,
                    "stop_ids": [Command.create({"partner_id": p}) for p in stops],
                }
            )
        )
        env.cr.execute("UPDATE crm_route SET state = 'planned' WHERE id = %s", [route.id])


def build(env, args):
    """Generate the data (skipped when the database has it) and return the settings the
    simulated users need."""
    import _data  # noqa: PLC0415

    cr = env.cr
    say = suite.say
    env = _odoo.bulk_env(env)
    users = env["res.users"].search([("login", "=like", "load\\_%")], order="login")
    if not users:
        t0 = time.time()
        users = make_users(env, args.max_users)
        partner, move, line = _data.templates(env)
        env.flush_all()
        # the rows are consistent by construction: skip the per-row triggers (foreign
        # keys, the DAV change log) during the bulk inserts, as bench/crm_chronicle_bench.py
        # does (needs a superuser role, which the project-local cluster has)
        cr.execute("SAVEPOINT load_replica")
        replica = True
        try:
            cr.execute("SET LOCAL session_replication_role = replica")
            cr.execute("RELEASE SAVEPOINT load_replica")
        except Exception:  # noqa: BLE001
            cr.execute("ROLLBACK TO SAVEPOINT load_replica")
            replica = False
        first, last = _data.make_partners(cr, partner, args.partners, "Kunde")
        say(f"load: {args.partners:,} customers")
        _data.make_invoices(cr, move, line, (first, last), args.partners // 5, 2, receivable=True)
        say(f"load: {args.partners // 5:,} invoices")
        if replica:
            cr.execute("SET LOCAL session_replication_role = origin")
        # customers with phone numbers (ORM: the identifier table of the caller lookup)
        env["res.partner"].create(
            [
                {
                    "name": f"Anrufer {i} GmbH",
                    "is_company": True,
                    "phone": f"+49 351 {4000000 + i}",
                    "customer_rank": 1,
                }
                for i in range(PHONES)
            ]
        )
        say(f"load: {PHONES:,} customers with phone numbers")
        generate_history(cr, env, users.ids, first, last)
        make_routes(env, users, first, last)
        env.flush_all()
        cr.execute("ANALYZE")
        cr.commit()
        say(f"load: data generated in {time.time() - t0:.0f} s")
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE name LIKE 'Kunde %'")
    first, last = cr.fetchone()
    missing = args.max_users - len(users) // 2
    if missing > 0:  # a run with more users than the one that built the database
        more = make_users(env, args.max_users, start=len(users) // 2)
        make_routes(env, more, first, last)
        env.flush_all()
        cr.commit()
    sale = env["account.journal"].search([("type", "=", "sale")], limit=1)
    return {
        "screens": screens(env),
        "first": first,
        "last": last,
        "partners": last - first + 1,
        "partner_model": env["ir.model"]._get_id("res.partner"),
        "activity_type": env.ref("mail.mail_activity_data_todo").id,
        "journal": sale.id,
        "today": str(datetime.date.today()),
    }


def generate_history(cr, env, user_ids, first, last):
    """2 chronicle entries and 2 chatter messages per customer; open resubmissions and as
    many activities over the users (due from 10 days ago to 30 days ahead)."""
    count = last - first + 1
    cr.execute("SELECT id FROM crm_chronicle_type WHERE code = 'call'")
    call = cr.fetchone()[0]
    params = {
        "first": first,
        "count": count,
        "users": user_ids,
        "nusers": len(user_ids),
        "company": env.company.id,
        "call": call,
    }
    cr.execute(
        """INSERT INTO crm_chronicle_entry (name, type_id, date, user_id, partner_id,
                   commercial_partner_id, company_id, state, private, create_uid, write_uid,
                   create_date, write_date, description)
           SELECT 'Anruf ' || g, %(call)s, now() - (random() * interval '1000 days'),
                  (%(users)s)[1 + g %% %(nusers)s], %(first)s + g %% %(count)s,
                  %(first)s + g %% %(count)s, %(company)s, 'done', false, 1, 1, now(), now(),
                  '<p>Notiz ' || g || '</p>'
             FROM generate_series(1, 2 * %(count)s) g""",
        params,
    )
    cr.execute(
        """INSERT INTO crm_chronicle_resubmission (entry_id, name, type_id, partner_id,
                   company_id, private, entry_user_id, date, all_day, user_id, recurrence,
                   state, create_uid, write_uid, create_date, write_date)
           SELECT e.id, e.name, e.type_id, e.partner_id, e.company_id, false, e.user_id,
                  now() + (random() * interval '40 days') - interval '10 days', false,
                  e.user_id, 'none', 'open', 1, 1, now(), now()
             FROM crm_chronicle_entry e
            WHERE e.id %% 4 = 0 AND e.name LIKE 'Anruf %%'""",
        params,
    )
    cr.execute(
        "UPDATE crm_chronicle_entry e SET state = 'open' FROM crm_chronicle_resubmission r"
        " WHERE r.entry_id = e.id",
        params,
    )
    cr.execute("SELECT count(*) FROM crm_chronicle_resubmission")
    resubmissions = cr.fetchone()[0]
    cr.execute(
        """INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                   activity_type_id, summary, date_deadline, user_id, active, create_uid,
                   write_uid, create_date, write_date)
           SELECT %(model)s, 'res.partner', %(first)s + g %% %(count)s, 'Kunde',
                  %(atype)s, 'Aufgabe ' || g,
                  (now() + (random() * interval '40 days') - interval '10 days')::date,
                  (%(users)s)[1 + g %% %(nusers)s], true, 1, 1, now(), now()
             FROM generate_series(1, %(n)s) g""",
        {
            **params,
            "model": env["ir.model"]._get_id("res.partner"),
            "atype": env.ref("mail.mail_activity_data_todo").id,
            "n": resubmissions,
        },
    )
    cr.execute("SELECT id FROM mail_message_subtype WHERE internal ORDER BY id LIMIT 1")
    params["note"] = cr.fetchone()[0]
    cr.execute(
        """INSERT INTO mail_message (model, res_id, message_type, subtype_id, body, date,
                   author_id, create_uid, write_uid, create_date, write_date)
           SELECT 'res.partner', %(first)s + g %% %(count)s, 'comment', %(note)s,
                  '<p>Notiz ' || g || '</p>', now() - (random() * interval '1000 days'), 3,
                  1, 1, now(), now()
             FROM generate_series(1, 2 * %(count)s) g""",
        params,
    )
    suite.say(
        f"load: {2 * count:,} chronicle entries and chatter messages, {resubmissions:,} open "
        "resubmissions and as many activities"
    )


# ---------------------------------------------------------------------------------------------
# The simulated users (JSON-RPC as the web client sends it)
# ---------------------------------------------------------------------------------------------
class RpcError(Exception):
    pass


class Session:
    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.ids = 0

    def post(self, path, params):
        self.ids += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": self.ids, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise RpcError(data.get("message") or answer["error"].get("message"))
        return answer["result"]

    def authenticate(self):
        result = self.post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": PASSWORD},
        )
        self.uid = result["uid"]
        self.context = dict(result["user_context"])
        return self

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Actions:
    """One method per action; each sends the requests of one screen or one click."""

    def __init__(self, session, conf, rng):
        self.s, self.conf, self.rng = session, conf, rng
        self.screens = conf["screens"]

    def _partner(self):
        return self.rng.randint(self.conf["first"], self.conf["last"])

    def _term(self):
        return f"Kunde {self.rng.randint(1, self.conf['partners'] // 100)}"

    def _search(self, spec, domain):
        return self.s.call(
            "res.partner",
            "web_search_read",
            domain=domain,
            specification=spec,
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
        )

    # -- the suite
    def search_customers(self):
        domain = [("customer_rank", ">", 0), ("name", "ilike", self._term())]
        self._search(self.screens["ours_list"], domain)

    def open_customer(self):
        self.s.call(
            "res.partner", "web_read", [self._partner()], specification=self.screens["ours_form"]
        )

    def log_entry(self):
        due = datetime.date.today() + datetime.timedelta(days=self.rng.randint(1, 20))
        self.s.call(
            "crm.chronicle.entry",
            "crm_log",
            partner=self._partner(),
            type_code="call",
            subject="Rückruf vereinbart",
            body="<p>Kunde bittet um Rückruf wegen Angebot.</p>",
            resubmission_date=str(due),
        )

    def my_resubmissions(self):
        self.s.call(
            "crm.chronicle.resubmission",
            "web_search_read",
            domain=[
                ("user_id", "=", self.s.uid),
                ("state", "=", "open"),
                ("due_bucket", "=", "today"),
            ],
            specification={
                "date": {},
                "name": {},
                "partner_id": {"fields": {"display_name": {}}},
                "user_id": {"fields": {"display_name": {}}},
                "due_bucket": {},
            },
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
        )

    def lookup_caller(self):
        number = f"0351 {4000000 + self.rng.randrange(PHONES)}"
        self.s.call("res.partner", "lookup_caller", number, "DE")

    def upload_scan(self):
        content = base64.b64encode(PDF + str(self.rng.random()).encode()).decode()
        self.s.call("crm.scan.document", "action_upload_files", [["scan.pdf", content]])

    def create_invoice(self):
        partner = self._partner()
        self.s.call(
            "account.move",
            "web_save",
            [],
            {
                "move_type": "out_invoice",
                "partner_id": partner,
                "journal_id": self.conf["journal"],
                "invoice_line_ids": [
                    [0, 0, {"name": "Wartung", "quantity": 1, "price_unit": 120.0}]
                ],
            },
            specification={"name": {}, "amount_total": {}, "state": {}},
        )

    def route_of_the_day(self):
        routes = self.s.call(
            "crm.route",
            "web_search_read",
            domain=[("user_id", "=", self.s.uid), ("date", "=", self.conf["today"])],
            specification={"name": {}, "date": {}, "state": {}, "stop_count": {}},
            limit=80,
        )
        if routes["records"]:
            self.route = routes["records"][0]["id"]
            self.s.call(
                "crm.route",
                "web_read",
                [self.route],
                specification={
                    "name": {},
                    "date": {},
                    "state": {},
                    "total_distance": {},
                    "stop_ids": {
                        "fields": {
                            "sequence": {},
                            "partner_id": {"fields": {"display_name": {}}},
                            "state": {},
                        },
                        "limit": 40,
                    },
                },
            )

    def visit_logged(self):
        stops = self.s.call(
            "crm.route.stop",
            "search_read",
            [("route_id.user_id", "=", self.s.uid), ("state", "=", "todo")],
            ["id"],
            limit=1,
        )
        if not stops:  # all visited: the next day's route
            self.s.call(
                "crm.route.stop",
                "write",
                self.s.call("crm.route.stop", "search", [("route_id.user_id", "=", self.s.uid)]),
                {"state": "todo"},
            )
            return
        self.s.call("crm.route.stop", "action_mark_visited", [stops[0]["id"]])

    # -- Odoo's own screens
    def odoo_list(self):
        domain = [("customer_rank", ">", 0), ("name", "ilike", self._term())]
        self._search(self.screens["odoo_list"], domain)

    def odoo_form(self):
        self.s.call(
            "res.partner", "web_read", [self._partner()], specification=self.screens["odoo_form"]
        )

    def odoo_chatter(self):
        partner = self._partner()
        self.s.call(
            "res.partner",
            "message_post",
            [partner],
            body="Kunde bittet um Rückruf wegen Angebot.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        due = datetime.date.today() + datetime.timedelta(days=self.rng.randint(1, 20))
        self.s.call(
            "mail.activity",
            "create",
            {
                "res_model_id": self.conf["partner_model"],
                "res_id": partner,
                "activity_type_id": self.conf["activity_type"],
                "summary": "Rückruf",
                "date_deadline": str(due),
                "user_id": self.s.uid,
            },
        )

    def odoo_activities(self):
        self.s.call(
            "mail.activity",
            "web_search_read",
            domain=[("user_id", "=", self.s.uid), ("date_deadline", "=", self.conf["today"])],
            specification={
                "date_deadline": {},
                "summary": {},
                "res_name": {},
                "user_id": {"fields": {"display_name": {}}},
                "activity_type_id": {"fields": {"display_name": {}}},
            },
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
        )

    def odoo_phone(self):
        number = f"3514{self.rng.randrange(PHONES):06d}"
        self.s.call(
            "res.partner",
            "web_search_read",
            domain=[("phone_mobile_search", "ilike", number)],
            specification={"display_name": {}, "phone": {}},
            limit=1,
        )

    def odoo_attachment(self):
        content = base64.b64encode(PDF + str(self.rng.random()).encode()).decode()
        self.s.call(
            "ir.attachment",
            "create",
            {
                "name": "scan.pdf",
                "datas": content,
                "res_model": "res.partner",
                "res_id": self._partner(),
            },
        )


METHODS = {
    "search customers": "search_customers",
    "open customer": "open_customer",
    "log entry + resubmission": "log_entry",
    "my resubmissions today": "my_resubmissions",
    "look up caller": "lookup_caller",
    "upload scan": "upload_scan",
    "create invoice": "create_invoice",
    "route of the day": "route_of_the_day",
    "visit logged": "visit_logged",
    "Odoo: partner list search": "odoo_list",
    "Odoo: partner form": "odoo_form",
    "Odoo: chatter note + activity": "odoo_chatter",
    "Odoo: My Activities today": "odoo_activities",
    "Odoo: partner phone search": "odoo_phone",
    "Odoo: chatter attachment": "odoo_attachment",
}


def user_loop(url, db, login, conf, plan, stop_at, results, errors, seed):
    rng = random.Random(seed)
    try:
        session = Session(url, db, login).authenticate()
    except Exception as exc:  # noqa: BLE001
        errors.append(("login", repr(exc)))
        return
    actions = Actions(session, conf, rng)
    names = list(plan)
    weights = [plan[name] for name in names]
    time.sleep(rng.uniform(0, 3))  # users do not start in step
    while time.monotonic() < stop_at:
        name = rng.choices(names, weights)[0]
        start = time.perf_counter()
        try:
            getattr(actions, METHODS[name])()
            results.append((name, (time.perf_counter() - start) * 1000))
        except (RpcError, urllib.error.URLError, OSError, ValueError) as exc:
            errors.append((name, str(exc)[:200]))
        time.sleep(rng.uniform(1, 3))


def run_level(url, db, conf, users, duration):
    """`users` simulated users (3 office users for 1 field rep) for `duration` seconds."""
    office = {**{k: w for k, (w, _a) in OFFICE.items()}, **ANCHOR}
    rep = {**{k: w for k, (w, _a) in REP.items()}, "Odoo: chatter note + activity": 1}
    reps = max(1, users // 4)
    results, errors = [], []
    stop_at = time.monotonic() + duration
    threads = []
    for i in range(users):
        is_rep = i < reps
        login = f"load_rep_{i:02d}" if is_rep else f"load_office_{i:02d}"
        thread = threading.Thread(
            target=user_loop,
            args=(url, db, login, conf, rep if is_rep else office, stop_at, results, errors, i),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    started = time.monotonic()
    for thread in threads:
        thread.join()
    return results, errors, time.monotonic() - started


def warm_up(url, db, conf, rounds=3):
    """Every action a few times, one office user and one rep, one after the other: the
    workers' caches and first compilations are not measured. Returns the errors."""
    errors = []
    for login, plan in (("load_office_00", [*OFFICE, *ANCHOR]), ("load_rep_00", list(REP))):
        actions = Actions(Session(url, db, login).authenticate(), conf, random.Random(0))
        for _round in range(rounds):
            for name in plan:
                try:
                    getattr(actions, METHODS[name])()
                except (RpcError, urllib.error.URLError, OSError, ValueError) as exc:
                    errors.append((name, str(exc)[:200]))
    return errors


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def report(users, results, errors, elapsed):
    by_action = {}
    for name, ms in results:
        by_action.setdefault(name, []).append(ms)
    print()
    print(
        f"{users} users ({max(1, users // 4)} field reps): {len(results)} requests in "
        f"{elapsed:.0f} s = {len(results) / elapsed:.1f} actions/s, {len(errors)} errors; "
        f"uptime: {os.popen('uptime').read().strip()}"  # noqa: S605, S607
    )
    print(f"{'action':<32}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}   ours / Odoo's screen")
    anchors = {**{k: a for k, (_w, a) in OFFICE.items()}, **{k: a for k, (_w, a) in REP.items()}}
    p95 = {name: percentile(values, 0.95) for name, values in by_action.items()}
    for name in [*OFFICE, *REP, *ANCHOR]:
        values = by_action.get(name)
        if not values:
            continue
        anchor = anchors.get(name)
        ratio = ""
        if anchor and anchor in p95:
            p50 = statistics.median(values) / statistics.median(by_action[anchor])
            ratio = (
                f"p95 {p95[name] / p95[anchor]:5.2f}x, p50 {p50:5.2f}x  ({anchor}: "
                f"p50 {statistics.median(by_action[anchor]):.0f}, p95 {p95[anchor]:.0f} ms)"
            )
        print(
            f"{name:<32}{len(values):>6}{statistics.median(values):>8.0f} "
            f"{p95[name]:>8.0f} {percentile(values, 0.99):>8.0f}   {ratio}"
        )
    for name, message in errors[:10]:
        print(f"  error in {name}: {message}")
    return by_action


# ---------------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database to build into or reuse (default: throwaway)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--users", default="10,25", help="levels of concurrent users")
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    args.max_users = max(levels)
    odoo_src = suite.find_odoo()
    suite.link_odoo_into_venv(odoo_src)
    suite.LOCAL.mkdir(exist_ok=True)
    dbname = args.db or f"crm_load_{os.getpid()}"
    pg = suite.make_pg(suite.LOCAL / "bench-pgdata", fast=True)
    pg.start()
    if not suite.db_exists(pg, dbname):
        started = time.monotonic()
        suite.say(f"load: creating database {dbname} with {', '.join(SUITE)} ...")
        subprocess.run(
            suite.odoo_cmd(
                odoo_src,
                pg,
                "-d",
                dbname,
                "-i",
                ",".join(SUITE),
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ),
            check=True,
        )
        suite.say(f"load: installed in {time.monotonic() - started:.0f} s")
    with _odoo.odoo_env(dbname) as (env, registry):
        conf = build(env, args)
        env.cr.commit()
    from odoo.sql_db import close_all  # noqa: PLC0415

    close_all()
    pg.start()  # (the in-process part stopped the cluster it adopted)
    server = None
    try:
        port = suite.free_port()
        options, _prefork = suite.serve_args(port, args.workers)
        http_port = int(next(o for o in options if o.startswith("--http-port=")).split("=")[1])
        log = suite.LOCAL / f"load-test-{dbname}.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                suite.odoo_cmd(
                    odoo_src,
                    pg,
                    "-d",
                    dbname,
                    f"--db-filter=^{dbname}$",
                    "--log-level=warn",
                    *options,
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{http_port}"
        suite.wait_http(url + "/web/login", server)
        suite.say(f"load: Odoo serves {dbname} in prefork mode ({args.workers} workers), log {log}")
        # warm-up: every action once (caches of the workers, first compiles)
        warm = warm_up(url, dbname, conf)
        if warm:
            suite.say(f"load: warm-up errors: {warm[:3]}")
        print(
            f"\nload test: {conf['partners']:,} customers, {args.workers} HTTP workers + gevent, "
            f"think time 1-3 s, {args.duration} s per level"
        )
        for users in levels:
            report(users, *run_level(url, dbname, conf, users, args.duration))
    finally:
        if server and server.poll() is None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(60)
            if server.poll() is None:
                server.kill()
        if not args.db and not args.keep:
            suite.db_drop(pg, dbname)
        pg.stop()


if __name__ == "__main__":
    main()
