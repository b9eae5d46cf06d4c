"""Benchmark of CardDAV/CalDAV sync (issue 21): a client's initial sync of 10,000 contacts
and of 5,000 appointments, and an unchanged incremental sync, against the anchor of the
calendar: the existing .ics feed of the same 5,000 appointments, in the same run.

Run (from the repository root, after `make test` or `make run` created .venv):

    python3 bench/dav_sync.py            # throwaway database, dropped afterwards
    python3 bench/dav_sync.py --db NAME  # an existing database with crm_chronicle
    options: --contacts 10000 --events 5000 --chunk 1000 --port 8279

The data is generated with SQL (the DAV change log's triggers run as for any write): N
customers with the customer role, address, phone and e-mail; a CRM user with M appointments
(meetings over the next months, inside the feed's window) and an API key. Then an Odoo server
is started on 127.0.0.1 and driven over HTTP as a DAV client does it: sync-collection
without a token (the names and ETags), addressbook-/calendar-multiget in chunks for the
data, then sync-collection with the token it got (nothing changed). The anchor is one GET of
the user's .ics feed. Times are wall-clock at the client; queries are the SQL queries the
server counted for those requests (Odoo's request log).
"""

import argparse
import base64
import datetime
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
import suite  # noqa: E402  (on the path through _odoo)

_odoo.reexec_in_venv()

DAV = "{DAV:}"
CARD = "urn:ietf:params:xml:ns:carddav"
CAL = "urn:ietf:params:xml:ns:caldav"
LOG_LINE = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ')


def generate(env, args):
    say = suite.say
    cr = env.cr
    company = env.ref("base.main_company")
    germany = env.ref("base.de")
    customer = env.ref("crm_core.crm_partner_role_customer")
    meeting = env.ref("crm_chronicle.crm_chronicle_type_meeting")
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "DAV Bench",
                "login": f"dav_bench_{int(time.time())}",
                "group_ids": [(4, env.ref("crm_core.group_user").id)],
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "tz": "Europe/Berlin",
            }
        )
    )
    expiry = datetime.datetime.now() + datetime.timedelta(hours=20)
    key = env["res.users.apikeys"].with_user(user)._generate(None, "bench", expiry)
    feed_path = urllib.parse.urlsplit(user.with_user(user)._crm_feed_rotate()).path
    say(f"bench: {args.contacts:,} customers")
    t0 = time.time()
    cr.execute(
        """INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, is_company,
                   active, type, street, zip, city, country_id, phone, email, lang,
                   autopost_bills, create_date, write_date)
           SELECT s.id, s.id, 'Bench Kunde ' || s.g || ' GmbH', 'Bench Kunde ' || s.g || ' GmbH',
                  true, true, 'contact', 'Hauptstraße ' || s.g, lpad((s.g %% 99999)::text, 5, '0'),
                  'Dresden', %(country)s, '+49 351 ' || (1000000 + s.g),
                  'kunde' || s.g || '@example.com', 'de_DE', 'ask', now(), now()
             FROM (SELECT g, nextval('res_partner_id_seq') AS id
                     FROM generate_series(1, %(n)s) g) s
           RETURNING id""",
        {"n": args.contacts, "country": germany.id},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO crm_partner_role_rel (partner_id, role_id) SELECT unnest(%s::int[]), %s",
        (partner_ids, customer.id),
    )
    say(f"bench: {args.events:,} appointments of the user ({time.time() - t0:.1f} s so far)")
    cr.execute(
        """INSERT INTO crm_chronicle_entry (name, type_id, date, duration, user_id, partner_id,
                   commercial_partner_id, company_id, state, private, create_uid, write_uid,
                   create_date, write_date, description)
           SELECT 'Termin ' || g, %(meeting)s,
                  now() - interval '30 days' + (g * interval '40 minutes'), 1.0, %(user)s,
                  (%(partners)s)[1 + g %% %(np)s], (%(partners)s)[1 + g %% %(np)s], %(company)s,
                  'open', false, 1, 1, now(), now(), '<p>Agenda ' || g || '</p>'
             FROM generate_series(1, %(n)s) g""",
        {
            "meeting": meeting.id,
            "user": user.id,
            "partners": partner_ids,
            "np": len(partner_ids),
            "company": company.id,
            "n": args.events,
        },
    )
    env.invalidate_all()
    cr.commit()
    return user, key, feed_path


class Client:
    def __init__(self, base, login, key, log_path):
        self.base, self.log_path = base, log_path
        token = base64.b64encode(f"{login}:{key}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}

    def request(self, method, url, body=None, headers=None):
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(
            url if url.startswith("http") else self.base + url,
            data=data,
            method=method,
            headers={**self.headers, **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, response.read()

    def log_offset(self):
        return self.log_path.stat().st_size

    def queries_since(self, offset):
        """(requests, queries) of the server's request log lines since `offset`."""
        time.sleep(0.3)  # the log line is written after the response
        with self.log_path.open() as log:
            log.seek(offset)
            counts = [int(m.group(4)) for m in LOG_LINE.finditer(log.read())]
        return len(counts), sum(counts)


def sync_collection(client, path, token="", prop="<d:getetag/>"):
    body = (
        '<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:">'
        f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        f"<d:prop>{prop}</d:prop></d:sync-collection>"
    )
    _status, answer = client.request(
        "REPORT", path, body, {"Content-Type": "application/xml", "Depth": "1"}
    )
    root = ET.fromstring(answer)
    hrefs = [r.findtext(f"{DAV}href") for r in root.iter(f"{DAV}response")]
    return root.findtext(f"{DAV}sync-token"), hrefs


def multiget(client, path, hrefs, kind):
    namespace, report, data = (
        (CARD, "addressbook-multiget", "address-data")
        if kind == "card"
        else (CAL, "calendar-multiget", "calendar-data")
    )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><x:{report} xmlns:d="DAV:" xmlns:x="{namespace}">'
        f"<d:prop><d:getetag/><x:{data}/></d:prop>"
        + "".join(f"<d:href>{href}</d:href>" for href in hrefs)
        + f"</x:{report}>"
    )
    _status, answer = client.request(
        "REPORT", path, body, {"Content-Type": "application/xml", "Depth": "1"}
    )
    return answer.count(b"BEGIN:VCARD" if kind == "card" else b"BEGIN:VCALENDAR")


def measure_collection(client, path, kind, chunk):
    offset, started = client.log_offset(), time.perf_counter()
    token, hrefs = sync_collection(client, path)
    objects = 0
    for start in range(0, len(hrefs), chunk):
        objects += multiget(client, path, hrefs[start : start + chunk], kind)
    initial = time.perf_counter() - started
    initial_requests, initial_queries = client.queries_since(offset)
    offset, started = client.log_offset(), time.perf_counter()
    new_token, changed = sync_collection(client, path, token)
    unchanged = time.perf_counter() - started
    _requests, unchanged_queries = client.queries_since(offset)
    assert not changed and new_token == token, (changed[:5], token, new_token)
    return {
        "objects": objects,
        "initial_s": initial,
        "initial_requests": initial_requests,
        "initial_queries": initial_queries,
        "unchanged_s": unchanged,
        "unchanged_queries": unchanged_queries,
    }


def serve_and_measure(dbname, user, key, feed_path, args):
    """Start a server on the database and sync from it as a DAV client."""
    odoo_src = suite.find_odoo()
    pg = suite.make_pg(suite.LOCAL / "bench-pgdata", fast=True)
    log_path = suite.LOCAL / "log" / "bench-dav-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    server = subprocess.Popen(
        suite.odoo_cmd(
            odoo_src,
            pg,
            "-d",
            dbname,
            f"--db-filter=^{dbname}$",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            "--max-cron-threads=0",
            f"--logfile={log_path}",
        )
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(base + "/web/login", timeout=5).read()
                break
            except OSError:
                time.sleep(1)
        client = Client(base, user.login, key, log_path)
        home = f"/dav/{user.id}/"
        client.request("PROPFIND", home, headers={"Depth": "0"})  # warm-up (registry, caches)
        contacts = measure_collection(client, home + "contacts/", "card", args.chunk)
        calendar = measure_collection(client, home + "calendar/", "ics", args.chunk)
        offset, started = client.log_offset(), time.perf_counter()
        _status, feed = client.request("GET", feed_path)
        feed_s = time.perf_counter() - started
        _requests, feed_queries = client.queries_since(offset)
        return contacts, calendar, feed.count(b"BEGIN:VEVENT"), feed_s, feed_queries
    finally:
        server.terminate()
        server.wait(60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--contacts", type=int, default=10000)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8279)
    args = parser.parse_args()
    with _odoo.odoo_env(args.db, addons="crm_chronicle") as (env, _registry):
        user, key, feed_path = generate(env, args)
        results = serve_and_measure(env.cr.dbname, user, key, feed_path, args)
    contacts, calendar, feed_items, feed_s, feed_queries = results
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print()
    print(f"CardDAV/CalDAV sync ({load})")
    print(f"{'':44} {'objects':>8} {'time':>9} {'requests':>9} {'queries':>8}")
    for label, row in (("contacts", contacts), ("appointments", calendar)):
        print(
            f"{'initial sync of the ' + label:44} {row['objects']:>8,} {row['initial_s']:>8.2f}s"
            f" {row['initial_requests']:>9} {row['initial_queries']:>8}"
        )
        print(
            f"{'unchanged incremental sync of the ' + label:44} {0:>8} "
            f"{row['unchanged_s'] * 1000:>7.0f}ms {1:>9} {row['unchanged_queries']:>8}"
        )
    print(
        f"{'anchor: the .ics feed of the appointments':44} {feed_items:>8,} {feed_s:>8.2f}s"
        f" {1:>9} {feed_queries:>8}"
    )
    print(
        f"appointments: initial CalDAV sync / feed = {calendar['initial_s'] / feed_s:.1f}x the "
        f"time; unchanged sync / feed = {calendar['unchanged_s'] / feed_s:.3f}x"
    )


if __name__ == "__main__":
    main()
