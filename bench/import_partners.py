"""Customer import from another system: N partners (default 100,000; a fifth of them contact
persons of the companies) through Odoo's own import (base_import, in batches of 2,000 rows as
the import screen sends them) with the CRM Suite template's columns (debtor and creditor
numbers, bank account with IBAN, birthday, tags) into a database with crm_core, against
Odoo's plain partner import of the same rows (only the columns plain Odoo has) into a
database with the same Odoo modules but without the CRM Suite (contacts, account, project,
base_iban: crm_core's dependencies) - the anchor.

    .venv/bin/python bench/import_partners.py                 # throwaway databases
    .venv/bin/python bench/import_partners.py --rows 5000     # fewer rows
    .venv/bin/python bench/import_partners.py --db NAME --anchor-db NAME2   # existing ones

Prints wall time, the Odoo process's CPU time and the number and time of SQL statements of
each. Runs on the embedded PostgreSQL of the project (.local/pgdata-bench) unless PG*
variables name a server.
"""

import argparse
import csv
import io
import time
from pathlib import Path

OUR_COLUMNS = [
    "id",
    "name",
    "is_company",
    "parent_id/id",
    "function",
    "street",
    "zip",
    "city",
    "country_id",
    "phone",
    "email",
    "crm_birthday",
    "category_id",
    "customer_rank",
    "ref",
    "crm_debtor_number",
    "bank_ids/acc_number",
    "bank_ids/acc_holder_name",
]
PLAIN_COLUMNS = [
    "id",
    "name",
    "is_company",
    "parent_id/id",
    "function",
    "street",
    "zip",
    "city",
    "country_id",
    "phone",
    "email",
    "category_id",
    "customer_rank",
    "ref",
]
CITIES = [
    ("DE", "Hauptstraße", "10115", "Berlin"),
    ("DE", "Leopoldstraße", "80802", "München"),
    ("CZ", "Václavské náměstí", "110 00", "Praha"),
    ("AT", "Mariahilfer Straße", "1070", "Wien"),
]
OPTIONS = {
    "has_headers": True,
    "separator": ",",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": False,
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {"category_id": True},
}


def german_iban(number):
    """A valid German IBAN for bank code 37040044 and account `number`."""
    bban = f"37040044{number:010d}"
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def rows(count, prefix, offset):
    companies = count * 4 // 5
    for i in range(count):
        if i < companies:
            code, street, zip_code, city = CITIES[i % len(CITIES)]
            yield {
                "id": f"{prefix}_c{i}",
                "name": f"Kunde {i} Müller & Řezníček GmbH",
                "is_company": "1",
                "parent_id/id": "",
                "function": "",
                "street": f"{street} {i % 300 + 1}",
                "zip": zip_code,
                "city": city,
                "country_id": code,
                "phone": f"+49 30 {1000000 + i}",
                "email": f"info{i}@{prefix}.example",
                "crm_birthday": "",
                "category_id": "Import" if i % 3 else "Import,Stammkunde",
                "customer_rank": "1",
                "ref": f"{prefix}-{i}",
                "crm_debtor_number": str(offset + i),
                "bank_ids/acc_number": german_iban(offset + i),
                "bank_ids/acc_holder_name": f"Kunde {i}",
            }
        else:
            parent = i % companies
            yield {
                "id": f"{prefix}_p{i}",
                "name": f"Person {i} Dvořák",
                "is_company": "0",
                "parent_id/id": f"{prefix}_c{parent}",
                "function": "Einkauf",
                "street": "",
                "zip": "",
                "city": "",
                "country_id": "",
                "phone": f"+49 171 {2000000 + i}",
                "email": f"person{i}@{prefix}.example",
                "crm_birthday": f"19{60 + i % 40}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                "category_id": "",
                "customer_rank": "0",
                "ref": "",
                "crm_debtor_number": "",
                "bank_ids/acc_number": "",
                "bank_ids/acc_holder_name": "",
            }


def csv_batches(columns, count, prefix, offset, batch):
    """CSV files of `batch` rows each (companies first, so persons find their company)."""
    all_rows = list(rows(count, prefix, offset))
    for start in range(0, count, batch):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(all_rows[start : start + batch])
        yield buffer.getvalue().encode()


def import_rows(env, columns, count, prefix, offset, batch, progress=None):
    """Import the rows; return (wall seconds, partners, process CPU seconds, SQL statements,
    SQL seconds)."""
    from odoo.sql_db import Cursor  # noqa: PLC0415

    sql = {"count": 0, "seconds": 0.0}
    execute = Cursor.execute

    def timed(cursor, query, params=None, log_exceptions=True):
        started = time.perf_counter()
        try:
            return execute(cursor, query, params, log_exceptions)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - started

    Cursor.execute = timed
    started = time.perf_counter()
    cpu = time.process_time()
    imported = 0
    try:
        for data in csv_batches(columns, count, prefix, offset, batch):
            importer = env["base_import.import"].create(
                {
                    "res_model": "res.partner",
                    "file": data,
                    "file_type": "text/csv",
                    "file_name": f"{prefix}.csv",
                }
            )
            result = importer.execute_import(columns, columns, dict(OPTIONS))
            if result["messages"]:
                raise RuntimeError(result["messages"][:3])
            imported += len(result["ids"])
            env.cr.commit()
            env.invalidate_all()
            if progress:
                with open(progress, "a") as log:
                    log.write(f"{prefix} {imported} {time.perf_counter() - started:.1f}\n")
    finally:
        Cursor.execute = execute
    return (
        time.perf_counter() - started,
        imported,
        time.process_time() - cpu,
        sql["count"],
        sql["seconds"],
    )


def measure_plain(env, rows_count, batch, progress=None):
    env = env(context=dict(env.context, tracking_disable=True))
    seconds, imported, cpu, statements, sql_s = import_rows(
        env, PLAIN_COLUMNS, rows_count, "plain", 200000, batch, progress
    )
    return {"s": seconds, "n": imported, "cpu": cpu, "sql": statements, "sql_s": sql_s}


def measure_ours(env, rows_count, batch, progress=None):
    env = env(context=dict(env.context, tracking_disable=True))
    seconds, imported, cpu, statements, sql_s = import_rows(
        env, OUR_COLUMNS, rows_count, "ours", 400000, batch, progress
    )
    banks = env["res.partner.bank"].search_count([("partner_id.ref", "=like", "ours-%")])
    numbers = env["crm.partner.number"].search_count([("name", ">=", "400000")])
    return {
        "s": seconds,
        "n": imported,
        "cpu": cpu,
        "sql": statements,
        "sql_s": sql_s,
        "bank_accounts": banks,
        "debtor_numbers": numbers,
    }


def main():
    import _odoo_shell as _odoo  # noqa: PLC0415

    _odoo.ensure_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing database with crm_core (ours)")
    parser.add_argument("--anchor-db", help="an existing database without the CRM Suite")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--progress", help="append 'kind rows seconds' per batch to this file")
    args = parser.parse_args()
    kwargs = {"rows_count": args.rows, "batch": args.batch, "progress": args.progress}
    anchor_addons = ("contacts", "account", "project", "base_iban")
    with _odoo.BenchDatabase(
        args.anchor_db, addons=anchor_addons, default="crm_bench_anchor"
    ) as db:
        plain = db.run(Path(__file__), "measure_plain", **kwargs)
    with _odoo.BenchDatabase(args.db) as db:
        ours = db.run(Path(__file__), "measure_ours", **kwargs)
    print(f"rows: {args.rows} (batches of {args.batch}, like the import screen)")
    for label, r in (
        ("Odoo plain partner import (anchor, no CRM Suite)", plain),
        ("CRM Suite template (our columns, crm_core)", ours),
    ):
        print(
            f"{label}: wall {r['s']:.1f} s, Odoo CPU {r['cpu']:.1f} s, "
            f"{r['sql']} SQL statements ({r['sql_s']:.1f} s), {r['n']} partners "
            f"({r['n'] / r['s']:,.0f}/s)"
        )
    print(f"  ours: {ours['bank_accounts']} bank accounts, {ours['debtor_numbers']} debtor numbers")
    print(
        f"ratio ours / anchor: wall {ours['s'] / plain['s']:.2f}, "
        f"CPU {ours['cpu'] / plain['cpu']:.2f}, SQL statements {ours['sql'] / plain['sql']:.2f}"
    )


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
