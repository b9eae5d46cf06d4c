#!/usr/bin/env python3
"""Benchmark: reading the partner form (all its fields and the cockpit counts) of a customer
with 5,000 posted invoices, as the web client does (web_read with the form's field spec).

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/partner_form_read.py             # throwaway database, dropped afterwards
    python3 bench/partner_form_read.py --db NAME   # an existing database with crm_core

The database has all six addons (the customer form with every addon's cockpit buttons and
tabs). Ours: the whole form as the administrator sees it (Odoo's fields plus the suite's
cockpit, classes, numbers, bank accounts, contacts, chronicle, services, mandates ...).
Anchor: Odoo's own partner form, i.e. the same form view with the suite's inheritances
switched off (its field spec as the web client builds it), for the same customer. Both are
timed cold (ORM cache emptied before each read), median of 15 reads; the number of SQL
queries is printed for 50 and for 5,000 invoices to show it does not grow. Targets: < 100 ms,
no more than 1.5x Odoo's form in time and queries. Nothing is committed.
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

SUITE = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_scan",
    "crm_telephony",
]


def odoo_form_spec(partner):
    """The field spec of Odoo's own partner form: the suite's views switched off."""
    from odoo.tests import Form  # noqa: PLC0415

    env = partner.env
    data = env["ir.model.data"].search([("model", "=", "ir.ui.view"), ("module", "in", SUITE)])
    views = (
        env["ir.ui.view"]
        .sudo()
        .browse(data.mapped("res_id"))
        .filtered(lambda v: v.model == "res.partner" and v.inherit_id)
    )
    env.cr.execute("SAVEPOINT odoo_form")
    views.write({"active": False})
    env.registry.clear_cache("templates")
    spec = dict(Form(partner)._view["fields_spec"])
    env.cr.execute("ROLLBACK TO SAVEPOINT odoo_form")
    env.registry.clear_cache("templates")
    return spec


def measure(partner, spec, runs=15):
    """Median wall time, queries, and median CPU time (Odoo process + PostgreSQL backend)
    of reading the form cold."""
    env = partner.env
    times, cpus, queries = [], [], set()
    for _ in range(runs):
        env.invalidate_all()
        with _odoo.Timer(env.cr) as timer:
            partner.web_read(spec)
        times.append(timer.seconds)
        cpus.append(timer.cpu + timer.db_cpu)
        queries.add(timer.queries)
    measure.cpu = statistics.median(cpus)
    return statistics.median(times), max(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--invoices", type=int, default=5000)
    args = parser.parse_args()
    with _odoo.odoo_env(args.db, addons=",".join(SUITE)) as (env, _registry):
        import _data  # noqa: PLC0415

        from odoo.tests import Form  # noqa: PLC0415

        cr = env.cr
        partner, move, line = _data.templates(env)
        small = _data.make_partners(cr, partner, 1, "Bench Kleinkunde")
        big = _data.make_partners(cr, partner, 1, "Bench Großkunde")
        _data.make_invoices(cr, move, line, small, 50, 5, months=24, skew=1)
        made = _data.make_invoices(cr, move, line, big, args.invoices, 5, months=24, skew=1)
        env["crm.abc.analysis"]._run(env.company)
        admin = env.ref("base.user_admin")
        Partner = env["res.partner"].with_user(admin).with_context(lang="en_US")
        big_partner = Partner.browse(big[0])
        small_partner = Partner.browse(small[0])
        # both customers have the same 20 contact persons: only the invoices differ
        env["res.partner"].with_user(admin).create(
            [
                {"name": f"Kontakt {i}", "parent_id": p}
                for p in (big[0], small[0])
                for i in range(20)
            ]
        )
        env.flush_all()
        spec = Form(big_partner)._view["fields_spec"]
        odoo_spec = odoo_form_spec(big_partner)
        print(
            f"customer with {args.invoices:,} posted invoices ({made:,} lines); form spec: "
            f"{len(spec)} fields, Odoo's own partner form {len(odoo_spec)}"
        )
        measure(big_partner, spec, runs=3)  # warm the ormcaches and PostgreSQL
        ours, ours_queries = measure(big_partner, spec)
        ours_cpu = measure.cpu
        anchor, anchor_queries = measure(big_partner, odoo_spec)
        anchor_cpu = measure.cpu
        _small_time, small_queries = measure(small_partner, spec)
        print(
            f"ours (whole form):           wall {ours * 1000:7.1f} ms, CPU (Odoo + PostgreSQL) "
            f"{ours_cpu * 1000:7.1f} ms, {ours_queries} queries"
        )
        print(
            f"anchor (Odoo's partner form): wall {anchor * 1000:6.1f} ms, CPU (Odoo + PostgreSQL) "
            f"{anchor_cpu * 1000:7.1f} ms, {anchor_queries} queries"
        )
        print(
            f"ratio ours / anchor: wall {ours / anchor:.2f}, CPU {ours_cpu / anchor_cpu:.2f}, "
            f"queries {ours_queries / anchor_queries:.2f} (target <= 1.5)"
        )
        print(
            f"queries with 50 invoices: {small_queries}, with {args.invoices:,}: "
            f"{ours_queries} (constant: {'yes' if small_queries == ours_queries else 'NO'})"
        )
        print(f"target < 100 ms: {'OK' if ours < 0.1 else 'MISSED'}")
        cr.rollback()


if __name__ == "__main__":
    main()
