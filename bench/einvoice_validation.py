#!/usr/bin/env python3
"""Benchmark: the e-invoices of 1,000 bulk service invoices, made and validated.

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/einvoice_validation.py                  # throwaway database, dropped after
    python3 bench/einvoice_validation.py --db NAME        # a database with crm_billing_sepa
                                                          # and l10n_de (nothing committed)
    python3 bench/einvoice_validation.py --invoices 200   # a smaller run

It creates a German company on SKR03 (l10n_de) with its VAT id, address and IBAN,
`--invoices` customers (with address, XRechnung as their format, every tenth a public
authority with its Leitweg-ID) and three open services each, invoices them through the
services wizard's bulk path (crm.service.invoice_services, one line per product) and posts
the invoices. Then, per invoice, it measures:
- generation: the XRechnung UBL, the XRechnung CII and the ZUGFeRD/Factur-X CII through
  Odoo's builders with crm_billing_sepa's fixes;
- validation: each of the three against XSD + EN 16931 + XRechnung (SaxonC-HE, in this
  process: the rules compiled once);
and checks that no e-invoice has an error. The anchor: validating one file per validator
start, as a command-line validator called once per invoice does (the rules compiled every
time), measured on `--anchor` invoices and extrapolated. It prints the figures and `uptime`.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

KINDS = ("xrechnung_ubl", "xrechnung_cii", "facturx")


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_company(env):
    """A German company on SKR03 with what an XRechnung needs from its seller."""
    from odoo.fields import Command  # noqa: PLC0415

    vals = {
        "name": "Bench Elbtal Handel GmbH",
        "country_id": env.ref("base.de").id,
        "currency_id": env.ref("base.EUR").id,
        "street": "Königsbrücker Straße 12",
        "zip": "01099",
        "city": "Dresden",
        "vat": "DE811907980",
        "phone": "+49 351 4567890",
        "email": "buchhaltung@elbtal-handel.example",
    }
    if "iap_enrich_auto_done" in env["res.company"]._fields:
        # partner_autocomplete would look the company up on the internet (a warning offline)
        vals["iap_enrich_auto_done"] = True
    company = env["res.company"].create(vals)
    env.user.company_ids += company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    bank.bank_acc_number = "DE89370400440532013000"
    tax = company.account_sale_tax_id
    products = env["product.product"].create(
        [
            {"name": "Wartung Heizung", "type": "service", "list_price": 85.0},
            {"name": "Anfahrt", "type": "service", "list_price": 45.5},
            {"name": "Kleinmaterial", "type": "service", "list_price": 12.35},
        ]
    )
    products.with_company(company).taxes_id = [Command.set(tax.ids)]
    return env, company, products


def make_customers(env, count):
    from odoo.addons.crm_billing_sepa.tools import leitweg_id  # noqa: PLC0415

    vals = []
    for n in range(count):
        public = n % 10 == 0
        base = f"14612{n:03d}-BENCH"
        vals.append(
            {
                "name": f"Bench Kunde {n} GmbH",
                "is_company": True,
                "street": f"Hauptstraße {n + 1}",
                "zip": f"{1067 + n % 900:05d}",
                "city": "Dresden",
                "country_id": env.ref("base.de").id,
                "invoice_edi_format": "xrechnung",
                "crm_einvoice_public": public,
                "crm_einvoice_buyer_reference": (
                    f"{base}-{leitweg_id.check_digits(base)}" if public else f"Einkauf {n}"
                ),
            }
        )
    return env["res.partner"].create(vals)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--invoices", type=int, default=1_000)
    parser.add_argument("--anchor", type=int, default=5)
    args = parser.parse_args()
    print(f"before: {uptime()}", flush=True)
    with _odoo.odoo_env(args.db, addons="crm_billing_sepa,l10n_de") as (env, _registry):
        from odoo.addons.crm_billing_sepa.tools import einvoice_validator  # noqa: PLC0415

        env = _odoo.bulk_env(env)
        started = time.perf_counter()
        env, company, products = make_company(env)
        customers = make_customers(env, args.invoices)
        today = datetime.date.today()
        env["crm.service"].create(
            [
                {
                    "partner_id": customer.id,
                    "name": f"Einsatz {k}",
                    "product_id": product.id,
                    "quantity": 0.25 * (k + 1),
                    "date": today - datetime.timedelta(days=k),
                    "company_id": company.id,
                }
                for customer in customers
                for k, product in enumerate(products)
            ]
        )
        env.flush_all()
        print(
            f"data: company on SKR03, {len(customers):,} customers, {3 * len(customers):,} "
            f"services in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        started = time.perf_counter()
        ids = env["crm.service"].invoice_services(
            partner_ids=customers.ids, line_mode="product", invoice_date=today
        )
        moves = env["account.move"].browse(ids)
        moves.action_post()
        env.flush_all()
        print(
            f"invoices: {len(moves):,} made by the bulk path and posted in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )

        # generation: the three e-invoices of every invoice through Odoo's builders
        documents = []
        started = time.perf_counter()
        for move in moves:
            for kind in KINDS:
                document = move._crm_einvoice_xml(kind)
                documents.append((move.name, kind, document["content"], document["errors"]))
        generation = time.perf_counter() - started

        # validation: the rules compiled once (the first call), then every file
        started = time.perf_counter()
        validator = einvoice_validator.Validator.get()
        setup = time.perf_counter() - started
        started = time.perf_counter()
        errors, warnings = 0, 0
        for name, kind, content, builder_errors in documents:
            report = validator.validate(content)
            errors += len(report.errors) + len(builder_errors)
            warnings += len(
                [w for w in report.warnings if not (kind == "facturx" and w.rule == "BR-DE-21")]
            )
            if report.errors or builder_errors:
                print(f"  {name} {kind}: {report.rules} {builder_errors}")
        validation = time.perf_counter() - started

        # the anchor: one validator start per file (rules compiled each time)
        sample = documents[: args.anchor * len(KINDS)]
        started = time.perf_counter()
        for _name, _kind, content, _errors in sample:
            einvoice_validator.Validator().validate(content)
        anchor = (time.perf_counter() - started) / len(sample)

        count = len(moves)
        per_file = validation / len(documents)
        print(
            f"generation: {generation:.1f} s for {len(documents):,} e-invoices of {count:,} "
            f"invoices = {generation / count * 1000:.1f} ms per invoice (3 formats)"
        )
        print(
            f"validation (XSD + EN 16931 + XRechnung): {validation:.1f} s for "
            f"{len(documents):,} files = {validation / count * 1000:.1f} ms per invoice, "
            f"{per_file * 1000:.1f} ms per file; rules compiled once in {setup:.1f} s"
        )
        print(f"result: {errors} errors, {warnings} warnings (BR-DE-21 of Factur-X not counted)")
        print(
            f"anchor, a validator start per file ({len(sample)} files): "
            f"{anchor * 1000:.0f} ms per file, extrapolated {anchor * len(documents):,.0f} s; "
            f"ratio {anchor / per_file:.0f}x"
        )
        print(f"after: {uptime()}")
        env.cr.rollback()


if __name__ == "__main__":
    main()
