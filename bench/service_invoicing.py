#!/usr/bin/env python3
"""Benchmark: invoice 100,000 billable services of 5,000 customers (target < 60 s).

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/service_invoicing.py               # throwaway database, dropped afterwards
    python3 bench/service_invoicing.py --db NAME     # an existing database with crm_billing_sepa
    python3 bench/service_invoicing.py --customers 500 --per-customer 20   # a smaller run
    python3 bench/service_invoicing.py --customers 500 --profile /tmp/ours.prof  # cProfile of
        # ours (summed per product) only; read it with python -m pstats /tmp/ours.prof

It generates customers and open services with INSERT ... SELECT (one ORM-made template row
cloned; three products, quantities in quarter hours, pricelist-free list prices), then
measures, in the same process and database:
- ours, the claim: crm.service.invoice_services() over all open services of `--customers`
  customers, one draft invoice per customer, lines summed per product (wizard "summed per
  product"): seconds, SQL statements, CPU time of the Odoo process;
- ours, one line per service (wizard "one line per service", its default) on `--line-slice`
  more customers (as many as `--customers` unless told otherwise);
- both as the wizard runs them, without a bulk context of the benchmark's own: the code sets
  its own (no per-invoice chatter work, a note per invoice written at once);
- the anchor: a naive per-customer ORM loop as an addon without batching writes it (search
  the customer's open services, create its invoice with one line per service, link each
  service to its line through the ORM) on `--anchor-slice` more customers, extrapolated.
It checks that every service is invoiced once and that the invoices' untaxed totals equal the
services' amounts to the cent, prints the figures, the cost per service and the ratios.
In its own throwaway database the generated data is committed before the measurements (on
--db, nothing is committed); the measured work is rolled back at the end.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()


class Measure:
    """Wall time, SQL statements and CPU time (user + sys) of this (the Odoo) process."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.db_cpu = _odoo._backend_cpu(self.cr)
        self.queries = self.cr.sql_log_count
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = usage.ru_utime + usage.ru_stime
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = usage.ru_utime + usage.ru_stime - self.cpu
        self.queries = self.cr.sql_log_count - self.queries
        end = _odoo._backend_cpu(self.cr) if self.db_cpu is not None else None
        self.db_cpu = end - self.db_cpu if end is not None else float("nan")

    def line(self, label, count):
        return (
            f"{label}: {self.seconds:7.2f} s wall, {self.cpu:7.2f} s CPU (Odoo process) + "
            f"{self.db_cpu:.2f} s CPU (PostgreSQL backend), {self.queries:,} SQL statements; "
            f"{self.seconds / count * 1000:.3f} ms wall, "
            f"{self.cpu / count * 1000:.3f} ms CPU per record"
        )


def make_services(env, template, first_partner, customers, per_customer, products):
    """customers x per_customer open services cloned from `template` (SQL)."""
    import _data  # noqa: PLC0415

    cr = env.cr
    prices = {p.id: p.lst_price for p in products}
    case_product = (
        "CASE g.k %% 3 " + " ".join(f"WHEN {i} THEN {pid}" for i, pid in enumerate(prices)) + " END"
    )
    case_price = (
        "CASE g.k %% 3 "
        + " ".join(f"WHEN {i} THEN {price}" for i, price in enumerate(prices.values()))
        + " END"
    )
    quantity = "(1 + (g.n * 7 + g.k) %% 32) * 0.25"
    return _data.clone(
        cr,
        "crm_service",
        template.id,
        """SELECT p.n, k, %(first)s + p.n AS partner_id
             FROM generate_series(0, %(customers)s - 1) AS p(n),
                  generate_series(1, %(per)s) AS k""",
        {
            "partner_id": "g.partner_id",
            "name": "'Bench service ' || g.n || '/' || g.k",
            "date": "CURRENT_DATE - (g.k %% 28)",
            "product_id": case_product,
            "quantity": quantity,
            "price_unit": case_price,
            "amount": f"round(({quantity}) * ({case_price}), 2)",
        },
        {"first": first_partner, "customers": customers, "per": per_customer},
    )


def naive_loop(env, partners):
    """One customer at a time through the ORM, one write per service."""
    from odoo.fields import Command  # noqa: PLC0415

    from odoo.addons.crm_core.tools import state as state_guard  # noqa: PLC0415

    Service = env["crm.service"]
    for partner in partners:
        services = Service.search([("partner_id", "=", partner.id), ("state", "=", "open")])
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": s.product_id.id,
                            "name": s.name,
                            "quantity": s.quantity,
                            "price_unit": s.price_unit,
                        }
                    )
                    for s in services
                ],
            }
        )
        # the link is a guarded field (crm_core/tools/state.py) that only the invoicing
        # action writes: the anchor writes it as such an action would, one write per service
        with state_guard.changing(Service, "invoice_line_id"):
            for service, line in zip(services, move.invoice_line_ids, strict=True):
                service.invoice_line_id = line
    env.flush_all()


def check(env, partner_ids):
    """One line: services invoiced, lines whose quantity or unit price differ from their
    services', the invoices' untaxed total against the exact sum of quantity x unit price
    of their lines (Odoo rounds once per invoice or per line, by the company's setting)."""
    cr = env.cr
    cr.execute(
        """SELECT count(*) FILTER (WHERE s.state = 'invoiced'), count(*)
             FROM crm_service s WHERE s.partner_id = ANY(%s)""",
        [list(partner_ids)],
    )
    invoiced, total = cr.fetchone()
    cr.execute(
        """SELECT count(*), count(*) FILTER (WHERE l.quantity <> s.quantity
                                                 OR l.price_unit <> s.price_unit)
             FROM account_move_line l
             JOIN (SELECT invoice_line_id, sum(quantity) AS quantity,
                          min(price_unit) AS price_unit
                     FROM crm_service WHERE partner_id = ANY(%s)
                    GROUP BY invoice_line_id) s ON s.invoice_line_id = l.id""",
        [list(partner_ids)],
    )
    lines, wrong = cr.fetchone()
    cr.execute(
        """SELECT count(*), coalesce(sum(m.amount_untaxed), 0) FROM account_move m
            WHERE m.commercial_partner_id = ANY(%s) AND m.move_type = 'out_invoice'
              AND m.state = 'draft'""",
        [list(partner_ids)],
    )
    moves, untaxed = cr.fetchone()
    cr.execute(
        """SELECT coalesce(sum(l.quantity * l.price_unit), 0) FROM account_move_line l
             JOIN account_move m ON m.id = l.move_id
            WHERE m.commercial_partner_id = ANY(%s) AND m.move_type = 'out_invoice'
              AND m.state = 'draft' AND l.display_type = 'product'""",
        [list(partner_ids)],
    )
    exact = cr.fetchone()[0]
    ok = invoiced == total and not wrong and abs(float(untaxed) - float(exact)) < 0.005 * moves
    summary = (
        f"  check: {invoiced:,}/{total:,} services invoiced on {lines:,} lines of {moves:,} "
        f"invoices, {wrong} lines differing from their services; untaxed {untaxed:,.2f}, "
        f"sum of quantity x price {exact:,.2f}: {'OK' if ok else 'MISMATCH'}"
    )
    return summary


def main():
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--per-customer", type=int, default=20)
    parser.add_argument("--line-slice", type=int, help="default: as many as --customers")
    parser.add_argument("--anchor-slice", type=int, default=100)
    parser.add_argument("--profile", help="write a cProfile of ours (summed) to this file")
    args = parser.parse_args()
    if args.line_slice is None:
        args.line_slice = args.customers
    with _odoo.odoo_env(args.db, addons="crm_billing_sepa") as (env, _registry):
        import _data  # noqa: PLC0415

        # ours runs as the wizard runs it (its code sets its own context); the data and the
        # anchor run without tracking and creation messages (in the anchor's favour)
        plain = env
        env = _odoo.bulk_env(env)
        cr = env.cr
        started = time.perf_counter()
        partner, _move, _line = _data.templates(env)
        env.company.currency_id.active = True
        products = env["product.product"].create(
            [
                {"name": "Bench Hour", "type": "service", "list_price": 85.0},
                {"name": "Bench Call-out", "type": "service", "list_price": 45.5},
                {"name": "Bench Material", "type": "service", "list_price": 12.35},
            ]
        )
        template = env["crm.service"].create(
            {"partner_id": partner.id, "name": "template", "product_id": products[0].id}
        )
        env.flush_all()
        total_customers = args.customers + args.line_slice + args.anchor_slice
        first, _last = _data.make_partners(cr, partner, total_customers, "Bench Service")
        made = make_services(env, template, first, total_customers, args.per_customer, products)
        template.unlink()
        if not args.db:
            # the throwaway database keeps its data committed, as services are logged days
            # before their invoicing: an UPDATE of a row its own transaction inserted makes
            # PostgreSQL check every foreign key of the row again (9 for a service), not only
            # the changed ones, which no real run pays (for ours and the anchor alike)
            cr.commit()
        cr.execute("ANALYZE crm_service; ANALYZE res_partner")
        env.invalidate_all()
        print(
            f"data: {total_customers:,} customers, {made:,} open services, generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
        main_ids = list(range(first, first + args.customers))
        line_ids = list(range(first + args.customers, first + args.customers + args.line_slice))
        anchor_ids = list(range(first + args.customers + args.line_slice, first + total_customers))
        Service = plain["crm.service"]
        n_main = args.customers * args.per_customer

        profiler = None
        if args.profile:
            import cProfile  # noqa: PLC0415

            profiler = cProfile.Profile()
        with Measure(cr) as ours:
            if profiler:
                profiler.enable()
            Service.invoice_services(partner_ids=main_ids, line_mode="product")
            env.flush_all()
            if profiler:
                profiler.disable()
        if profiler:
            profiler.dump_stats(args.profile)
        print(ours.line(f"ours, summed per product, {n_main:,} services", n_main))
        print(check(env, main_ids))
        n_line = args.line_slice * args.per_customer
        if n_line:
            with Measure(cr) as per_service:
                Service.invoice_services(partner_ids=line_ids, line_mode="service")
                env.flush_all()
            print(per_service.line(f"ours, one line per service, {n_line:,} services", n_line))
            print(check(env, line_ids))
        n_anchor = args.anchor_slice * args.per_customer
        # statistics as a live database has them: on tables last analysed empty, Odoo's
        # payment-state query of the anchor's ordinary create becomes nested full scans
        # (minutes); ours does not run it for new drafts
        cr.execute("ANALYZE account_move; ANALYZE account_move_line")
        with Measure(cr) as anchor:
            naive_loop(env, env["res.partner"].browse(anchor_ids))
        print(anchor.line(f"anchor, naive ORM loop, {n_anchor:,} services", n_anchor))
        scale = n_main / n_anchor
        print(
            f"anchor extrapolated to {n_main:,} services: {anchor.seconds * scale:,.0f} s wall, "
            f"{anchor.cpu * scale:,.0f} s CPU"
        )
        per_ours = ours.seconds / n_main
        per_anchor = anchor.seconds / n_anchor
        print(
            f"ratio per service (anchor / ours, summed per product): {per_anchor / per_ours:.1f}x"
        )
        if n_line:
            per_line = per_service.seconds / n_line
            print(f"ratio per service (anchor / ours, per service): {per_anchor / per_line:.1f}x")
        print(f"target < 60 s for {n_main:,} services: {'OK' if ours.seconds < 60 else 'MISSED'}")
        if n_line:
            print(
                f"target < 60 s for {n_line:,} services, one line per service: "
                f"{'OK' if per_service.seconds < 60 else 'MISSED'}"
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        cr.rollback()


if __name__ == "__main__":
    main()
