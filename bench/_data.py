"""Fast benchmark data: one template record made with the ORM, then cloned by
INSERT ... SELECT (every column of the template, a few replaced by SQL expressions)."""

from odoo.fields import Command


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND table_schema = current_schema()
              AND column_name <> 'id' AND is_generated = 'NEVER'
            ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, source_sql, overrides, params=None):
    """INSERT INTO table SELECT <template row with overrides> FROM table t, (source_sql) g."""
    cols = columns(cr, table)
    select = [overrides.get(col, f't."{col}"') for col in cols]
    names = ", ".join(f'"{col}"' for col in cols)
    extra = ""
    if "id" in overrides:
        names = '"id", ' + names
        select = [overrides["id"], *select]
    cr.execute(
        f'INSERT INTO "{table}" ({names}{extra}) SELECT {", ".join(select)} '  # noqa: S608
        f'FROM "{table}" t, ({source_sql}) g WHERE t.id = %(template)s',
        {**(params or {}), "template": template_id},
    )
    return cr.rowcount


def templates(env):
    """A customer and a posted invoice with one product line, made with the ORM."""
    company = env.company
    partner = env["res.partner"].create(
        {"name": "Bench Template GmbH", "is_company": True, "customer_rank": 1}
    )
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "journal_id": journal.id,
            "invoice_line_ids": [
                Command.create({"name": "Wartung", "quantity": 1, "price_unit": 100, "tax_ids": []})
            ],
        }
    )
    move.action_post()
    line = move.invoice_line_ids
    env.flush_all()
    return partner, move, line


def make_partners(cr, template, count, prefix):
    """`count` customers (own commercial entity each); returns (first id, last id)."""
    clone(
        cr,
        "res_partner",
        template.id,
        "SELECT n, nextval('res_partner_id_seq') AS id FROM generate_series(1, %(count)s) n",
        {
            "id": "g.id",
            "name": f"'{prefix} ' || g.n",
            "complete_name": f"'{prefix} ' || g.n",
            "commercial_partner_id": "g.id",
            "crm_class_id": "NULL",
            "crm_class_manual": "NULL",
            "crm_abc_revenue": "NULL",
            "email": "NULL",
        },
        {"count": count},
    )
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE name LIKE %s", [f"{prefix} %"])
    return cr.fetchone()


def make_invoices(
    cr,
    move,
    line,
    partner_range,
    moves,
    lines_per_move,
    months=18,
    skew=3,
    refunds=0.05,
    receivable=False,
):
    """`moves` posted invoices (a share `refunds` of credit notes) of `lines_per_move`
    product lines each, spread over the last `months` months; customers drawn with a power
    law (skew) so that a few customers make most of the revenue and some have none. Named
    BENCH/<id>, so that it can be called more than once.

    With `receivable`, each also gets its receivable line (open, due 30 days after the
    invoice date) cloned from the template's, as Odoo's create makes it: the entries are
    balanced, and an ORM write on them passes Odoo's balance check. Without it they hold
    only their product lines (enough for what reads revenue)."""
    first, last = partner_range
    cr.execute("DROP TABLE IF EXISTS bench_moves")
    cr.execute(
        """CREATE TEMP TABLE bench_moves AS
           SELECT n, nextval('account_move_id_seq') AS id,
                  %(first)s + floor((%(last)s - %(first)s + 1) * power(random(), %(skew)s))::int
                      AS partner_id,
                  (CURRENT_DATE - (random() * %(days)s)::int) AS date,
                  CASE WHEN random() < %(refunds)s THEN 'out_refund' ELSE 'out_invoice' END
                      AS move_type,
                  round((20 + random() * 2000)::numeric, 2) AS amount
             FROM generate_series(1, %(moves)s) n""",
        {
            "first": first,
            "last": last,
            "skew": skew,
            "days": months * 30,
            "moves": moves,
            "refunds": refunds,
        },
    )
    cr.execute("SELECT max(id) FROM account_move")
    sign = "CASE WHEN g.move_type = 'out_refund' THEN -1 ELSE 1 END"
    total = f"(g.amount * {lines_per_move})"
    clone(
        cr,
        "account_move",
        move.id,
        "SELECT * FROM bench_moves",
        {
            "id": "g.id",
            "name": "'BENCH/' || g.id",
            "ref": "NULL",
            "payment_reference": "'BENCH/' || g.id",
            "partner_id": "g.partner_id",
            "commercial_partner_id": "g.partner_id",
            "partner_shipping_id": "g.partner_id",
            "move_type": "g.move_type",
            "date": "g.date",
            "invoice_date": "g.date",
            "invoice_date_due": "g.date + 30",
            "amount_untaxed": total,
            "amount_total": total,
            "amount_residual": total,
            "amount_untaxed_signed": f"{sign} * {total}",
            "amount_untaxed_in_currency_signed": f"{sign} * {total}",
            "amount_total_signed": f"{sign} * {total}",
            "amount_total_in_currency_signed": f"{sign} * {total}",
            "amount_residual_signed": f"{sign} * {total}",
            "sequence_number": "g.n",
            "inalterable_hash": "NULL",
            "secure_sequence_number": "NULL",
        },
    )
    count = clone(
        cr,
        "account_move_line",
        line.id,
        f"""SELECT m.*, k FROM bench_moves m, generate_series(1, {int(lines_per_move)}) k""",
        {
            "move_id": "g.id",
            "move_name": "'BENCH/' || g.id",
            "partner_id": "g.partner_id",
            "date": "g.date",
            "invoice_date": "g.date",
            "move_type": "g.move_type",
            "price_unit": "g.amount",
            "price_subtotal": "g.amount",
            "price_total": "g.amount",
            "balance": f"-{sign} * g.amount",
            "amount_currency": f"-{sign} * g.amount",
            "debit": "CASE WHEN g.move_type = 'out_refund' THEN g.amount ELSE 0 END",
            "credit": "CASE WHEN g.move_type = 'out_refund' THEN 0 ELSE g.amount END",
            "amount_residual": "0",
            "amount_residual_currency": "0",
        },
    )
    if receivable:
        cr.execute(
            "SELECT id FROM account_move_line WHERE move_id = %s AND display_type = 'payment_term'",
            [move.id],
        )
        (receivable_id,) = cr.fetchone()
        clone(
            cr,
            "account_move_line",
            receivable_id,
            "SELECT * FROM bench_moves",
            {
                "move_id": "g.id",
                "move_name": "'BENCH/' || g.id",
                "partner_id": "g.partner_id",
                "date": "g.date",
                "invoice_date": "g.date",
                "date_maturity": "g.date + 30",
                "move_type": "g.move_type",
                "balance": f"{sign} * {total}",
                "amount_currency": f"{sign} * {total}",
                "amount_residual": f"{sign} * {total}",
                "amount_residual_currency": f"{sign} * {total}",
                "debit": f"CASE WHEN g.move_type = 'out_refund' THEN 0 ELSE {total} END",
                "credit": f"CASE WHEN g.move_type = 'out_refund' THEN {total} ELSE 0 END",
            },
        )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner")
    return count
