"""Benchmark: SEPA direct debit of N due invoices of N customers with active mandates.

Measured, ours (crm_billing_sepa): batch creation (selection with row locks, checks, pain.008
written with sepaxml and validated against the XSD, file stored, invoices marked "in payment"),
then confirmation (one journal entry per batch, all invoices reconciled). Anchor (OCA
bank-payment 19.0, account_banking_sepa_direct_debit from PyPI) on the same generated data:
payment order with the invoices' receivable lines (its bulk path), confirm (draft2open),
generate the file (open2generated), mark uploaded (generated2uploaded: posts the payments and
reconciles).

Run from the repository root of a clone with .venv (the bench sets up the rest itself: Odoo
linked into .venv, .local, its own PostgreSQL cluster; the OCA anchor's packages in
.bench-venv):

    .venv/bin/python bench/sepa_direct_debit.py            # ours N=10000 and 1000, OCA N=1000
    .venv/bin/python bench/sepa_direct_debit.py --n 2000 --oca-n 2000
    .venv/bin/python bench/sepa_direct_debit.py --n 10000 --no-oca --orm   # and CRM_FASTPATH=0

    .venv/bin/python bench/sepa_direct_debit.py --n "" --no-oca --realistic 500,2000
        # realistic invoices (made and posted by the ORM: three lines over two tax rates,
        # every tenth in US dollars - reported per invoice, not debited -, every tenth of the
        # others half paid by Odoo's payment registration), three variants in one process on
        # the same invoices, each rolled back to the same savepoint: the anchor (Odoo's own
        # payment registration of the same invoices: account.payment.register, one payment
        # per invoice, posted and reconciled by Odoo), ours on the ORM paths (context
        # crm_fast_path=False, what CRM_FASTPATH=0 does) and ours on the fast paths; the
        # load average is printed with every figure

BENCH_REUSE=1 keeps the installed databases as templates (bench_ours_template,
bench_oca_template) for the next runs (while changing the code: no field or data changes).
BENCH_PROFILE=/path/prefix writes a cProfile and the slowest statements of each phase.

Wall time, SQL queries, the Odoo process's CPU time, its PostgreSQL backend's CPU time
(/proc) and the execution time of the phase's statements (pg_stat_statements, preloaded in
the bench cluster) are printed per phase (on a shared machine CPU says more than wall), and
the OCA / ours ratio (wall and CPU) for each N run by both.
It starts a throwaway embedded PostgreSQL
in .local/benchpg, creates one database per run (`bench_ours_<N>`, `bench_oca_<N>`), installs
the addons, generates the data (not timed: one customer with bank account, mandate and posted
invoice made with the ORM, the other N - 1 copied from its rows in SQL, checked against Odoo's
own computation on a sample: seconds for N=10000), measures, prints the figures and the ratio,
and drops the databases. Run one bench at a time: each stops the bench cluster when it ends.

Figures measured here on 2026-12-07 (2 cores shared with other sessions' test runs, load
average 11-15 throughout, so wall times are 3-6x the CPU; CPU = Odoo process user+sys + its
PostgreSQL backend user+sys):
  simple invoices (`--n 10000 --no-oca --orm`, one run):
    fast paths     N=10000: 8.14 s CPU (0.81 ms per debit), 292 queries, 46.3 s wall
                            (2026-11-27: 9.06 s CPU, 298 queries)
    CRM_FASTPATH=0 N=10000: 79.8 s CPU (7.98 ms per debit), 51,811 queries, 488.7 s wall:
                            9.8x the fast paths' CPU
  realistic invoices (`--n "" --no-oca --realistic 500,2000`, one run; every tenth in US
  dollars, every tenth of the others half paid):
    N=2000 fast paths 23.1 s CPU, ORM paths 23.6 s CPU, anchor (Odoo's payment
           registration) 198.0 s CPU: anchor / fast 8.6x, anchor / ORM 8.4x (wall 150 / 191
           / 954 s)
    N=500  fast 4.84 s, ORM 5.06 s, anchor 48.0 s CPU: anchor / fast 9.9x
    Per invoice from 500 to 2000: fast 9.7 -> 11.6 ms, ORM 10.1 -> 11.8 ms, anchor 96 -> 99
    ms CPU (linear; N=10000 would take the anchor about 1,000 s CPU). On these invoices the
    booking's fast path then stepped aside for the whole batch (one partially paid invoice),
    so confirming cost as much as the ORM path.
  Since the booking splits and reconciles the clean payments in SQL and lets Odoo reconcile
  only the partly paid ones in the same entry (tools/fastpath_booking.py), same command,
  2026-12-07 13:47-14:00, load 10.9-13.6:
    N=500  fast 2.13 s CPU, ORM 5.87 s, anchor 57.11 s: anchor / fast 26.8x (was 9.9x),
           anchor / ORM 9.7x, ORM / fast 2.8x
    simple `--n 10000 --no-oca --orm`, same session: fast 8.16 s CPU, 295 queries; ORM
           98.9 s CPU, 51,813 queries: 12.1x
  OCA anchor (2026-11-27, N=1000): 84.9 s CPU against ours 1.23 s (69x).

The OCA modules are installed from PyPI into a separate virtual environment, .bench-venv
(git-ignored), with `pip install --no-deps` (their wheels require an installed `odoo`
distribution, which this project does not have: Odoo runs from its source tree). Their only
Python requirement that .venv lacks, `unidecode`, goes there as well. The benchmark's Odoo
process for the anchor is .venv's Python with .bench-venv's site-packages on PYTHONPATH and its
odoo/addons folder on the addons path; nothing is copied into this repository or the Odoo tree.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

OCA_PACKAGES = [
    "odoo-addon-account-banking-sepa-direct-debit==19.0.*",
    "odoo-addon-account-banking-mandate==19.0.*",
    "odoo-addon-account-banking-pain-base==19.0.*",
    "odoo-addon-account-payment-order==19.0.*",
    "odoo-addon-account-payment-mode==19.0.*",
    "unidecode",
]
BENCH_VENV = ROOT / ".bench-venv"
OWN_IBAN = "DE89370400440532013000"
CREDITOR_ID = "DE98ZZZ09999999999"


# ---------------------------------------------------------------------------------------------
# Orchestration (system side)
# ---------------------------------------------------------------------------------------------
def bench_site_packages():
    found = list(BENCH_VENV.glob("lib/python3*/site-packages"))
    return found[0] if found else None


def ensure_bench_venv():
    site = bench_site_packages()
    if site and (site / "odoo" / "addons" / "account_banking_sepa_direct_debit").exists():
        return site
    subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run(
        [str(BENCH_VENV / "bin" / "pip"), "install", "-q", "--no-deps", *OCA_PACKAGES],
        check=True,
    )
    return bench_site_packages()


def run_worker(suite, pg, odoo_src, kind, n, extra_addons=None, pythonpath=None, fastpath=None):
    db = f"bench_{kind}_{n}"
    suite.db_drop(pg, db)
    addons = "account_banking_sepa_direct_debit" if kind == "oca" else "crm_billing_sepa"
    paths = [str(odoo_src / "odoo" / "addons"), str(odoo_src / "addons"), str(ROOT)]
    if extra_addons:
        paths.append(str(extra_addons))
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    if fastpath is not None:
        env["CRM_FASTPATH"] = fastpath
    common = [
        f"--addons-path={','.join(paths)}",
        f"--data-dir={ROOT / '.local' / 'benchdata'}",
        *pg.odoo_args(),
        "--log-level=warn",
    ]
    template = "oca" if kind == "oca" else "ours"
    install_db = f"bench_{template}_template" if os.environ.get("BENCH_REUSE") else db
    if install_db == db or not suite.db_exists(pg, install_db):
        print(f"[bench] {kind}: installing {addons} into {install_db}", flush=True)
        subprocess.run(
            [
                str(suite.VENV_PY),
                str(odoo_src / "odoo-bin"),
                *common,
                "-d",
                install_db,
                "-i",
                addons,
                "--stop-after-init",
                "--no-http",
            ],
            check=True,
            env=env,
        )
    if install_db != db:
        conn = suite.db_connect(pg)
        conn.autocommit = True
        try:
            with conn.cursor() as cr:
                cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{install_db}"')
        finally:
            conn.close()
    out = subprocess.run(
        [
            str(suite.VENV_PY),
            __file__,
            "--worker",
            kind,
            "--db",
            db,
            "--n",
            str(n),
            "--odoo-args",
            json.dumps(common),
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-5000:])
        raise SystemExit(f"the {kind} worker failed (exit code {out.returncode})")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    suite.db_drop(pg, db)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", default="10000,1000", help="sizes of our runs (comma-separated)")
    parser.add_argument("--oca-n", default="1000", help="sizes of the anchor's runs")
    parser.add_argument("--no-oca", action="store_true")
    parser.add_argument(
        "--orm",
        action="store_true",
        help="measure each of our --n runs again with CRM_FASTPATH=0 (the ORM paths)",
    )
    parser.add_argument(
        "--realistic",
        default="",
        help="sizes of runs on realistic invoices (several tax rates, partial payments, a "
        "second currency), each measured with the fast paths on and off (CRM_FASTPATH=0)",
    )
    parser.add_argument("--worker")
    parser.add_argument("--db")
    parser.add_argument("--odoo-args")
    args = parser.parse_args()
    if args.worker:
        args.n = int(args.n)
        return worker(args)

    import suite  # noqa: PLC0415

    if Path(sys.prefix).resolve() != suite.VENV.resolve() and suite.VENV_PY.exists():
        os.execv(str(suite.VENV_PY), [str(suite.VENV_PY), *sys.argv])
    # set up what is missing, as the other benches do (bench/_odoo.py): Odoo linked into
    # .venv, the project-local folder, the bench's own cluster
    odoo_src = suite.find_odoo()
    suite.link_odoo_into_venv(odoo_src)
    suite.LOCAL.mkdir(exist_ok=True)
    pg = suite.EmbeddedPostgres(suite.LOCAL / "benchpg", fast=False)
    pg.start()
    enable_pg_stat_statements(suite, pg)
    try:
        ours = []
        for n in [int(x) for x in args.n.split(",") if x]:
            ours.append(run_worker(suite, pg, odoo_src, "ours", n))
            report("ours (crm_billing_sepa)", ours[-1])
            if args.orm:
                orm = run_worker(suite, pg, odoo_src, "ours", n, fastpath="0")
                report("ours with CRM_FASTPATH=0 (the ORM paths), same data", orm)
                print(
                    f"   ratio ORM paths / fast paths at N={n} (same run): CPU"
                    f" {cpu_total(orm) / cpu_total(ours[-1]):.1f}x"
                )
        for n in [int(x) for x in args.realistic.split(",") if x]:
            realistic(run_worker(suite, pg, odoo_src, "realistic", n))
        oca_results = []
        if not args.no_oca:
            site = ensure_bench_venv()
            for n in [int(x) for x in args.oca_n.split(",") if x]:
                result = run_worker(
                    suite,
                    pg,
                    odoo_src,
                    "oca",
                    n,
                    extra_addons=site / "odoo" / "addons",
                    pythonpath=site,
                )
                report(f"OCA account_banking_sepa_direct_debit, N={n}", result)
                oca_results.append(result)
        summary(ours, oca_results)
    finally:
        pg.stop()
    return 0


def enable_pg_stat_statements(suite, pg):
    """The bench cluster (its own, .local/benchpg) preloads pg_stat_statements, so that the
    time PostgreSQL spent in each phase's statements can be reported next to the wall time."""
    conn = suite.db_connect(pg)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute("SHOW shared_preload_libraries")
            if "pg_stat_statements" in cr.fetchone()[0]:
                return
            cr.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    finally:
        conn.close()
    pg.stop()
    pg.start()


def report(title, result):
    print(f"\n== {title}: N = {result['n']}")
    print(f"   load average (1, 5, 15 min) before: {result['load']['before']}")
    print(
        f"   {'phase':<50} {'wall':>8}  {'queries':>7}  {'Odoo CPU':>8}  {'PG CPU':>7}"
        f"  {'PG exec':>7}"
    )
    for phase, (seconds, queries, cpu, pg_cpu, pg_exec) in result["phases"].items():
        print(
            f"   {phase:<50} {seconds:7.2f}s  {queries:7d}  {cpu:7.2f}s  {pg_cpu:6.2f}s"
            f"  {pg_exec:6.2f}s   load after: {result['load'][phase]}"
        )
    total = [sum(p[i] for p in result["phases"].values()) for i in range(5)]
    print(
        f"   {'total':<50} {total[0]:7.2f}s  {total[1]:7d}  {total[2]:7.2f}s  {total[3]:6.2f}s"
        f"  {total[4]:6.2f}s   ({total[0] / result['n'] * 1000:.2f} ms wall,"
        f" {(total[2] + total[3]) / result['n'] * 1000:.2f} ms CPU per debit)"
    )


def realistic(result):
    """The three variants of one realistic run (same invoices, same process): our fast
    paths, our ORM paths, Odoo's own payment registration; and their ratios."""
    titles = {
        "fast": "ours, realistic invoices, fast paths on",
        "orm": "ours, realistic invoices, fast paths off (the ORM paths, context crm_fast_path)",
        "anchor": "anchor: Odoo's payment registration (account.payment.register) of the same"
        " invoices",
    }
    n = result["n"]
    for name, title in titles.items():
        report(title, {"n": n, **result["variants"][name]})
    print(
        f"   ({result['foreign']} invoices in US dollars reported per invoice by ours, not "
        f"debited; {result['partial']} half paid before; set-up, not measured: {n} invoices"
        f" made and posted by the ORM in {result['setup']:.0f} s; the anchor's payments with"
        f" a journal entry: {result['anchor_payments_with_entry']})"
    )
    totals = {
        name: (sum(p[0] for p in variant["phases"].values()), cpu_total(variant))
        for name, variant in result["variants"].items()
    }
    print(f"\n== realistic invoices, N={n}, same run (wall; CPU = Odoo + PostgreSQL backend)")
    for name in titles:
        wall, cpu = totals[name]
        print(
            f"   {name:<7} {wall:8.2f} s wall {cpu:8.2f} s CPU = {wall / n * 1000:6.2f} ms wall,"
            f" {cpu / n * 1000:6.2f} ms CPU per invoice"
        )
    for name in ("orm", "anchor"):
        print(
            f"   ratio {name} / fast: wall {totals[name][0] / totals['fast'][0]:.1f}x,"
            f" CPU {totals[name][1] / totals['fast'][1]:.1f}x"
        )
    print(
        f"   ratio anchor / orm: wall {totals['anchor'][0] / totals['orm'][0]:.1f}x,"
        f" CPU {totals['anchor'][1] / totals['orm'][1]:.1f}x"
    )


def cpu_total(result):
    """Odoo process CPU + PostgreSQL backend CPU over all phases."""
    return sum(p[2] + p[3] for p in result["phases"].values())


def summary(ours_results, oca_results):
    if not ours_results and not oca_results:
        return
    print("\n== comparison (CPU = Odoo process user+sys + PostgreSQL backend user+sys)")
    ours_by_n = {}
    for label, results in (("ours", ours_results), ("OCA ", oca_results)):
        for result in results:
            wall = sum(p[0] for p in result["phases"].values())
            cpu = cpu_total(result)
            n = result["n"]
            print(
                f"   {label} N={n:6d}: {wall:8.2f} s wall, {cpu:8.2f} s CPU"
                f"  = {wall / n * 1000:7.3f} ms wall, {cpu / n * 1000:7.3f} ms CPU per debit"
            )
            if label == "ours":
                ours_by_n[n] = (wall, cpu)
            elif n in ours_by_n:
                print(
                    f"   ratio OCA / ours at N={n} (same run): wall {wall / ours_by_n[n][0]:.1f}x,"
                    f" CPU {cpu / ours_by_n[n][1]:.1f}x"
                )


# ---------------------------------------------------------------------------------------------
# Worker (inside Odoo)
# ---------------------------------------------------------------------------------------------
def worker(args):
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config([*json.loads(args.odoo_args), "-d", args.db], setup_logging=False)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True},
        )
        data = setup_company(env, args.n)
        if args.worker == "ours":
            result = bench_ours(env, data, args.n)
        elif args.worker == "realistic":
            result = bench_realistic(env, data, args.n)
        else:
            result = bench_oca(env, data, args.n)
        cr.rollback()
    print(json.dumps({"n": args.n, **result}))
    return 0


def setup_company(env, n):
    import schwifty  # noqa: PLC0415

    company = env.company
    eur = env.ref("base.EUR")
    eur.active = True
    if not company.chart_template:
        company.write({"currency_id": eur.id, "country_id": env.ref("base.de").id})
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    elif company.currency_id != eur:
        company.currency_id = eur
    bank = env["res.bank"].create({"name": "Commerzbank", "bic": "COBADEFFXXX"})
    journal = env["account.journal"].create(
        {
            "name": "SEPA Bank",
            "type": "bank",
            "code": "SEPAB",
            "bank_acc_number": OWN_IBAN,
            "bank_id": bank.id,
        }
    )
    env.flush_all()
    ibans = [
        str(schwifty.IBAN.generate("DE", bank_code="12030000", account_code=f"{i:010d}"))
        for i in range(1, n + 1)
    ]
    return {"company": company, "eur": eur, "journal": journal, "ibans": ibans}


def make_customers(env, data, n, mandate_spec):
    """n partners with a bank account and a mandate, and one posted due invoice each.

    One customer (partner, bank account, mandate, posted invoice) is made with the ORM; the
    other n - 1 are copies of its rows written by INSERT ... SELECT (bench/_data.py), with
    their own ids, names, IBANs, mandate references, invoice numbers and amounts. This takes
    seconds instead of the ORM's hour for 10,000 posted invoices under load; the copies'
    stored amounts are checked against Odoo's own computation on a sample afterwards."""
    import datetime  # noqa: PLC0415

    from _data import clone  # noqa: PLC0415

    from odoo.fields import Command  # noqa: PLC0415

    model, table, vals, overrides = mandate_spec
    cr = env.cr
    partner = env["res.partner"].create({"name": "Kunde 00000 GmbH", "is_company": True})
    bank = env["res.partner.bank"].create(
        {"acc_number": data["ibans"][0], "partner_id": partner.id}
    )
    mandate = env[model].create(vals(0, partner, bank))
    if model == "crm.sepa.mandate":
        mandate.action_activate()  # states change only through their actions
    today = datetime.date.today()
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today - datetime.timedelta(days=20),
            "invoice_date_due": today - datetime.timedelta(days=1),
            "currency_id": data["eur"].id,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Abo", "quantity": 1, "price_unit": 10, "tax_ids": [Command.clear()]}
                )
            ],
            **data.get("invoice_extra", lambda i, m: {})(0, mandate),
        }
    )
    invoice.action_post()
    env.flush_all()
    cr.execute("DROP TABLE IF EXISTS bench_customers")
    cr.execute(
        """CREATE TEMP TABLE bench_customers AS
           SELECT n, iban,
                  to_char(n, 'FM00000') AS num,
                  (10 + n %% 997 + (n %% 100) / 100.0)::numeric AS amount,
                  nextval('res_partner_id_seq') AS partner_id,
                  nextval('res_partner_bank_id_seq') AS bank_id,
                  nextval(%(mandate_seq)s) AS mandate_id,
                  nextval('account_move_id_seq') AS move_id
             FROM unnest(%(ibans)s::varchar[]) WITH ORDINALITY AS u(iban, n)""",
        {"ibans": data["ibans"][1:n], "mandate_seq": f"{table}_id_seq"},
    )
    name = "'Kunde ' || g.num || ' GmbH'"
    clone(
        cr,
        "res_partner",
        partner.id,
        "SELECT * FROM bench_customers",
        {
            "id": "g.partner_id",
            "name": name,
            "complete_name": name,
            "commercial_partner_id": "g.partner_id",
        },
    )
    clone(
        cr,
        "res_partner_bank",
        bank.id,
        "SELECT * FROM bench_customers",
        {
            "id": "g.bank_id",
            "partner_id": "g.partner_id",
            "acc_number": "g.iban",
            "sanitized_acc_number": "g.iban",
        },
    )
    clone(
        cr, table, mandate.id, "SELECT * FROM bench_customers", {"id": "g.mandate_id", **overrides}
    )
    move_name = "t.sequence_prefix || to_char(g.n + t.sequence_number, 'FM00000')"
    clone(
        cr,
        "account_move",
        invoice.id,
        "SELECT * FROM bench_customers",
        {
            "id": "g.move_id",
            "name": move_name,
            "payment_reference": move_name,
            "sequence_number": "g.n + t.sequence_number",
            "partner_id": "g.partner_id",
            "commercial_partner_id": "g.partner_id",
            "partner_shipping_id": "g.partner_id",
            "invoice_partner_display_name": name,
            "access_token": "NULL",
            "amount_untaxed": "g.amount",
            "amount_total": "g.amount",
            "amount_residual": "g.amount",
            "amount_untaxed_signed": "g.amount",
            "amount_untaxed_in_currency_signed": "g.amount",
            "amount_total_signed": "g.amount",
            "amount_total_in_currency_signed": "g.amount",
            "amount_residual_signed": "g.amount",
            **({"mandate_id": "g.mandate_id"} if "mandate_id" in invoice._fields else {}),
        },
    )
    line_names = {"move_name": "g.move_name", "partner_id": "g.partner_id", "move_id": "g.move_id"}
    source = (
        "SELECT g.*, m.name AS move_name"
        " FROM bench_customers g JOIN account_move m ON m.id = g.move_id"
    )
    for line in invoice.line_ids:
        sign = 1 if line.balance > 0 else -1
        amounts = {
            "balance": f"{sign} * g.amount",
            "amount_currency": f"{sign} * g.amount",
            "debit": "g.amount" if sign > 0 else "0",
            "credit": "0" if sign > 0 else "g.amount",
        }
        if line.display_type == "payment_term":
            amounts |= {"amount_residual": "g.amount", "amount_residual_currency": "g.amount"}
        else:
            amounts |= {
                "price_unit": "g.amount",
                "price_subtotal": "g.amount",
                "price_total": "g.amount",
            }
        clone(
            cr,
            "account_move_line",
            line.id,
            source,
            {**line_names, **amounts},
        )
    cr.execute("ANALYZE")
    env.invalidate_all()
    cr.execute("SELECT partner_id, mandate_id, move_id FROM bench_customers ORDER BY n")
    rows = cr.fetchall()
    partners = partner | env["res.partner"].browse([r[0] for r in rows])
    mandates = mandate | env[model].browse([r[1] for r in rows])
    invoices = invoice | env["account.move"].browse([r[2] for r in rows])
    check_copies(env, invoices)
    return partners, mandates, invoices


def check_copies(env, invoices):
    """The copies' stored amounts are what Odoo computes from their lines (a sample)."""
    sample = invoices[:: max(1, len(invoices) // 50)]
    fields_ = ["amount_total", "amount_residual", "amount_residual_signed", "payment_state"]
    stored = [tuple(m[f] for f in fields_) for m in sample]
    env.invalidate_all()
    for field in fields_:
        env.add_to_compute(sample._fields[field], sample)
    computed = [tuple(m[f] for f in fields_) for m in sample]
    assert stored == computed, (stored[:3], computed[:3])
    lines = sample.line_ids
    assert all(sum(m.line_ids.mapped("balance")) == 0 for m in sample)
    assert len(lines) == 2 * len(sample)
    env.invalidate_all()


def backend_cpu(cr):
    """CPU seconds (user + system) of the PostgreSQL backend serving this cursor."""
    cr.execute("SELECT pg_backend_pid()")
    pid = cr.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pg_exec_reset(cr):
    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    cr.execute("SELECT pg_stat_statements_reset()")


def pg_exec_total(cr, top_file=None):
    """Seconds PostgreSQL spent executing this database's statements since the reset; the
    slowest statements go to top_file when profiling."""
    cr.execute(
        "SELECT total_exec_time, calls, rows, left(query, 300) FROM pg_stat_statements"
        " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND query NOT LIKE '%%pg_stat_statements%%' ORDER BY total_exec_time DESC"
    )
    rows = cr.fetchall()
    if top_file:
        top_file.write_text(
            "\n".join(
                f"{ms:10.1f} ms {calls:6d} calls {n:7d} rows  {q}" for ms, calls, n, q in rows[:25]
            )
        )
    return sum(row[0] for row in rows) / 1000


def load_average():
    """The machine's load average (1, 5, 15 minutes), as uptime shows it."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def new_run():
    """The figures of one measured run: its phases and the load average around them."""
    return {"phases": {}, "load": {"before": load_average()}}


def timed(env, run, name, func):
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    pg_exec_reset(cr)
    pg_cpu = backend_cpu(cr)
    queries = cr.sql_log_count
    start = time.perf_counter()
    cpu = time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile  # noqa: PLC0415
        import io  # noqa: PLC0415
        import pstats  # noqa: PLC0415

        profile = cProfile.Profile()

        def func_and_flush():
            value = func()
            env.flush_all()
            return value

        result = profile.runcall(func_and_flush)
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("cumtime").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumtime").print_callers("_search|_compute_payment_state|_compute_amount")
        Path(os.environ["BENCH_PROFILE"] + f".{len(run['phases'])}.txt").write_text(text.getvalue())
    else:
        result = func()
    env.flush_all()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    queries = cr.sql_log_count - queries
    pg_cpu = backend_cpu(cr) - pg_cpu
    top = os.environ.get("BENCH_PROFILE")
    pg_exec = pg_exec_total(cr, Path(top + f".{len(run['phases'])}.sql.txt") if top else None)
    run["phases"][name] = (wall, queries, cpu, pg_cpu, pg_exec)
    run["load"][name] = load_average()
    return result


def bench_ours(env, data, n):
    import datetime  # noqa: PLC0415

    data["company"].write(
        {"crm_sepa_creditor_identifier": CREDITOR_ID, "crm_sepa_journal_id": data["journal"].id}
    )
    _partners, _mandates, invoices = make_customers(
        env,
        data,
        n,
        (
            "crm.sepa.mandate",
            "crm_sepa_mandate",
            lambda i, p, b: {
                "name": f"BM-{i:06d}",
                "partner_id": p.id,
                "bank_account_id": b.id,
                "signature_date": datetime.date(2025, 1, 15),
            },
            {
                "name": "'BM-0' || g.num",
                "partner_id": "g.partner_id",
                "commercial_partner_id": "g.partner_id",
                "bank_account_id": "g.bank_id",
            },
        ),
    )
    env.invalidate_all()
    run = new_run()
    # measured as a user's click runs it: no tracking or chatter switches in the context
    Batch = env(context={})["crm.sepa.batch"]
    result = timed(
        env, run, "batch creation + pain.008 with XSD + in payment", Batch.create_debit_batches
    )
    batches = Batch.browse(result["batch_ids"])
    assert not result["errors"], result["errors"][:3]
    assert sum(batches.mapped("line_count")) == n
    assert set(invoices.mapped("payment_state")) == {"in_payment"}
    timed(env, run, "confirm: one entry, reconcile all", batches.action_confirm)
    assert all(invoices.mapped(lambda m: m.amount_residual == 0))
    return run


def make_realistic(env, data, n):
    """n customers with a bank account and an active mandate, one posted invoice each made
    by the ORM: three lines over two tax rates (19 % and 7 %); every tenth in US dollars
    (SEPA refuses it, reported per invoice), every tenth of the others half paid by Odoo's
    payment registration before the debit (booked by the ORM path, the rest by the fast
    path)."""
    import datetime  # noqa: PLC0415

    from odoo.fields import Command  # noqa: PLC0415

    company = data["company"]
    eur = data["eur"]
    usd = env.ref("base.USD")
    usd.active = True
    env["res.currency.rate"].create(
        {"currency_id": usd.id, "name": "2025-01-01", "rate": 1.1, "company_id": company.id}
    )
    Tax = env["account.tax"]
    standard = Tax.create({"name": "19 %", "amount": 19.0, "type_tax_use": "sale"})
    reduced = Tax.create({"name": "7 %", "amount": 7.0, "type_tax_use": "sale"})
    partners = env["res.partner"].create(
        [{"name": f"Kunde {i:05d} GmbH", "is_company": True} for i in range(n)]
    )
    banks = env["res.partner.bank"].create(
        [
            {"acc_number": iban, "partner_id": partner.id}
            for partner, iban in zip(partners, data["ibans"], strict=True)
        ]
    )
    mandates = env["crm.sepa.mandate"].create(
        [
            {
                "partner_id": partner.id,
                "bank_account_id": bank.id,
                "signature_date": datetime.date(2025, 1, 15),
            }
            for partner, bank in zip(partners, banks, strict=True)
        ]
    )
    mandates.action_activate()
    today = datetime.date.today()
    invoices = env["account.move"]
    for start in range(0, n, 500):
        invoices |= env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - datetime.timedelta(days=20),
                    "invoice_date_due": today - datetime.timedelta(days=1),
                    "currency_id": (usd if i % 10 == 9 else eur).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": name,
                                "quantity": quantity,
                                "price_unit": price + i % 97,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for name, quantity, price, tax in (
                            ("Wartung", 1.5, 72.5, standard),
                            ("Material", 3, 12.99, standard),
                            ("Fachbuch", 1, 29.9, reduced),
                        )
                    ],
                }
                for i, partner in enumerate(partners[start : start + 500], start=start)
            ]
        )
    invoices.action_post()
    partial = invoices.filtered(lambda m: m.currency_id == eur)[::10]
    for invoice in partial:
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": round(invoice.amount_total / 2, 2), "payment_date": today}
        )._create_payments()
    env.flush_all()
    assert set(partial.mapped("payment_state")) == {"partial"}
    env.cr.execute("ANALYZE")
    env.invalidate_all()
    return invoices, usd, partial


def bench_realistic(env, data, n):
    """Three variants on the same realistic invoices, one after the other in this process,
    each rolled back to the same savepoint: Odoo's own payment registration (the anchor),
    our SEPA run on its ORM paths (context crm_fast_path=False, as CRM_FASTPATH=0), and
    on its fast paths."""
    import contextlib  # noqa: PLC0415

    data["company"].write(
        {"crm_sepa_creditor_identifier": CREDITOR_ID, "crm_sepa_journal_id": data["journal"].id}
    )
    started = time.perf_counter()
    invoices, usd, partial = make_realistic(env, data, n)
    setup = time.perf_counter() - started
    foreign = invoices.filtered(lambda m: m.currency_id == usd)
    debited = invoices - foreign
    measure = {"anchor": realistic_anchor, "orm": realistic_ours, "fast": realistic_ours}
    variants = {}
    for name, func in measure.items():
        with contextlib.closing(env.cr.savepoint()):
            variants[name] = func(env, data, name, debited, foreign)
        env.invalidate_all()
    return {
        "variants": variants,
        "foreign": len(foreign),
        "partial": len(partial),
        "setup": setup,
        "anchor_payments_with_entry": variants["anchor"].pop("payments_with_entry"),
    }


def realistic_ours(env, data, name, debited, foreign):
    """Our SEPA run as a user's click runs it (no tracking or chatter switches in the
    context), with the fast paths on ("fast") or off ("orm")."""
    run = new_run()
    context = {} if name == "fast" else {"crm_fast_path": False}
    Batch = env(context=context)["crm.sepa.batch"]
    result = timed(
        env, run, "batch creation + pain.008 with XSD + in payment", Batch.create_debit_batches
    )
    batches = Batch.browse(result["batch_ids"])
    assert {e["invoice_id"] for e in result["errors"]} == set(foreign.ids), result["errors"][:3]
    assert sum(batches.mapped("line_count")) == len(debited)
    assert set(debited.with_env(env).mapped("payment_state")) == {"in_payment"}
    timed(env, run, "confirm: one entry, reconcile all", batches.action_confirm)
    settled(env, debited)
    return run


def realistic_anchor(env, data, name, debited, foreign):
    """Odoo's own way to book the payments of these invoices: the payment registration
    wizard over all of them (one payment per invoice, posted, reconciled with the invoice
    by Odoo), into the same bank journal, as a user's click runs it."""
    run = new_run()
    user_env = env(context={})

    def register():
        return (
            user_env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=debited.ids)
            .create(
                {
                    "payment_date": debited[0].invoice_date_due,
                    "journal_id": data["journal"].id,
                    "group_payment": False,
                }
            )
            ._create_payments()
        )

    payments = timed(env, run, "register payments: one per invoice, posted, reconciled", register)
    assert len(payments) == len(debited)
    run["payments_with_entry"] = len(payments.filtered("move_id"))
    settled(env, debited)
    return run


def settled(env, debited):
    """Every debited invoice is settled: nothing left to pay, "in payment" (or "paid")."""
    debited = debited.with_env(env)
    assert all(debited.mapped(lambda m: m.amount_residual == 0))
    assert set(debited.mapped("payment_state")) <= {"in_payment", "paid"}


def bench_oca(env, data, n):
    import datetime  # noqa: PLC0415

    company = data["company"]
    company.sepa_creditor_identifier = CREDITOR_ID
    method = env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
    journal = data["journal"]
    journal.write({"inbound_payment_method_line_ids": [(0, 0, {"payment_method_id": method.id})]})
    mode = env["account.payment.mode"].create(
        {
            "name": "SEPA Direct Debit",
            "company_id": company.id,
            "payment_method_id": method.id,
            "bank_account_link": "fixed",
            "fixed_journal_id": journal.id,
        }
    )
    data["invoice_extra"] = lambda i, mandate: {
        "payment_mode_id": mode.id,
        "mandate_id": mandate.id,
    }
    _partners, _mandates, invoices = make_customers(
        env,
        data,
        n,
        (
            "account.banking.mandate",
            "account_banking_mandate",
            lambda i, p, b: {
                "format": "sepa",
                "type": "recurrent",
                "recurrent_sequence_type": "first",
                "signature_date": datetime.date(2025, 1, 15),
                "partner_bank_id": b.id,
                "company_id": company.id,
                "state": "valid",
                "unique_mandate_reference": f"BM-{i:06d}",
            },
            {
                "unique_mandate_reference": "'BM-0' || g.num",
                "partner_id": "g.partner_id",
                "partner_bank_id": "g.bank_id",
            },
        ),
    )
    env.invalidate_all()
    run = new_run()
    # measured as a user's click runs it: no tracking or chatter switches in the context
    env = env(context={})
    invoices = invoices.with_env(env)
    mode = mode.with_env(env)
    Order = env["account.payment.order"]

    def create_order():
        order = Order.create({"payment_type": "inbound", "payment_mode_id": mode.id})
        lines = invoices.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        lines.create_payment_line_from_move_line(order)
        return order

    order = timed(env, run, "payment order with payment lines", create_order)
    assert len(order.payment_line_ids) == n
    timed(env, run, "confirm (draft2open: payments)", order.draft2open)
    timed(env, run, "generate file (open2generated)", order.open2generated)
    timed(env, run, "uploaded (post + reconcile)", order.generated2uploaded)
    assert order.state == "uploaded"
    return run


if __name__ == "__main__":
    sys.exit(main())
