"""Customer import from another system: N partners (default 100,000; a fifth of them contact
persons of the companies) through Odoo's own import (base_import, in batches of 2,000 rows as
the import screen sends them) with the CRM Suite template's columns (debtor and creditor
numbers, bank account with IBAN, birthday, tags), against Odoo's plain partner import of the
same rows (only the columns plain Odoo has), in the same database.

    .venv/bin/python bench/import_partners.py                 # throwaway database
    .venv/bin/python bench/import_partners.py --rows 10000    # fewer rows
    .venv/bin/python bench/import_partners.py --db NAME       # an existing crm_core database

Runs on the embedded PostgreSQL of the project (.local/pgdata-bench) unless PG* variables
name a server.
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
    started = time.perf_counter()
    imported = 0
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
    return time.perf_counter() - started, imported


def measure(env, rows_count, batch, progress=None):
    env = env(context=dict(env.context, tracking_disable=True))
    plain_s, plain_n = import_rows(env, PLAIN_COLUMNS, rows_count, "plain", 200000, batch, progress)
    ours_s, ours_n = import_rows(env, OUR_COLUMNS, rows_count, "ours", 400000, batch, progress)
    banks = env["res.partner.bank"].search_count([("partner_id.ref", "=like", "ours-%")])
    numbers = env["crm.partner.number"].search_count([("name", ">=", "400000")])
    return {
        "rows": rows_count,
        "plain_s": plain_s,
        "plain_n": plain_n,
        "ours_s": ours_s,
        "ours_n": ours_n,
        "bank_accounts": banks,
        "debtor_numbers": numbers,
    }


def main():
    import _odoo_shell as _odoo  # noqa: PLC0415

    _odoo.ensure_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--progress", help="append 'kind rows seconds' per batch to this file")
    args = parser.parse_args()
    with _odoo.BenchDatabase(args.db) as db:
        r = db.run(
            Path(__file__),
            "measure",
            rows_count=args.rows,
            batch=args.batch,
            progress=args.progress,
        )
    print(f"rows: {r['rows']} (batches of {args.batch}, like the import screen)")
    print(
        f"Odoo plain partner import:         {r['plain_s']:8.1f} s  {r['plain_n']} partners "
        f"({r['plain_n'] / r['plain_s']:,.0f}/s)"
    )
    print(
        f"CRM Suite template (our columns):  {r['ours_s']:8.1f} s  {r['ours_n']} partners "
        f"({r['ours_n'] / r['ours_s']:,.0f}/s), {r['bank_accounts']} bank accounts, "
        f"{r['debtor_numbers']} debtor numbers"
    )
    print(f"ratio (ours / plain): {r['ours_s'] / r['plain_s']:.2f}")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
