#!/usr/bin/env python3
"""Benchmark: a dunning run over 20,000 overdue invoices (target < 20 s).

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/dunning_run.py               # throwaway database, dropped afterwards
    python3 bench/dunning_run.py --db NAME     # an existing database with crm_billing_sepa
    python3 bench/dunning_run.py --invoices 2000 --customers 500   # a smaller run

It generates customers and posted, overdue customer invoices (8 to 60 days) with
INSERT ... SELECT (one ORM-made template invoice cloned) and three dunning levels (7, 21 and
35 days; fees and interest), then measures in the same process and database:
- ours: crm.dunning.run.run_dunning() over all of them: proposal (one query), one letter per
  customer listing all its overdue invoices (highest level wins, interest per invoice),
  confirmation (level and date on customers and invoices, fees kept for the next invoice,
  one chronicle entry per letter): seconds, SQL statements, CPU time of the Odoo process;
- the anchor: a naive per-customer ORM loop as an addon without set-based code writes it
  (search the customer's overdue invoices, pick the level, create the letter with its lines,
  write the level on each invoice and the customer, log with crm_log) on `--anchor-slice`
  more customers, extrapolated to the same number of invoices.
It checks the letters (one per customer, all invoices listed), prints the figures, the cost
per invoice and the ratio. In its own throwaway database the generated data is committed
before the measurements (on --db, nothing is committed); the measured work is rolled back at
the end.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from service_invoicing import Measure  # noqa: E402

_odoo.reexec_in_venv()


def naive_loop(env, partners, date, levels):
    from odoo.fields import Command  # noqa: PLC0415

    from odoo.addons.crm_core.tools import state as state_guard  # noqa: PLC0415

    Move = env["account.move"]
    Letter = env["crm.dunning.letter"]
    for partner in partners.with_env(env):
        moves = Move.search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", date),
            ]
        )
        lines, best = [], None
        for move in moves:
            days = (date - move.invoice_date_due).days
            level = None
            for candidate in levels:
                if days >= candidate.days:
                    level = candidate
            if level and (not best or level.days > best.days):
                best = level
            lines.append(
                Command.create(
                    {
                        "move_id": move.id,
                        "date_due": move.invoice_date_due,
                        "days_overdue": days,
                        "amount_residual": move.amount_residual,
                        "level_id": level.id if level else False,
                    }
                )
            )
        if not best:
            continue
        # a letter's state is guarded (crm_core/tools/state.py): the anchor creates it done
        # as the confirming action would, in the same one create
        with state_guard.changing(Letter, "state"):
            letter = Letter.create(
                {
                    "partner_id": partner.id,
                    "date": date,
                    "level_id": best.id,
                    "fee_amount": best.fee,
                    "line_ids": lines,
                    "state": "done",
                }
            )
        for move in moves:
            move.write({"crm_dunning_level_id": best.id, "crm_dunning_date": date})
        partner.write({"crm_dunning_level_id": best.id, "crm_dunning_date": date})
        env["crm.chronicle.entry"].crm_log(partner, "dunning", "Dunning letter", source=letter)
    env.flush_all()


def make_overdue(env, invoices, customers, anchor_customers):
    """Customers and posted overdue invoices spread evenly over them; returns the id ranges
    of the main and of the anchor's customers and their numbers of invoices."""
    import _data  # noqa: PLC0415

    cr = env.cr
    partner, move, line = _data.templates(env)
    first, last = _data.make_partners(cr, partner, customers + anchor_customers, "Bench Dun")
    # balanced invoices, each with its open receivable line, as Odoo's create makes them
    # (the ORM path writes them, and Odoo checks the balance of every entry it writes)
    _data.make_invoices(
        cr, move, line, (first, last), invoices, 1, months=1, skew=1, refunds=0, receivable=True
    )
    # overdue by 8 to 60 days: the due date on the invoice and on its receivable line
    cr.execute(
        """UPDATE account_move
              SET payment_state = 'not_paid', invoice_date_due = CURRENT_DATE - (8 + id % 53)
            WHERE name LIKE 'BENCH/%';
           UPDATE account_move_line l SET date_maturity = m.invoice_date_due
             FROM account_move m
            WHERE m.id = l.move_id AND m.name LIKE 'BENCH/%' AND l.display_type = 'payment_term'"""
    )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line")
    env.invalidate_all()
    main = (first, first + customers - 1)
    anchor = (first + customers, last)
    counts = []
    for low, high in (main, anchor):
        cr.execute(
            "SELECT count(*) FROM account_move WHERE name LIKE 'BENCH/%%' "
            "AND commercial_partner_id BETWEEN %s AND %s",
            [low, high],
        )
        counts.append(cr.fetchone()[0])
    return main, anchor, counts


def main():
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--anchor-slice", type=int, default=250)
    args = parser.parse_args()
    # the anchor's share of invoices on top of the claim's number
    total_invoices = args.invoices * (args.customers + args.anchor_slice) // args.customers
    with _odoo.odoo_env(args.db, addons="crm_billing_sepa") as (env, _registry):
        # ours runs as the dunning wizard runs it (its code sets its own context); the data
        # and the anchor run without tracking and creation messages (in the anchor's favour)
        plain = env
        env = _odoo.bulk_env(env)
        cr = env.cr
        started = time.perf_counter()
        main_range, anchor_range, (n_main, anchor_invoices) = make_overdue(
            env, total_invoices, args.customers, args.anchor_slice
        )
        levels = env["crm.dunning.level"].create(
            [
                {"name": "Reminder", "days": 7},
                {"name": "Dunning", "days": 21, "fee": 5.0, "interest_rate": 5.0},
                {"name": "Final", "days": 35, "fee": 10.0, "interest_rate": 9.0},
            ]
        )
        # the anchor's customers get a block for our run, the main ones for the anchor's
        cr.execute(
            "UPDATE res_partner SET crm_dunning_block = true WHERE id BETWEEN %s AND %s",
            anchor_range,
        )
        env.flush_all()
        if not args.db:
            # the throwaway database keeps its data committed, as invoices are posted weeks
            # before their dunning: an UPDATE of a row its own transaction inserted makes
            # PostgreSQL check every foreign key of the row again, not only the changed ones,
            # which no real run pays (for ours and the anchor alike)
            cr.commit()
        env.invalidate_all()
        print(
            f"data: {args.customers + args.anchor_slice:,} customers, "
            f"{n_main + anchor_invoices:,} overdue invoices, generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
        date = env["crm.dunning.run"]._fields["date"].default(env["crm.dunning.run"])
        with Measure(cr) as ours:
            result = plain["crm.dunning.run"].run_dunning(fee_mode="lines")
            env.flush_all()
        print(ours.line(f"ours, dunning run over {n_main:,} invoices", n_main))
        cr.execute(
            """SELECT count(DISTINCT l.id), count(*), count(DISTINCT l.partner_id),
                      sum(ll.amount_residual)
                 FROM crm_dunning_letter l JOIN crm_dunning_letter_line ll ON ll.letter_id = l.id
                WHERE l.run_id = %s""",
            [result["run_id"]],
        )
        letters, lines, partners, amount = cr.fetchone()
        cr.execute(
            """SELECT sum(amount_residual_signed) FROM account_move
                WHERE commercial_partner_id BETWEEN %s AND %s AND name LIKE 'BENCH/%%'""",
            main_range,
        )
        expected = cr.fetchone()[0]
        print(
            f"  check: {letters:,} letters to {partners:,} customers listing {lines:,} "
            f"invoices, {amount:,.2f} overdue (expected {expected:,.2f}): "
            f"{'OK' if lines == n_main and amount == expected else 'MISMATCH'}"
        )
        cr.execute(
            "UPDATE res_partner SET crm_dunning_block = false WHERE id BETWEEN %s AND %s",
            anchor_range,
        )
        env.invalidate_all()
        partners = env["res.partner"].browse(range(anchor_range[0], anchor_range[1] + 1))
        with Measure(cr) as anchor:
            naive_loop(env, partners, date, levels.sorted("days"))
        print(
            anchor.line(
                f"anchor, naive ORM loop over {anchor_invoices:,} invoices", anchor_invoices
            )
        )
        scale = n_main / anchor_invoices
        print(
            f"anchor extrapolated to {n_main:,} invoices: {anchor.seconds * scale:,.1f} s "
            f"wall, {anchor.cpu * scale:,.1f} s CPU"
        )
        ratio = (anchor.seconds / anchor_invoices) / (ours.seconds / n_main)
        print(f"ratio per invoice (anchor / ours): {ratio:.1f}x")
        print(f"target < 20 s for {n_main:,} invoices: {'OK' if ours.seconds < 20 else 'MISSED'}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        cr.rollback()


if __name__ == "__main__":
    main()
