"""Benchmark: the customer import's preview (crm.partner.import) of N rows (default 50,000)
with duplicate detection against M existing customers (default 200,000); target < 60 s.
The anchor, in the same run and database: Odoo's own import (base_import, in batches of
2,000 rows as the import screen sends them) of the same rows with the same columns, which
detects no duplicates; rolled back afterwards.

    .venv/bin/python bench/import_preview.py                        # throwaway database
    .venv/bin/python bench/import_preview.py --rows 5000 --existing 20000
    .venv/bin/python bench/import_preview.py --db NAME              # an existing one

The existing customers are cloned from one made with the ORM (INSERT ... SELECT), with an
e-mail, a phone number, a VAT id on every third, a city; their identifiers (crm_core's
identifier table) are built by its own batch sync (not measured). The file is a German CSV
export (Firma;Straße;PLZ;Ort;Land;Telefon;E-Mail;USt-IdNr.;IBAN): 40 % of its rows match an
existing customer (by VAT id, e-mail, phone or name and city, in turn), 1 % carry an invalid
IBAN, the rest are new. Prints wall time, CPU time of the Odoo process and of the
PostgreSQL backend, SQL statements, and the preview's counts per state.
"""

import argparse
import base64
import csv
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _odoo, _data (also in odoo shell)

CITIES = [
    ("DE", "Hauptstraße", "01067", "Dresden"),
    ("DE", "Leopoldstraße", "80802", "München"),
    ("DE", "Königsallee", "40212", "Düsseldorf"),
    ("AT", "Mariahilfer Straße", "1070", "Wien"),
]
HEADINGS = ["Firma", "Straße", "PLZ", "Ort", "Land", "Telefon", "E-Mail", "USt-IdNr.", "IBAN"]
ODOO_COLUMNS = [
    "name",
    "street",
    "zip",
    "city",
    "country_id",
    "phone",
    "email",
    "vat",
    "bank_ids/acc_number",
]
OPTIONS = {
    "has_headers": True,
    "separator": ";",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ".",
    "float_decimal_separator": ",",
    "advanced": False,
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
}


def german_iban(number):
    bban = f"37040044{number:010d}"
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def german_vat(number):
    """A German VAT id with its check digit (ISO 7064 MOD 11,10)."""
    body = f"{10000000 + number:08d}"
    product = 10
    for digit in body:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return f"DE{body}{(11 - product) % 10}"


def existing_customers(env, count):
    """`count` customers cloned from one made with the ORM; their identifiers synced."""
    import _data  # noqa: PLC0415

    cr = env.cr
    template = env["res.partner"].create(
        {
            "name": "Bestand Vorlage GmbH",
            "is_company": True,
            "customer_rank": 1,
            "country_id": env.ref("base.de").id,
        }
    )
    env.flush_all()
    city = "(ARRAY['Dresden','München','Düsseldorf','Wien'])[mod(g.n, 4) + 1]"
    _data.clone(
        cr,
        "res_partner",
        template.id,
        "SELECT n, nextval('res_partner_id_seq') AS id FROM generate_series(1, %(count)s) n",
        {
            "id": "g.id",
            "name": "'Bestand ' || g.n || ' GmbH'",
            "complete_name": "'Bestand ' || g.n || ' GmbH'",
            "commercial_partner_id": "g.id",
            "city": city,
            "email": "'kunde' || g.n || '@bestand.example'",
            "phone": "'+49 351 ' || (1000000 + g.n)",
            "vat": "NULL",
            "crm_class_id": "NULL",
            "crm_class_manual": "NULL",
            "crm_abc_revenue": "NULL",
        },
        {"count": count},
    )
    cr.execute(
        "SELECT id, name FROM res_partner WHERE name LIKE %s ORDER BY id", ["Bestand % GmbH"]
    )
    rows = cr.fetchall()
    numbers = [(pid, int(name.split()[1])) for pid, name in rows if "Vorlage" not in name]
    from psycopg2.extras import execute_values  # noqa: PLC0415

    execute_values(
        cr,
        "UPDATE res_partner p SET vat = v.vat FROM (VALUES %s) v(vat, id) WHERE p.id = v.id",
        [(german_vat(n), pid) for pid, n in numbers if n % 3 == 1],
        page_size=10000,
    )
    env.invalidate_all()
    started = time.perf_counter()
    env["crm.partner.identifier"]._sync_partners([pid for pid, _name in rows])
    env.flush_all()
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE crm_partner_identifier")
    return len(rows), time.perf_counter() - started


def file_rows(rows, existing):
    """The rows of the file: of every ten, one duplicate each by VAT id, e-mail, phone, and
    name and city (40 % of all); one in a hundred with a broken IBAN; the rest new."""
    for i in range(rows):
        code, street, zip_code, city = CITIES[i % len(CITIES)]
        name, email, phone = f"Neukunde {i} GmbH", f"info{i}@neu.example", f"+49 30 {2000000 + i}"
        vat, iban = "", german_iban(500000 + i)
        n = (i * 7919) % existing + 1  # an existing customer
        kind = i % 10
        if kind == 0:  # same VAT id (existing customers 1, 4, 7, ... have one)
            n = n - (n - 1) % 3
            vat = german_vat(n)
        elif kind == 1:
            email = f"kunde{n}@bestand.example"
        elif kind == 2:
            phone = f"+49 (351) {1000000 + n}"
        elif kind == 3:
            name = f"Bestand {n} GmbH"
            code, street, zip_code, city = CITIES[n % 4]
        if i % 100 == 99:
            iban = iban[:-1] + str((int(iban[-1]) + 1) % 10)  # check digits no longer match
        yield [name, f"{street} {i % 300 + 1}", zip_code, city, code, phone, email, vat, iban]


def csv_file(rows, headings):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def measure(env, rows=50000, existing=200000, batch=2000):
    import _odoo  # noqa: PLC0415

    env = _odoo.bulk_env(env)
    made, sync_s = existing_customers(env, existing)  # nothing is committed
    data_rows = list(file_rows(rows, existing))
    content = csv_file(data_rows, HEADINGS)
    result = {"existing": made, "sync_s": sync_s, "rows": rows}

    # ours: the preview (nothing written but the wizard and its lines)
    with env.cr.savepoint() as savepoint, _odoo.Timer(env.cr) as ours:
        preview = env["crm.partner.import"].import_contacts(
            base64.b64encode(content), filename="kunden.csv", source="table", preview_only=True
        )
        savepoint.rollback()
    states = {}
    for line in preview["rows"]:
        states[line["state"]] = states.get(line["state"], 0) + 1
    result["ours"] = {
        "s": ours.seconds,
        "cpu": ours.cpu,
        "db_cpu": ours.db_cpu,
        "sql": ours.queries,
        "states": states,
        "source": preview["source"],
    }
    env.invalidate_all()

    # the anchor: Odoo's own import of the same rows, rolled back; without the rows with a
    # broken IBAN (Odoo refuses the whole batch of such a row)
    anchor_rows = [row for i, row in enumerate(data_rows) if i % 100 != 99]
    with env.cr.savepoint() as savepoint, _odoo.Timer(env.cr) as anchor:
        imported = 0
        for start in range(0, len(anchor_rows), batch):
            data = csv_file(anchor_rows[start : start + batch], ODOO_COLUMNS)
            importer = env["base_import.import"].create(
                {
                    "res_model": "res.partner",
                    "file": data,
                    "file_type": "text/csv",
                    "file_name": "kunden.csv",
                }
            )
            answer = importer.execute_import(ODOO_COLUMNS, ODOO_COLUMNS, dict(OPTIONS))
            if not answer["ids"]:
                raise RuntimeError(answer["messages"][:3])
            imported += len(answer["ids"])
        savepoint.rollback()
    result["anchor"] = {
        "s": anchor.seconds,
        "cpu": anchor.cpu,
        "db_cpu": anchor.db_cpu,
        "sql": anchor.queries,
        "imported": imported,
    }
    env.cr.rollback()
    return result


def main():
    import _odoo_shell  # noqa: PLC0415

    _odoo_shell.ensure_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing database with crm_core")
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--existing", type=int, default=200000)
    args = parser.parse_args()
    with _odoo_shell.BenchDatabase(args.db, addons=("crm_core", "base_import")) as db:
        r = db.run(Path(__file__), "measure", rows=args.rows, existing=args.existing)
    print(
        f"existing customers: {r['existing']:,} (identifiers synced in {r['sync_s']:.1f} s, "
        f"not measured); rows in the file: {r['rows']:,}"
    )
    ours, anchor = r["ours"], r["anchor"]
    print(
        f"preview with duplicate detection (crm.partner.import, source {ours['source']}): "
        f"wall {ours['s']:.1f} s, CPU Odoo {ours['cpu']:.1f} s + PostgreSQL "
        f"{ours['db_cpu']:.1f} s, {ours['sql']:,} SQL statements; rows: {ours['states']}"
    )
    print(
        f"anchor: Odoo's import of the same rows (base_import, batches of 2,000, no duplicate "
        f"detection, rolled back): wall {anchor['s']:.1f} s, CPU Odoo {anchor['cpu']:.1f} s + "
        f"PostgreSQL {anchor['db_cpu']:.1f} s, {anchor['sql']:,} SQL statements, "
        f"{anchor['imported']:,} partners"
    )
    print(f"ratio preview / anchor (wall): {ours['s'] / anchor['s']:.2f}")
    print(f"target: preview < 60 s: {'met' if ours['s'] < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
