#!/usr/bin/env python3
"""Benchmark: ABC recomputation of 200,000 customers with 1,000,000 posted invoice lines.

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/abc_analysis.py               # throwaway database, dropped afterwards
    python3 bench/abc_analysis.py --db NAME     # an existing database with crm_core
    python3 bench/abc_analysis.py --partners 20000 --lines 100000   # a smaller run
    python3 bench/abc_analysis.py --addons crm_chronicle   # with the chronicle installed
    python3 bench/abc_analysis.py --fillfactor 100   # res_partner pages filled completely
    CRM_FASTPATH=0 python3 bench/abc_analysis.py    # the ORM path instead of the fast path

With crm_chronicle installed (--addons crm_chronicle) every class change is also logged as a
chronicle entry (crm_log_batch, 5,000 per create); its share of the first run is printed.
Times are wall time plus the CPU time of the Odoo process and of its PostgreSQL backend.

It generates the data with INSERT ... SELECT (one ORM-made template row cloned), then measures
- ours: crm.abc.analysis._run() on all partners: seconds and SQL statements; first run (every
  customer gets a class: 200,000 class changes written to the chatter) and a second run;
- the anchor: a naive per-partner ORM loop (search the partner's posted invoice lines of the
  period, sum them, then write the class through the ORM) on a 10,000-partner slice, and its
  time extrapolated to all partners;
and prints both with the ratio. Target: under 30 s, constant number of statements.
Nothing is committed: the transaction is rolled back at the end.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()


def naive_loop(env, partners, date_from):
    """What an addon without set-based SQL does: one partner at a time through the ORM."""
    Line = env["account.move.line"]
    revenue = {}
    for partner in partners:
        lines = Line.search(
            [
                ("partner_id", "=", partner.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("date", ">=", date_from),
            ]
        )
        revenue[partner.id] = -sum(lines.mapped("balance"))
    classes = env["crm.partner.class"].search([("company_id", "=", env.company.id)])
    total = sum(v for v in revenue.values() if v > 0) or 1.0
    cumulated = 0.0
    for partner in sorted(partners, key=lambda p: -revenue[p.id]):
        share = 100.0 * cumulated / total
        value = revenue[partner.id]
        target = classes[-1]
        if value > 0:
            target = next((c for c in classes if share < c.threshold), classes[-1])
            cumulated += value
        if partner.crm_class_id != target:
            partner.crm_class_id = target
    env.flush_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--slice", type=int, default=10_000)
    parser.add_argument("--addons", default="crm_core", help="addons of the throwaway database")
    parser.add_argument(
        "--fillfactor",
        type=int,
        help="storage parameter of res_partner set before the data is generated (default: "
        "as installed); crm_core's readme says which is kept and why",
    )
    args = parser.parse_args()
    lines_per_move = 5
    with _odoo.odoo_env(args.db, addons=args.addons) as (env, _registry):
        import _data  # noqa: PLC0415

        cr = env.cr
        company = env.company
        if args.fillfactor:
            cr.execute(f"ALTER TABLE res_partner SET (fillfactor = {int(args.fillfactor)})")
        with _odoo.Timer(cr) as t:
            partner, move, line = _data.templates(env)
            first_last = _data.make_partners(cr, partner, args.partners, "Bench Kunde")
            made = _data.make_invoices(
                cr, move, line, first_last, args.lines // lines_per_move, lines_per_move
            )
        print(
            f"data: {args.partners:,} customers, {args.lines // lines_per_move:,} posted "
            f"invoices/credit notes with {made:,} lines, generated in {t.seconds:.1f} s"
        )
        cr.execute("SELECT reloptions FROM pg_class WHERE relname = 'res_partner'")
        print(f"res_partner storage options: {cr.fetchone()[0]}")
        from odoo.addons.crm_core.tools import fastpath  # noqa: PLC0415

        print(f"fast paths: {'on' if fastpath.enabled(env) else 'off (ORM path)'}")
        env.invalidate_all()
        abc = env["crm.abc.analysis"]
        # time the reaction of installed addons (crm_chronicle's entries) apart
        partner_class = type(env["res.partner"])
        react = partner_class._crm_on_class_changes
        reaction = {}

        def timed_react(self, company, changes, by_hand):
            with _odoo.Timer(self.env.cr) as timer:
                result = react(self, company, changes, by_hand)
            reaction["timer"] = timer
            return result

        partner_class._crm_on_class_changes = timed_react
        entries_before = 0
        if "crm.chronicle.entry" in env:
            entries_before = env["crm.chronicle.entry"].search_count([])
        with _odoo.Timer(cr) as first:
            changes = abc._run(company)
        first_reaction = reaction.pop("timer", None)
        entries = 0
        if "crm.chronicle.entry" in env:
            entries = env["crm.chronicle.entry"].search_count([]) - entries_before
        with _odoo.Timer(cr) as second:
            changes_2 = abc._run(company)
        partner_class._crm_on_class_changes = react
        cr.execute(
            """SELECT c.name ->> 'en_US', count(*) FROM res_partner p
                 JOIN crm_partner_class c ON c.id = (p.crm_class_id ->> %s)::int
                WHERE p.name LIKE 'Bench Kunde %%' GROUP BY 1 ORDER BY 1""",
            [str(company.id)],
        )
        classes = ", ".join(f"{name} {count:,}" for name, count in cr.fetchall())
        print(f"ours, first run:  {first}; {changes:,} class changes tracked ({classes})")
        if first_reaction:
            print(
                f"  of which the installed addons' reaction ({entries:,} chronicle entries): "
                f"{first_reaction}"
            )
        print(f"ours, second run: {second}; {changes_2:,} class changes")
        # the anchor, on an evenly spread slice of partners (every n-th one, so that it holds
        # big and small customers alike) whose class we reset first
        first_id, last_id = first_last
        step = max(1, args.partners // args.slice)
        cr.execute(
            "UPDATE res_partner SET crm_class_id = NULL "
            "WHERE id BETWEEN %s AND %s AND (id - %s) %% %s = 0",
            [first_id, last_id, first_id, step],
        )
        cr.execute(
            "SELECT id FROM res_partner WHERE id BETWEEN %s AND %s AND (id - %s) %% %s = 0",
            [first_id, last_id, first_id, step],
        )
        env.invalidate_all()
        partners = env["res.partner"].browse([row[0] for row in cr.fetchall()])
        date_from, _to = abc._period(company)
        with _odoo.Timer(cr) as naive:
            naive_loop(env, partners, date_from)
        scale = args.partners / len(partners)
        print(
            f"anchor, naive per-partner ORM loop on {len(partners):,} partners: {naive}; "
            f"extrapolated to {args.partners:,}: {naive.seconds * scale:,.0f} s"
        )
        print(
            f"ratio (anchor extrapolated / ours first run): "
            f"{naive.seconds * scale / first.seconds:,.0f}x; "
            f"per partner: ours {first.seconds / args.partners * 1e6:.1f} us, "
            f"anchor {naive.seconds / len(partners) * 1e6:.0f} us"
        )
        target = "OK" if first.seconds < 30 else "MISSED"
        print(f"target < 30 s with a constant number of statements: {target}")
        cr.rollback()


if __name__ == "__main__":
    main()
