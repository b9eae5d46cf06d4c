#!/usr/bin/env python3
"""Benchmark: DATEV export of a year with 100,000 invoice lines (target < 20 s).

    python3 bench/datev_export.py                      # throwaway database, dropped afterwards
    python3 bench/datev_export.py --invoices 2500      # a tenth
    python3 bench/datev_export.py --db NAME            # an existing database (nothing committed)

A German company on SKR03 (l10n_de) gets `--customers` customers with debtor numbers and
`--invoices` posted invoices spread over 2026, each with four product lines (8400 19 % twice,
8300 7 %, 8200 19 % with tax key 3), its two tax lines and its receivable: one template
invoice made with the ORM, cloned with INSERT ... SELECT. Then it measures the export of
the year from crm.datev.export (twelve monthly Buchungsstapel and the Debitoren/Kreditoren
in one ZIP): wall time, CPU time of the Odoo process and of the PostgreSQL backend, SQL
statements. Afterwards (not measured) it checks every file against the EXTF field rules and
the totals DATEV would post per account against the trial balance of the year.
"""

import argparse
import base64
import datetime
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

LINES = [("8400", "tax_ust_19_skr03", 120.0), ("8400", "tax_ust_19_skr03", 35.5)]
LINES += [("8300", "tax_ust_7_skr03", 49.9), ("8200", "tax_ust_19_skr03", 10.03)]


def setup_company(env):
    from odoo.fields import Command  # noqa: PLC0415

    company = env["res.company"].create(
        {
            "name": "Bench DATEV GmbH",
            "country_id": env.ref("base.de").id,
            "currency_id": env.ref("base.EUR").id,
        }
    )
    env["account.chart.template"].try_loading("de_skr03", company=company, install_demo=False)
    company.write({"crm_datev_consultant_number": 1234567, "crm_datev_client_number": 10001})
    env.user.company_ids += company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    Account = env["account.account"]
    ref = env["account.chart.template"].with_company(company).ref
    partner = env["res.partner"].create(
        {"name": "Bench Kunde", "is_company": True, "city": "Dresden", "customer_rank": 1}
    )
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": datetime.date(2026, 1, 1),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Position {n}",
                        "account_id": Account.search(
                            [*Account._check_company_domain(company), ("code", "=", code)]
                        ).id,
                        "price_unit": price,
                        "tax_ids": [Command.set(ref(tax).ids)],
                    }
                )
                for n, (code, tax, price) in enumerate(LINES)
            ],
        }
    )
    move.action_post()
    env.flush_all()
    return env, company, partner, move


def make_data(env, partner, move, customers, invoices):
    import _data  # noqa: PLC0415

    cr = env.cr
    first, last = _data.make_partners(cr, partner, customers, "Bench DATEV Kunde")
    partners = env["res.partner"].browse(range(first, last + 1))
    partners._crm_assign_numbers("debtor")
    cr.execute("DROP TABLE IF EXISTS bench_moves")
    cr.execute(
        """CREATE TEMP TABLE bench_moves AS
           SELECT n, nextval('account_move_id_seq') AS id,
                  %(first)s + (n * 7919) %% (%(last)s - %(first)s + 1) AS partner_id,
                  DATE '2026-01-01' + (n %% 365) AS date
             FROM generate_series(1, %(invoices)s) n""",
        {"first": first, "last": last, "invoices": invoices},
    )
    name = "'BENCH/2026/' || lpad(g.n::text, 6, '0')"
    _data.clone(
        cr,
        "account_move",
        move.id,
        "SELECT * FROM bench_moves",
        {
            "id": "g.id",
            "name": name,
            "payment_reference": name,
            "partner_id": "g.partner_id",
            "commercial_partner_id": "g.partner_id",
            "partner_shipping_id": "g.partner_id",
            "date": "g.date",
            "invoice_date": "g.date",
            "invoice_date_due": "g.date + 14",
            "sequence_number": "g.n + 1",
            "inalterable_hash": "NULL",
            "secure_sequence_number": "NULL",
        },
    )
    cr.execute("SELECT id FROM account_move_line WHERE move_id = %s ORDER BY id", [move.id])
    for (line_id,) in cr.fetchall():
        cr.execute("SELECT max(id) FROM account_move_line")
        before = cr.fetchone()[0]
        _data.clone(
            cr,
            "account_move_line",
            line_id,
            "SELECT * FROM bench_moves",
            {
                "move_id": "g.id",
                "move_name": name,
                "partner_id": "g.partner_id",
                "date": "g.date",
                "invoice_date": "g.date",
                "date_maturity": "g.date + 14",
            },
        )
        cr.execute(
            """INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id)
               SELECT l.id, r.account_tax_id
                 FROM account_move_line l
                 JOIN account_move_line_account_tax_rel r ON r.account_move_line_id = %s
                WHERE l.id > %s""",
            [line_id, before],
        )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner")
    env.invalidate_all()


def key_tables(env, company):
    keys, automatic = {}, {}
    for tax in env["account.tax"].search([("company_id", "=", company.id)]):
        account = tax.invoice_repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax"
        ).account_id[:1]
        if tax.l10n_de_datev_code:
            keys[tax.l10n_de_datev_code] = (Decimal(str(tax.amount)), account.code or "")
    Account = env["account.account"]
    for account in Account.search(
        [*Account._check_company_domain(company), ("tax_ids", "!=", False)]
    ):
        tax = account.tax_ids.filtered(lambda t: t.company_id == company)[:1]
        tax_account = tax.invoice_repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax"
        ).account_id[:1]
        automatic[account.code] = (Decimal(str(tax.amount)), tax_account.code or "")
    return keys, automatic


def trial_balance(env, company):
    cr = env.cr
    cr.execute(
        """SELECT l.account_id, a.account_type, n.name, sum(round(l.balance * 100))::bigint
             FROM account_move_line l
             JOIN account_move m ON m.id = l.move_id
             JOIN account_account a ON a.id = l.account_id
             LEFT JOIN res_partner p ON p.id = l.partner_id
             LEFT JOIN crm_partner_number n ON n.partner_id = p.commercial_partner_id
                  AND n.company_id = m.company_id AND n.kind = 'debtor'
            WHERE m.company_id = %s AND m.state = 'posted'
              AND m.date BETWEEN '2026-01-01' AND '2026-12-31'
            GROUP BY 1, 2, 3""",
        [company.id],
    )
    totals = {}
    for account_id, account_type, number, cents in cr.fetchall():
        code = (
            number
            if account_type == "asset_receivable"
            else env["account.account"].browse(account_id).code
        )
        totals[code] = totals.get(code, 0) + cents
    return {code: cents for code, cents in totals.items() if cents}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--invoices", type=int, default=25000)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--profile", help="write a cProfile of the export to this file")
    args = parser.parse_args()
    print(
        f"load before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    with _odoo.odoo_env(args.db, addons="crm_billing_sepa,l10n_de") as (env, registry):
        from odoo.addons.crm_billing_sepa.tools import datev as datev_tools  # noqa: PLC0415
        from odoo.addons.crm_core.tools.formats import datev as extf  # noqa: PLC0415

        env, company, partner, move = setup_company(env)
        make_data(env, partner, move, args.customers, args.invoices - 1)
        if not args.db:
            env.cr.commit()
        lines = args.invoices * len(LINES)
        print(
            f"data: {args.invoices:,} invoices with {lines:,} invoice lines, "
            f"{args.customers:,} customers"
        )
        export = env["crm.datev.export"].create(
            {
                "company_id": company.id,
                "date_from": datetime.date(2026, 1, 1),
                "date_to": datetime.date(2026, 12, 31),
            }
        )
        env.flush_all()
        profile = None
        if args.profile:
            import cProfile  # noqa: PLC0415

            profile = cProfile.Profile()
        with _odoo.Timer(env.cr) as timer:
            if profile:
                profile.enable()
            export.action_export()
            env.flush_all()
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
        print(
            f"DATEV export of the year: {timer}; {export.booking_count:,} bookings, "
            f"{export.move_count:,} journal entries, {export.partner_count:,} debtors; "
            f"target < 20 s: {'met' if timer.seconds < 20 else 'MISSED'}"
        )
        data = base64.b64decode(export.file)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        findings = sum(len(extf.check(content)) for content in files.values())
        keys, automatic = key_tables(env, company)
        posted = {}
        for name, content in files.items():
            if "Buchungsstapel" in name:
                for account, cents in datev_tools.account_totals(content, keys, automatic).items():
                    posted[account] = posted.get(account, 0) + cents
        posted = {account: cents for account, cents in posted.items() if cents}
        expected = trial_balance(env, company)
        print(
            f"checks: {len(files)} files, {len(data) / 1e6:.1f} MB ZIP, {findings} breaches of "
            f"the EXTF field rules; totals per account equal the trial balance: "
            f"{posted == expected} ({len(expected)} accounts)"
        )
        env.cr.rollback()
    print(
        f"load after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )


if __name__ == "__main__":
    main()
