"""Address labels: 10,000 labels from 10,000 partners, ours (crm.label.wizard: address blocks
by country + reportlab) against Odoo's own way of printing a PDF (a QWeb report rendered by
wkhtmltopdf), on the same partners.

    .venv/bin/python bench/labels.py            # throwaway database (created and dropped)
    .venv/bin/python bench/labels.py --db NAME  # an existing database with crm_core
    options: --labels N (default 10000), --anchor-labels N (default 2000: wkhtmltopdf is slow;
             the anchor's figure is scaled to N labels and the scaling is printed)

Runs on the embedded PostgreSQL of the project (.local/pgdata-bench) unless PG* variables
name a server. The claim of the issue: 10,000 labels in under 10 s.
"""

import argparse
import time
from pathlib import Path

CITIES = [
    ("DE", "Hauptstraße", "10115", "Berlin"),
    ("DE", "Leopoldstraße", "80802", "München"),
    ("CZ", "Václavské náměstí", "110 00", "Praha"),
    ("AT", "Mariahilfer Straße", "1070", "Wien"),
    ("DE", "Königsallee", "40212", "Düsseldorf"),
]


def generate(env, count):
    """count partners (a fifth of them contact persons of companies), in batches."""
    countries = {
        c.code: c.id for c in env["res.country"].search([("code", "in", ["DE", "CZ", "AT"])])
    }
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    existing = Partner.search([("ref", "=like", "BENCH-%")])
    if len(existing) >= count:
        return existing[:count]
    partners = Partner.browse()
    for start in range(0, count, 2000):
        vals = []
        for i in range(start, min(start + 2000, count)):
            code, street, zip_code, city = CITIES[i % len(CITIES)]
            vals.append(
                {
                    "name": f"Řezníček & Söhne {i} GmbH",
                    "is_company": True,
                    "ref": f"BENCH-{i}",
                    "street": f"{street} {i % 200 + 1}",
                    "zip": zip_code,
                    "city": city,
                    "country_id": countries[code],
                }
            )
        partners |= Partner.create(vals)
        env.cr.commit()
    return partners


def measure(env, labels, anchor_labels):
    partners = generate(env, labels)
    env.cr.commit()
    env.invalidate_all()
    # ours: the wizard's whole path (partners -> address blocks -> reportlab PDF)
    wizard = env["crm.label.wizard"].create(
        {"partner_ids": [(6, 0, partners.ids)], "preset": "avery_l7160", "print_sender": True}
    )
    env.invalidate_all()
    started = time.perf_counter()
    pdf, count = wizard._render()
    ours = time.perf_counter() - started
    # anchor: the same address blocks through Odoo's QWeb -> wkhtmltopdf report engine
    view = env["ir.ui.view"].create(
        {
            "name": "bench_label_anchor",
            "key": "crm_core.bench_label_anchor",
            "type": "qweb",
            "arch": """<t t-name="crm_core.bench_label_anchor"><t t-call="web.html_container">
                <div class="page"><t t-foreach="docs._crm_address_blocks()" t-as="block">
                <div style="display:inline-block;width:63.5mm;height:38.1mm;overflow:hidden;
                    padding:4mm;box-sizing:border-box;font-size:10pt">
                <t t-foreach="block" t-as="line"><span t-out="line"/><br/></t></div>
                </t></div></t></t>""",
        }
    )
    report = env["ir.actions.report"].create(
        {
            "name": "bench labels",
            "model": "res.partner",
            "report_type": "qweb-pdf",
            "report_name": view.key,
        }
    )
    # no web server in this run: point wkhtmltopdf at a closed port rather than at whatever
    # listens on web.base.url (it then prints without the report CSS, as platform.md notes)
    env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
    anchor_partners = partners[:anchor_labels]
    env.invalidate_all()
    started = time.perf_counter()
    anchor_pdf, _kind = report._render_qweb_pdf(report.id, anchor_partners.ids)
    anchor = time.perf_counter() - started
    env.cr.rollback()
    return {
        "labels": count,
        "ours_s": ours,
        "ours_pdf_bytes": len(pdf),
        "anchor_labels": len(anchor_partners),
        "anchor_s": anchor,
        "anchor_pdf_bytes": len(anchor_pdf),
    }


def main():
    import _odoo_shell as _odoo  # noqa: PLC0415

    _odoo.ensure_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--labels", type=int, default=10000)
    parser.add_argument("--anchor-labels", type=int, default=2000)
    args = parser.parse_args()
    with _odoo.BenchDatabase(args.db) as db:
        result = db.run(
            Path(__file__), "measure", labels=args.labels, anchor_labels=args.anchor_labels
        )
    ours, anchor = result["ours_s"], result["anchor_s"]
    scaled = anchor * result["labels"] / result["anchor_labels"]
    print(f"labels: {result['labels']}")
    print(
        f"ours (crm.label.wizard, reportlab): {ours:7.2f} s for {result['labels']} labels"
        f"  ({result['labels'] / ours:,.0f} labels/s)  -> claim < 10 s: "
        f"{'met' if ours < 10 else 'NOT met'}"
    )
    print(
        f"anchor (Odoo QWeb + wkhtmltopdf): {anchor:7.2f} s for {result['anchor_labels']} labels"
        f"  ({result['anchor_labels'] / anchor:,.0f} labels/s), scaled to {result['labels']}: "
        f"{scaled:.1f} s"
    )
    print(f"ratio (anchor scaled / ours): {scaled / ours:.1f}x")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
