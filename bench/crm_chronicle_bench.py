"""Benchmark of crm_chronicle's two hot lists and the calendar feed.

Run (from the repository root, after `make test` or `make run` created .venv):

    python3 bench/crm_chronicle_bench.py            # throwaway database, dropped afterwards
    python3 bench/crm_chronicle_bench.py --db NAME  # an existing database with crm_chronicle
    options: --entries 2000000 --resubmissions 200000 --users 50 --feed-items 5000

The database is set up by bench/_odoo.py: a throwaway one with crm_chronicle in the
project-local cluster (.local/bench-pgdata), or the one given with --db (on that cluster, or
on the PostgreSQL server named by the PG* variables). Data generated into a database given
with --db is committed and reused by the next run there (measuring only).

It generates with SQL: 100,000 customers, N chronicle entries (random customer, user, type,
date in the last 5 years), M open resubmissions over the users (due from 60 days ago to 120
days ahead) plus as many closed ones, and for one extra user a feed of 2,500 appointments and
2,500 open resubmissions. The anchor (Odoo CE's own way: mail.activity "My Activities" and a
partner's mail.message chatter) gets the same volumes: M activities over the same users and N
messages on the same customers.

Measured in the Odoo server process (ORM calls as the web client makes them, record rules
applied, median of 15 runs after a warm-up): "My resubmissions - today" (web_search_read,
80 rows) vs "My activities - today"; a customer's chronicle (80 newest) vs the customer's
chatter messages; one user's .ics feed of 5,000 items (no CE anchor: CE 19 has no feed).
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
import suite  # noqa: E402  (on the path through _odoo)

_odoo.reexec_in_venv()


def sql_generate(cr, args, company_id, user_ids, feed_user_id):
    say = suite.say
    types = dict(cr.execute("SELECT code, id FROM crm_chronicle_type") or cr.fetchall())
    type_ids = list(types.values())
    meeting = types["meeting"]
    t0 = time.time()
    # The rows are consistent by construction: skip the per-row foreign-key triggers, whose
    # cached plans made the bulk inserts crawl on a fresh database (needs a superuser role,
    # which the throwaway cluster has; elsewhere the triggers simply run).
    cr.execute("SAVEPOINT bench_fk")
    try:
        cr.execute("SET LOCAL session_replication_role = replica")
        cr.execute("RELEASE SAVEPOINT bench_fk")
    except Exception:  # noqa: BLE001
        cr.execute("ROLLBACK TO SAVEPOINT bench_fk")
    say("bench: 100,000 customers")
    cr.execute(
        """INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, is_company,
                                    active, type, partner_share, autopost_bills, create_date,
                                    write_date)
           SELECT s.id, s.id, 'Bench Kunde ' || s.g, 'Bench Kunde ' || s.g, true, true,
                  'contact', true, 'ask', now(), now()
             FROM (SELECT g, nextval('res_partner_id_seq') AS id
                     FROM generate_series(1, 100000) g) s
           RETURNING id"""
    )
    partner_ids = [r[0] for r in cr.fetchall()]
    pmin, pcount = min(partner_ids), len(partner_ids)
    say(f"bench: {args.entries:,} chronicle entries")
    cr.execute(
        """INSERT INTO crm_chronicle_entry (name, type_id, date, duration, user_id, partner_id,
                   commercial_partner_id, company_id, state, private, create_uid, write_uid,
                   create_date, write_date)
           SELECT 'Entry ' || g, (%(types)s)[1 + g %% %(ntypes)s],
                  now() - (random() * interval '1825 days'), 0.25,
                  (%(users)s)[1 + g %% %(nusers)s], p, p, %(company)s, 'done', false, 1, 1,
                  now(), now()
             FROM (SELECT g, %(pmin)s + (random() * (%(pcount)s - 1))::int AS p
                     FROM generate_series(1, %(n)s) g) s""",
        {
            "types": type_ids,
            "ntypes": len(type_ids),
            "users": user_ids,
            "nusers": len(user_ids),
            "company": company_id,
            "pmin": pmin,
            "pcount": pcount,
            "n": args.entries,
        },
    )
    say(f"bench: {args.resubmissions:,} open and as many closed resubmissions")
    cr.execute(
        """INSERT INTO crm_chronicle_resubmission (entry_id, name, type_id, partner_id,
                   company_id, private, entry_user_id, date, all_day, user_id, recurrence,
                   state, create_uid, write_uid, create_date, write_date)
           SELECT e.id, e.name, e.type_id, e.partner_id, e.company_id, false, e.user_id,
                  CASE WHEN e.n <= %(n)s
                       THEN now() + (random() * interval '180 days') - interval '60 days'
                       ELSE now() - (random() * interval '700 days') END,
                  false, (%(users)s)[1 + e.n %% %(nusers)s], 'none',
                  CASE WHEN e.n <= %(n)s THEN 'open' ELSE 'done' END, 1, 1, now(), now()
             FROM (SELECT id, name, type_id, partner_id, company_id, user_id,
                          row_number() OVER () AS n
                     FROM (SELECT * FROM crm_chronicle_entry ORDER BY random()
                            LIMIT 2 * %(n)s) r) e""",
        {"n": args.resubmissions, "users": user_ids, "nusers": len(user_ids)},
    )
    half = args.feed_items // 2
    say(f"bench: the feed user's {args.feed_items:,} items")
    cr.execute(
        """INSERT INTO crm_chronicle_entry (name, type_id, date, duration, user_id, partner_id,
                   commercial_partner_id, company_id, state, private, create_uid, write_uid,
                   create_date, write_date, description)
           SELECT 'Termin ' || g, %(meeting)s,
                  now() - interval '80 days' + (g * interval '40 minutes'), 1.0, %(user)s,
                  %(pmin)s + g, %(pmin)s + g, %(company)s, 'open', false, 1, 1, now(), now(),
                  '<p>Agenda ' || g || '</p>'
             FROM generate_series(1, %(half)s) g""",
        {
            "meeting": meeting,
            "user": feed_user_id,
            "pmin": pmin,
            "company": company_id,
            "half": half,
        },
    )
    cr.execute(
        """INSERT INTO crm_chronicle_resubmission (entry_id, name, type_id, partner_id,
                   company_id, private, entry_user_id, date, all_day, user_id, recurrence,
                   state, note, create_uid, write_uid, create_date, write_date)
           SELECT e.id, e.name, e.type_id, e.partner_id, e.company_id, false, e.user_id,
                  now() + (random() * interval '200 days') - interval '20 days', g %% 2 = 0,
                  %(user)s, 'none', 'open', 'Nachfassen ' || g, 1, 1, now(), now()
             FROM (SELECT id, name, type_id, partner_id, company_id, user_id,
                          row_number() OVER () AS g
                     FROM (SELECT * FROM crm_chronicle_entry WHERE user_id != %(user)s
                            ORDER BY id LIMIT %(half)s) r) e""",
        {"user": feed_user_id, "half": args.feed_items - half},
    )
    say("bench: the anchor's activities and messages")
    cr.execute("SELECT id FROM mail_activity_type ORDER BY id LIMIT 1")
    activity_type = cr.fetchone()[0]
    cr.execute("SELECT id FROM ir_model WHERE model = 'res.partner'")
    partner_model = cr.fetchone()[0]
    cr.execute(
        """INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                   activity_type_id, summary, date_deadline, user_id, active, create_uid,
                   write_uid, create_date, write_date)
           SELECT %(model)s, 'res.partner', %(pmin)s + (random() * (%(pcount)s - 1))::int,
                  'Bench', %(atype)s, 'Activity ' || g,
                  (now() + (random() * interval '180 days') - interval '60 days')::date,
                  (%(users)s)[1 + g %% %(nusers)s], true, 1, 1, now(), now()
             FROM generate_series(1, %(n)s) g""",
        {
            "model": partner_model,
            "pmin": pmin,
            "pcount": pcount,
            "atype": activity_type,
            "users": user_ids,
            "nusers": len(user_ids),
            "n": args.resubmissions,
        },
    )
    cr.execute("SELECT id FROM mail_message_subtype WHERE internal ORDER BY id LIMIT 1")
    note = cr.fetchone()[0]
    cr.execute(
        """INSERT INTO mail_message (model, res_id, message_type, subtype_id, body, date,
                   author_id, create_uid, write_uid, create_date, write_date)
           SELECT 'res.partner', %(pmin)s + (random() * (%(pcount)s - 1))::int, 'comment',
                  %(note)s, '<p>Message ' || g || '</p>',
                  now() - (random() * interval '1825 days'), 3, 1, 1, now(), now()
             FROM generate_series(1, %(n)s) g""",
        {"pmin": pmin, "pcount": pcount, "note": note, "n": args.entries},
    )
    say("bench: ANALYZE")
    cr.execute("ANALYZE")
    say(f"bench: data generated in {time.time() - t0:.0f} s")


def timed(func, runs=15, cr=None):
    """Median ms of `func` (after two warm-up calls); timed.queries: SQL statements of
    the last call."""
    func()  # warm-up
    func()
    times = []
    for _ in range(runs):
        count = cr.sql_log_count if cr else 0
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
        timed.queries = cr.sql_log_count - count if cr else None
    return statistics.median(times)


def list_spec(env, model, view_xmlid):
    """The field spec the web client reads for the columns of a list view."""
    from xml.etree import ElementTree  # noqa: PLC0415

    Model = env[model]
    arch = Model.get_views([(env.ref(view_xmlid).id, "list")])["views"]["list"]["arch"]
    spec = {}
    for node in ElementTree.fromstring(arch).iter("field"):
        field = Model._fields.get(node.get("name"))
        if field is None:
            continue
        spec[field.name] = (
            {"fields": {"display_name": {}}} if field.type in ("many2one", "many2many") else {}
        )
    return spec


def measure(env):
    cr = env.cr
    results = {}
    users = env["res.users"].search([("login", "=like", "bench_user_%")], order="id")
    user = users[7].with_context(tz="Europe/Berlin")
    feed_user = env["res.users"].search([("login", "=", "bench_feed")])
    # each list as the web client reads it: the columns of its list view (ours:
    # crm_chronicle's resubmission list; the anchor: mail's activity list of My Activities)
    spec = list_spec(
        env, "crm.chronicle.resubmission", "crm_chronicle.crm_chronicle_resubmission_view_list"
    )
    aspec = list_spec(env, "mail.activity", "mail.mail_activity_view_tree")
    Resub = env["crm.chronicle.resubmission"].with_user(user)
    mine_today = [
        ("user_id", "=", user.id),
        ("state", "=", "open"),
        ("due_bucket", "=", "today"),
    ]
    rows = Resub.web_search_read(mine_today, spec, limit=80)
    results["rows_resub"] = rows["length"]
    results["ours_today"] = timed(
        lambda: (
            Resub.web_search_read(mine_today, spec, limit=80),
            env.invalidate_all(),
        ),
        cr=cr,
    )
    results["ours_today_queries"] = timed.queries
    Activity = env["mail.activity"].with_user(user)
    # the domain of My Activities' "Today" filter, for the user
    act_today = [("user_id", "=", user.id), ("date_deadline", "=", datetime.date.today())]
    results["rows_act"] = Activity.web_search_read(act_today, aspec, limit=80)["length"]
    results["anchor_today"] = timed(
        lambda: (Activity.web_search_read(act_today, aspec, limit=80), env.invalidate_all()),
        cr=cr,
    )
    results["anchor_today_queries"] = timed.queries
    cr.execute(
        "SELECT commercial_partner_id FROM crm_chronicle_entry GROUP BY 1"
        " ORDER BY count(*) DESC LIMIT 1"
    )
    partner_id = cr.fetchone()[0]
    Entry = env["crm.chronicle.entry"].with_user(user)
    pdomain = [("commercial_partner_id", "=", partner_id)]
    espec = {
        "date": {},
        "name": {},
        "type_id": {"fields": {"display_name": {}}},
        "user_id": {"fields": {"display_name": {}}},
        "state": {},
    }
    results["rows_chronicle"] = Entry.web_search_read(pdomain, espec, limit=80)["length"]
    results["ours_partner"] = timed(
        lambda: (Entry.web_search_read(pdomain, espec, limit=80), env.invalidate_all())
    )
    Message = env["mail.message"].with_user(user)
    mdomain = [("model", "=", "res.partner"), ("res_id", "=", partner_id)]
    mspec = {"date": {}, "body": {}, "author_id": {"fields": {"display_name": {}}}}
    results["rows_messages"] = Message.web_search_read(mdomain, mspec, limit=80)["length"]
    results["anchor_partner"] = timed(
        lambda: (Message.web_search_read(mdomain, mspec, limit=80), env.invalidate_all())
    )
    Ical = env["crm.chronicle.ical"].sudo()
    body = Ical._feed(feed_user)
    results["feed_items"] = body.count(b"BEGIN:VEVENT")
    results["feed_kb"] = len(body) // 1024
    results["ours_feed"] = timed(lambda: (Ical._feed(feed_user), env.invalidate_all()), 7)
    cr.rollback()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="existing database with crm_chronicle (default: throwaway)")
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--resubmissions", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--feed-items", type=int, default=5000)
    args = parser.parse_args()
    with _odoo.odoo_env(args.db, addons="crm_chronicle") as (env, _registry):
        generate(env, args)
        results = measure(env)
    report(results, args)


def generate(env, args):
    cr = env.cr
    if env["res.users"].search_count([("login", "=like", "bench_user_%")]):
        suite.say("bench: data exists, measuring only")
        return
    group = env.ref("crm_core.group_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench User {i}",
                    "login": f"bench_user_{i:02d}",
                    "group_ids": [(6, 0, group.ids)],
                    "tz": "Europe/Berlin",
                }
                for i in range(args.users)
            ]
        )
    )
    feed_user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Feed",
                "login": "bench_feed",
                "group_ids": [(6, 0, group.ids)],
                "tz": "Europe/Berlin",
            }
        )
    )
    env.flush_all()
    sql_generate(cr, args, env.company.id, users.ids, feed_user.id)
    cr.commit()


def report(r, args):
    def line(label, ours, anchor=None):
        if anchor is None:
            print(f"{label:<46} ours {ours:8.1f} ms   (no CE anchor)")
        else:
            print(
                f"{label:<46} ours {ours:8.1f} ms   anchor {anchor:8.1f} ms"
                f"   ratio {anchor / ours:5.1f}x"
            )

    print()
    print(
        f"crm_chronicle bench: {args.entries:,} entries, {args.resubmissions:,} open "
        f"resubmissions, {args.users} users (median server time, ORM web_search_read)"
    )
    line(
        f"My resubmissions - today ({r['rows_resub']} vs {r['rows_act']} rows)",
        r["ours_today"],
        r["anchor_today"],
    )
    print(
        f"{'':<46} queries: ours {r['ours_today_queries']}, anchor {r['anchor_today_queries']}"
        " (each list view's columns, as the web client reads them)"
    )
    line(
        f"Customer chronicle ({r['rows_chronicle']} vs {r['rows_messages']} rows)",
        r["ours_partner"],
        r["anchor_partner"],
    )
    line(f"Calendar feed ({r['feed_items']} items, {r['feed_kb']} KiB)", r["ours_feed"])
    print("targets: lists < 50 ms, feed < 300 ms")


if __name__ == "__main__":
    main()
