#!/usr/bin/env python3
"""Benchmark: opening the correspondence of a customer with 5,000 documents of every kind,
as the web client does (web_search_read of the first 80 rows with the list's fields, and
the count), against Odoo's own list of a customer's 5,000 posted invoices.

Run from the repository root (after `make test` or `make run` created .venv):

    python3 bench/correspondence.py             # throwaway database, dropped afterwards
    python3 bench/correspondence.py --db NAME   # an existing database with the addons

One document of each kind is made with the ORM (a chronicle entry, an invoice, an e-mail
from and one to the customer, an attachment, a dunning letter, a SEPA mandate, a direct
debit batch, a phone call, a filed scan, a route stop or visit, a project, a task), then
cloned by SQL until the customer has --documents of them, spread over 3 years; --others
customers get a tenth as many each (what the filter on the customer must skip). The
anchor is a second customer with as many posted invoices: Odoo's invoice list of that customer (the
"Invoiced" smart button), web_search_read of 80 rows and the count. Both are read as a CRM
manager with accounting rights (every row's access check applies), cold (ORM cache emptied),
median of 15 runs after a warm-up. Target < 200 ms. Nothing is committed.
"""

import argparse
import datetime
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

ADDONS = "crm_core,crm_chronicle,crm_billing_sepa,crm_telephony,crm_scan,crm_routing"
# the documents cloned per customer below (a stop is a route or, every other one, a visit)
KINDS = 13


def templates(env, partner, contact, move):
    """One document of each kind for `partner`, made with the ORM; {table: id}."""
    from odoo.addons.crm_core.tools import state  # noqa: PLC0415
    from odoo.addons.crm_scan.models.crm_scan_document import PROCESSING_FIELDS  # noqa: PLC0415

    env = _odoo.bulk_env(env)
    company = env.company
    made = {"account_move": move.id}
    made["crm_chronicle_entry"] = env["crm.chronicle.entry"].crm_log(partner, "letter", "Brief").id
    message = partner.message_post(
        body="<p>Anfrage</p>", subject="Anfrage", message_type="email", author_id=contact.id
    )
    made["mail_message"] = message.id
    made["mail_message_to"] = partner.message_post(
        body="<p>Angebot</p>",
        subject="Angebot",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        partner_ids=contact.ids,
    ).id
    made["ir_attachment"] = (
        env["ir.attachment"]
        .create(
            {
                "name": "Vertrag.pdf",
                "raw": b"%PDF",
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )
        .id
    )
    level = env["crm.dunning.level"].create({"name": "Mahnung", "days": 14})
    with state.changing(env["crm.dunning.letter"], "state"):
        made["crm_dunning_letter"] = (
            env["crm.dunning.letter"]
            .create({"partner_id": partner.id, "level_id": level.id, "state": "done"})
            .id
        )
    bank = env["res.partner.bank"].create(
        {"acc_number": "DE02120300000000202051", "partner_id": partner.id}
    )
    made["crm_sepa_mandate"] = (
        env["crm.sepa.mandate"]
        .create(
            {
                "partner_id": partner.id,
                "bank_account_id": bank.id,
                "signature_date": datetime.date(2025, 6, 1),
            }
        )
        .id
    )
    batch = env["crm.sepa.batch"]._create_by_action(
        [
            {
                "name": "SDD-BENCH",
                "kind": "debit",
                "state": "generated",
                "collection_date": datetime.date.today(),
            }
        ]
    )
    made["crm_sepa_batch"] = batch.id
    made["crm_sepa_batch_line"] = (
        env["crm.sepa.batch.line"]
        ._create_by_action(
            [
                {
                    "batch_id": batch.id,
                    "partner_id": partner.id,
                    "amount_cents": 1000,
                    "company_id": company.id,
                    "move_id": move.id,
                    "state": "returned",
                }
            ]
        )
        .id
    )
    box = env["crm.telephony.box"].create({"name": "Bench Box", "host": "127.0.0.1"})
    made["crm_phone_call"] = (
        env["crm.phone.call"]
        ._create_by_action(
            [
                {
                    "box_id": box.id,
                    "call_type": "incoming",
                    "partner_id": contact.id,
                    "number": "+4935112345",
                }
            ]
        )
        .id
    )
    attachment = env["ir.attachment"].create({"name": "scan.png", "raw": b"\x89PNG x"})
    with state.changing(env["crm.scan.document"], *PROCESSING_FIELDS):
        made["crm_scan_document"] = (
            env["crm.scan.document"]
            .create(
                {
                    "name": "Lieferschein",
                    "attachment_id": attachment.id,
                    "state": "done",
                    "partner_id": partner.id,
                }
            )
            .id
        )
    route = env["crm.route"].create(
        {"name": "Tour", "user_id": env.uid, "stop_ids": [(0, 0, {"partner_id": partner.id})]}
    )
    made["crm_route"] = route.id
    made["crm_route_stop"] = route.stop_ids.id
    project = env["project.project"].create({"name": "Projekt", "partner_id": partner.id})
    made["project_project"] = project.id
    made["crm_project_partner"] = project.crm_partner_link_ids.id
    made["project_task"] = (
        env["project.task"]
        .create({"name": "Aufgabe", "project_id": project.id, "partner_id": partner.id})
        .id
    )
    env.flush_all()
    return made


def clone_documents(cr, made, partner_ids, per_kind):
    """`per_kind` copies of each template document for each of `partner_ids`, dates spread
    over 3 years."""
    import _data  # noqa: PLC0415

    cr.execute("DROP TABLE IF EXISTS bench_docs")
    cr.execute(
        """CREATE TEMP TABLE bench_docs AS
           SELECT n, p AS partner_id, (now() - random() * interval '1095 days') AS date
             FROM unnest(%s::int[]) p, generate_series(1, %s) n""",
        [list(partner_ids), per_kind],
    )
    src = "SELECT d.*, nextval(%(seq)s) AS id FROM bench_docs d"

    def clone(table, overrides, seq=None):
        return _data.clone(
            cr,
            table,
            made[table],
            src,
            {"id": "g.id", **overrides},
            {"seq": seq or f"{table}_id_seq"},
        )

    clone(
        "crm_chronicle_entry",
        {"partner_id": "g.partner_id", "commercial_partner_id": "g.partner_id", "date": "g.date"},
    )
    clone(
        "account_move",
        {
            "name": "'BENCHC/' || g.id",
            "partner_id": "g.partner_id",
            "commercial_partner_id": "g.partner_id",
            "invoice_date": "g.date::date",
            "date": "g.date::date",
            "sequence_number": "g.id",
            "inalterable_hash": "NULL",
            "secure_sequence_number": "NULL",
        },
    )
    # e-mails written on the customer by the customer's contact person
    clone(
        "mail_message",
        {
            "res_id": "g.partner_id",
            "author_id": "g.partner_id",
            "date": "g.date",
            "message_id": "'<b' || g.id || '@bench>'",
        },
    )
    # e-mails to the customer
    cr.execute("SELECT max(id) FROM mail_message")
    (before,) = cr.fetchone()
    _data.clone(
        cr,
        "mail_message",
        made["mail_message_to"],
        src,
        {
            "id": "g.id",
            "res_id": "g.partner_id",
            "date": "g.date",
            "message_id": "'<t' || g.id || '@bench>'",
        },
        {"seq": "mail_message_id_seq"},
    )
    cr.execute(
        """INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
           SELECT id, res_id FROM mail_message WHERE id > %s""",
        [before],
    )
    clone("ir_attachment", {"res_id": "g.partner_id", "create_date": "g.date"})
    clone(
        "crm_dunning_letter",
        {
            "partner_id": "g.partner_id",
            "date": "(CURRENT_DATE - g.n)",
            "chronicle_entry_id": "NULL",
        },
    )
    clone(
        "crm_sepa_mandate",
        {
            "partner_id": "g.partner_id",
            "commercial_partner_id": "g.partner_id",
            "name": "'MDT-B-' || g.id",
            "signature_date": "g.date::date",
        },
    )
    cr.execute("SELECT max(id) FROM crm_sepa_batch")
    (before,) = cr.fetchone()
    clone("crm_sepa_batch", {"name": "'SDD-B-' || g.id", "collection_date": "g.date::date"})
    cr.execute(
        """INSERT INTO crm_sepa_batch_line
               (batch_id, partner_id, company_id, kind, amount_cents, state, move_id,
                create_date, write_date, create_uid, write_uid)
           SELECT b.id, d.partner_id, b.company_id, 'debit', 1000, 'returned', %s,
                  now(), now(), 1, 1
             FROM (SELECT id, company_id, row_number() OVER (ORDER BY id) AS k
                     FROM crm_sepa_batch WHERE id > %s) b
             JOIN (SELECT partner_id, row_number() OVER (ORDER BY partner_id, n) AS k
                     FROM bench_docs) d ON d.k = b.k""",
        [made["account_move"], before],
    )
    clone(
        "crm_phone_call",
        {"partner_id": "g.partner_id", "commercial_partner_id": "g.partner_id", "start": "g.date"},
    )
    clone("crm_scan_document", {"partner_id": "g.partner_id", "document_date": "g.date::date"})
    cr.execute("SELECT max(id) FROM crm_route")
    (before,) = cr.fetchone()
    clone("crm_route", {"date": "g.date::date"})
    cr.execute(
        """INSERT INTO crm_route_stop (route_id, partner_id, company_id, route_date, user_id,
                                       sequence, state, visit_duration, create_date,
                                       write_date, create_uid, write_uid)
           SELECT r.id, d.partner_id, r.company_id, r.date, r.user_id, 10,
                  CASE WHEN d.k %% 2 = 0 THEN 'visited' ELSE 'todo' END, 0.5, now(), now(), 1, 1
             FROM (SELECT id, company_id, date, user_id, row_number() OVER (ORDER BY id) AS k
                     FROM crm_route WHERE id > %s) r
             JOIN (SELECT partner_id, row_number() OVER (ORDER BY partner_id, n) AS k
                     FROM bench_docs) d ON d.k = r.k""",
        [before],
    )
    cr.execute("SELECT max(id) FROM project_project")
    (before,) = cr.fetchone()
    clone("project_project", {"partner_id": "g.partner_id", "date_start": "g.date::date"})
    cr.execute(
        """INSERT INTO crm_project_partner (project_id, partner_id, company_id, sequence,
                                            create_date, write_date, create_uid, write_uid)
           SELECT id, partner_id, company_id, 10, now(), now(), 1, 1
             FROM project_project WHERE id > %s""",
        [before],
    )
    clone("project_task", {"partner_id": "g.partner_id", "create_date": "g.date"})
    cr.execute("ANALYZE")


def web_list(Model, domain, spec, runs=15):
    """Median wall and CPU time and the queries of opening a list as the web client does:
    the first 80 rows with the list's fields, and the count."""
    env = Model.env
    times, cpus, waits, queries = [], [], [], set()
    for _ in range(runs):
        env.invalidate_all()
        with _odoo.Timer(env.cr) as timer:
            result = Model.web_search_read(domain, spec, limit=80, count_limit=100001)
        times.append(timer.seconds)
        cpus.append(timer.cpu + timer.db_cpu)
        waits.append(timer.waited)
        queries.add(timer.queries)
    web_list.waited = statistics.median(waits)
    return statistics.median(times), statistics.median(cpus), max(queries), result["length"]


def explain(Model, domain, spec):
    """The rows per kind, then each query of opening the list with its planning and
    execution time (EXPLAIN ANALYZE)."""
    cr = Model.env.cr
    groups = Model._read_group(domain, ["kind"], ["__count"])
    print("rows per kind:", ", ".join(f"{kind} {count}" for kind, count in groups))
    queries = []
    execute = cr.execute

    def logged(query, params=None, log_exceptions=True):
        queries.append((query, params))
        return execute(query, params, log_exceptions)

    Model.env.invalidate_all()
    cr.execute = logged
    try:
        Model.web_search_read(domain, spec, limit=80, count_limit=100001)
    finally:
        cr.execute = execute
    for query, params in queries:
        code = query.code if hasattr(query, "code") else query
        params = query.params if hasattr(query, "params") else params
        cr.execute(f"EXPLAIN (ANALYZE, SUMMARY) {code}", params)
        plan = [row[0] for row in cr.fetchall()]
        timing = " ".join(
            line.strip() for line in plan if line.startswith(("Planning", "Execution"))
        )
        print(f"  {timing}: {' '.join(code.split())[:110]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--others", type=int, default=50)
    parser.add_argument(
        "--explain", action="store_true", help="print the rows per kind and each query's time"
    )
    args = parser.parse_args()
    with _odoo.odoo_env(args.db, addons=ADDONS) as (env, _registry):
        import _data  # noqa: PLC0415

        from odoo.fields import Command  # noqa: PLC0415
        from odoo.tests import new_test_user  # noqa: PLC0415

        cr = env.cr
        partner, move, line = _data.templates(env)
        contact = env["res.partner"].create({"name": "Erika Bench", "parent_id": partner.id})
        made = templates(env, partner, contact, move)
        per_kind = -(-args.documents // KINDS)
        customer = _data.make_partners(cr, partner, 1, "Bench Korrespondenz")[0]
        others = _data.make_partners(cr, partner, args.others, "Bench Andere")
        clone_documents(cr, made, [customer], per_kind)
        clone_documents(cr, made, range(others[0], others[1] + 1), max(1, per_kind // 10))
        anchor_customer = _data.make_partners(cr, partner, 1, "Bench Rechnungskunde")
        _data.make_invoices(cr, move, line, anchor_customer, args.documents, 1, months=36, skew=1)
        user = new_test_user(
            env,
            login="bench_corr",
            groups="crm_core.group_manager,crm_billing_sepa.group_sepa_manager,"
            "account.group_account_invoice,project.group_project_manager",
            company_ids=[Command.set(env.company.ids)],
        )
        env.flush_all()
        env.invalidate_all()
        Correspondence = env["crm.chronicle.correspondence"].with_user(user)
        action = (
            env["res.partner"].browse(customer).with_user(user).action_open_crm_correspondence()
        )
        view = Correspondence.get_views([(False, "list")])["views"]["list"]
        from odoo.tests import Form  # noqa: PLC0415, F401

        spec = {
            "date": {},
            "kind": {},
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "company_id": {"fields": {"display_name": {}}},
            "res_model": {},
            "can_print": {},
            "can_send": {},
        }
        # the list's fields (the company column is only there with several companies)
        spec = {name: value for name, value in spec.items() if f'name="{name}"' in view["arch"]}
        Move = env["account.move"].with_user(user)
        move_spec = {
            "name": {},
            "invoice_partner_display_name": {},
            "invoice_date": {},
            "invoice_date_due": {},
            "amount_untaxed_signed": {},
            "amount_total_signed": {},
            "amount_residual_signed": {},
            "currency_id": {"fields": {"display_name": {}}},
            "company_currency_id": {"fields": {"display_name": {}}},
            "payment_state": {},
            "state": {},
            "move_type": {},
        }
        move_domain = [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("partner_id", "child_of", anchor_customer[0]),
        ]
        if args.explain:
            explain(Correspondence, action["domain"], spec)
        web_list(Correspondence, action["domain"], spec, runs=3)  # warm caches
        web_list(Move, move_domain, move_spec, runs=3)
        ours, ours_cpu, ours_q, ours_rows = web_list(Correspondence, action["domain"], spec)
        ours_wait = web_list.waited
        anchor, anchor_cpu, anchor_q, anchor_rows = web_list(Move, move_domain, move_spec)
        anchor_wait = web_list.waited
        print(
            f"customer with {ours_rows:,} correspondence rows ({KINDS} documents, "
            f"{per_kind} copies each); "
            f"{args.others} other customers with {per_kind // 10} of each"
        )
        print(
            f"ours (correspondence, 80 rows + count): wall {ours * 1000:7.1f} ms, CPU (Odoo + "
            f"PostgreSQL) {ours_cpu * 1000:7.1f} ms, waiting for a CPU {ours_wait * 1000:7.1f} "
            f"ms, {ours_q} queries"
        )
        print(
            f"anchor (Odoo's invoice list of a customer with {anchor_rows:,} invoices): wall "
            f"{anchor * 1000:7.1f} ms, CPU (Odoo + PostgreSQL) {anchor_cpu * 1000:7.1f} ms, "
            f"waiting for a CPU {anchor_wait * 1000:7.1f} ms, {anchor_q} queries"
        )
        print(f"ratio ours / anchor: {ours / anchor:.2f}")
        print(f"target < 200 ms: {'OK' if ours < 0.2 else 'MISSED'}")
        print(f"machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        cr.rollback()


if __name__ == "__main__":
    main()
