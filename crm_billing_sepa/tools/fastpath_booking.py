"""Fast path: booking a sent SEPA batch, one journal entry that settles all its invoices.

Entry: ``book(batch, journal, date, group_lines, payments)``. Its ORM path is Odoo's own:
the entry created and posted with one line per payment, each reconciled with its invoice's
open receivable (payable) line by ``_reconcile_plan``, the payments and the batch written
by the ORM (through their actions' ``_write_state``). Odoo's reconciliation costs about 2 ms
per invoice in Python (the OCA payment orders it replaces need 80 ms); the fast path books
10,000 debits in a bounded number of statements:

1. the ORM creates and posts the entry with the payment-group lines and ONE counterpart
   line per receivable (payable) account, so the entry, its number and its posting are
   Odoo's own;
2. SQL splits each counterpart line into one line per payment (every stored column copied
   from the ORM-made line; partner, label and amounts per payment) and reconciles each
   with its invoice's line: one partial and one full reconcile per pair, as Odoo writes
   them; the invoices' residuals become 0, the payments and the batch are marked booked;
3. the ORM is told what changed (``fastpath_rows.modified``) and recomputes what depends
   on it (payment states, the entry's residual).

A payment whose invoice has not exactly one open counterpart line untouched by earlier
reconciliations with the paid amount as residual (a partly paid invoice, instalments) is not
split by SQL: it gets its own line in the entry, and Odoo's ``_reconcile_plan`` reconciles
it in the same transaction, right after the posting and before the SQL of step 2 (``clean``
tells them apart).

The whole batch steps aside (the ORM path books) when the switch is off
(``crm_core.tools.fastpath``), when the batch's currency is not the company's, when no
payment is clean, when a module other than Odoo's accounting added a stored field to the
journal items or reconciliations (the copy would give it the counterpart line's value), or
overrides what the SQL replaces (creation and writing of journal items and
reconciliations, the reconciliation itself, the invoices' amounts and payment states).
The tests compare the raw rows of both paths (clean batches and batches mixing clean and
partly paid invoices), and with Odoo's own payment registration, on the generic chart, SKR03
and the Czech chart (``tests/test_fastpath.py``; where it steps aside:
``tests/test_fastpath_fallback.py``).
"""

import logging
from collections import defaultdict

from odoo.fields import Command, Domain
from odoo.tools import SQL

from odoo.addons.crm_core.tools import fastpath

from . import fastpath_rows

_logger = logging.getLogger(__name__)

# the modules that define the journal items and reconciliations the SQL writes (and this
# addon, which adds none of their columns); a stored field or an override of another
# module makes the fast path step aside
ACCOUNTING_MODULES = {None, "base", "mail", "account", "analytic", "crm_billing_sepa"}
OVERRIDES = {
    "account.move.line": (
        "create",
        "_create",
        "write",
        "_write",
        "reconcile",
        "_reconcile_plan",
        "_reconcile_plan_with_sync",
        "_create_reconciliation_partials",
        "_prepare_reconciliation_partials",
        "_compute_amount_residual",
    ),
    "account.partial.reconcile": ("create", "_create"),
    "account.full.reconcile": ("create", "_create"),
    "account.move": ("_compute_amount", "_compute_payment_state"),
}
# the columns of a split line that differ from the ORM-made counterpart line
LINE_OWN_COLUMNS = {
    "id",
    "partner_id",
    "name",
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "amount_residual",
    "amount_residual_currency",
    "price_subtotal",
    "price_total",
    "reconciled",
    "full_reconcile_id",
    "matching_number",
    "create_date",
    "write_date",
}


def clean(env, payments):
    """The payments (see ``book``) the SQL may book: their invoice has exactly one open
    counterpart line, untouched by earlier reconciliations, with the paid amount as its
    residual. The others are reconciled by Odoo."""
    open_lines = env["account.move.line"].browse(
        [aml.id for _line, _vals, aml in payments if len(aml) == 1]
    )
    touched = set()
    if open_lines:
        for partial in env["account.partial.reconcile"].search_fetch(
            Domain("debit_move_id", "in", open_lines.ids)
            | Domain("credit_move_id", "in", open_lines.ids),
            ["debit_move_id", "credit_move_id"],
        ):
            touched.update((partial.debit_move_id.id, partial.credit_move_id.id))
    return [
        (line, vals, aml)
        for line, vals, aml in payments
        if len(aml) == 1
        and aml.id not in touched
        and round(abs(aml.amount_residual) * 100) == line.amount_cents
    ]


def blockers(batch, payments):
    """Why the fast path cannot book these payments of `batch` (see the module's
    docstring), as a list of reasons; empty when it may."""
    env = batch.env
    reasons = []
    if not fastpath.enabled(env):
        reasons.append("switched off")
    if batch.currency_id != batch.company_id.currency_id:
        reasons.append("the batch is not in the company's currency")
    if not clean(env, payments):
        reasons.append("no invoice has one untouched open line of the amount")
    for model_name, methods in OVERRIDES.items():
        model = env[model_name]
        reasons += fastpath_rows.overridden(model, methods, known=ACCOUNTING_MODULES)
        if model_name != "account.move":
            reasons += [
                f"{model_name}.{name} of {field._module or 'a custom field'}"
                for name, field in model._fields.items()
                if field.store
                and field.column_type
                and (field.manual or field._module not in ACCOUNTING_MODULES)
            ]
    return reasons


def book(batch, journal, date, group_lines, payments):
    """Book `batch` (sent): its journal entry on `journal` at `date` with the payment-group
    lines `group_lines` (values) and one line per payment, each reconciled with its
    invoice's open line; the payments become "collected" with their booking line, the batch
    "sent" with its entry. payments: [(batch line, values of its entry line, the invoice's
    open receivable or payable line)], the lines in the order of the batch. Returns the
    entry."""
    reasons = blockers(batch, payments)
    if reasons:
        _logger.debug("%s: booked by the ORM (%s)", batch.name, "; ".join(reasons))
        return _book_orm(batch, journal, date, group_lines, payments)
    fast = clean(batch.env, payments)
    fast_ids = {line.id for line, _vals, _aml in fast}
    rest = [payment for payment in payments if payment[0].id not in fast_ids]
    _logger.debug(
        "%s: booked in SQL (fast path), %s payment(s) reconciled by Odoo's _reconcile_plan",
        batch.name,
        len(rest),
    )
    return _book_sql(batch, journal, date, group_lines, fast, rest)


def post_entry(batch, journal, date, line_vals):
    """The batch's journal entry with these lines, created and posted by the ORM."""
    entry = (
        batch.env["account.move"]
        .with_context(skip_invoice_sync=True)
        .create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date,
                "ref": batch.name,
                "line_ids": [Command.create(vals) for vals in line_vals],
            }
        )
    )
    entry.action_post()
    return entry


# ------------------------------------------------------------------------------------------
# The ORM path: Odoo's own booking and reconciliation
# ------------------------------------------------------------------------------------------
def _book_orm(batch, journal, date, group_lines, payments):
    entry = post_entry(batch, journal, date, group_lines + [vals for _l, vals, _a in payments])
    _reconcile_orm(batch.env, payments, entry.line_ids.sorted("id")[len(group_lines) :])
    batch._write_state({"state": "sent", "move_id": entry.id})
    return entry


def _reconcile_orm(env, payments, booked):
    """Each payment's line of the entry (`booked`, in the order of `payments`) recorded on
    the payment and reconciled with its invoice's open lines by Odoo, in `env` (the
    entry's lines carry the context of its creation, which skips the invoices' sync)."""
    plan = []
    for (line, _vals, aml), booking in zip(payments, booked, strict=True):
        line._write_state({"booking_line_id": booking.id, "state": "collected"})
        plan.append(aml | booking)
    env["account.move.line"]._reconcile_plan(plan)


# ------------------------------------------------------------------------------------------
# The fast path
# ------------------------------------------------------------------------------------------
def _book_sql(batch, journal, date, group_lines, payments, rest):
    """Book `payments` (all clean) by SQL and `rest` (see ``clean``) with Odoo's
    reconciliation, in one entry."""
    env = batch.env
    AML = env["account.move.line"]
    Move = env["account.move"]
    lines = env["crm.sepa.batch.line"].browse([line.id for line, _v, _a in payments])
    moves = lines.move_id
    in_payment = moves.filtered(lambda move: move.payment_state == "in_payment")
    # 1. the entry, with one counterpart line per account, by the ORM
    by_account = defaultdict(list)
    for line, vals, aml in payments:
        by_account[vals["account_id"]].append((line, vals, aml))
    templates = []
    for account_id, items in by_account.items():
        debit = sum(round(vals["debit"] * 100) for _l, vals, _a in items) / 100
        credit = sum(round(vals["credit"] * 100) for _l, vals, _a in items) / 100
        templates.append(
            {
                "name": batch.name,
                "account_id": account_id,
                "debit": max(debit - credit, 0.0),
                "credit": max(credit - debit, 0.0),
            }
        )
    entry = post_entry(
        batch, journal, date, group_lines + templates + [vals for _l, vals, _a in rest]
    )
    ordered = entry.line_ids.sorted("id")
    template_lines = ordered[len(group_lines) : len(group_lines) + len(templates)]
    # the other payments: reconciled by Odoo, as on the ORM path, before the SQL changes
    # the entry under the ORM's feet
    if rest:
        _reconcile_orm(env, rest, ordered[len(group_lines) + len(templates) :])
    env.flush_all()
    by_template = {aml.account_id.id: aml for aml in template_lines}
    copied = [
        name
        for name, field in AML._fields.items()
        if field.store and field.column_type and name not in LINE_OWN_COLUMNS
    ]
    uid = env.uid
    now = env.cr.now()
    # 2. one full reconcile per payment, made first so that the new lines and the partials
    # are written with it at once (no second write of 20 indexed columns)
    full_ids = [
        row[0]
        for row in env.execute_query(
            SQL(
                """INSERT INTO account_full_reconcile (create_uid, write_uid, create_date,
                       write_date)
                   SELECT %(uid)s, %(uid)s, %(now)s, %(now)s FROM generate_series(1, %(n)s)
                RETURNING id""",
                uid=uid,
                now=now,
                n=len(payments),
            )
        )
    ]
    full_of = dict(zip(lines.ids, full_ids, strict=True))
    pairs = []  # (invoice line id, new line id, batch line, full reconcile id)
    for account_id, items in by_account.items():
        created = env.execute_query(
            SQL(
                """INSERT INTO account_move_line (%(columns)s, partner_id, name, debit, credit,
                       balance, amount_currency, amount_residual, amount_residual_currency,
                       price_subtotal, price_total, reconciled, full_reconcile_id,
                       matching_number, create_date, write_date)
                   SELECT %(template_columns)s, v.partner_id, v.name, v.debit, v.credit,
                          v.debit - v.credit, v.debit - v.credit, 0, 0, v.debit - v.credit,
                          v.debit - v.credit, TRUE, v.f, v.f::text, %(now)s, %(now)s
                     FROM account_move_line t
                     JOIN unnest(%(partners)s::int4[], %(names)s::varchar[],
                                 %(debits)s::numeric[], %(credits)s::numeric[],
                                 %(fulls)s::int4[])
                          AS v(partner_id, name, debit, credit, f) ON TRUE
                    WHERE t.id = %(template)s
                RETURNING id, name""",
                columns=SQL(", ").join(SQL.identifier(name) for name in copied),
                template_columns=SQL(", ").join(SQL.identifier("t", name) for name in copied),
                partners=fastpath_rows.array_literal(line.partner_id.id for line, _v, _a in items),
                names=fastpath_rows.array_literal(vals["name"] for _l, vals, _a in items),
                debits=fastpath_rows.array_literal(vals["debit"] for _l, vals, _a in items),
                credits=fastpath_rows.array_literal(vals["credit"] for _l, vals, _a in items),
                fulls=fastpath_rows.array_literal(full_of[line.id] for line, _v, _a in items),
                now=now,
                template=by_template[account_id].id,
            )
        )
        new_by_name = {name: line_id for line_id, name in created}
        for line, vals, aml in items:
            pairs.append((aml.id, new_by_name[vals["name"]], line, full_of[line.id]))
    env.execute_query(
        SQL("DELETE FROM account_move_line WHERE id IN %s", tuple(template_lines.ids))
    )
    # one partial per pair, in its full reconcile
    debit_side = batch.kind == "debit"  # the invoice's receivable line is the debit
    env.execute_query(
        SQL(
            """INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount,
                   debit_amount_currency, credit_amount_currency, debit_currency_id,
                   credit_currency_id, company_id, max_date, full_reconcile_id, create_uid,
                   write_uid, create_date, write_date)
               SELECT d.id, c.id, v.amount, v.amount, v.amount, d.currency_id, c.currency_id,
                      d.company_id, GREATEST(d.date, c.date), v.f, %(uid)s, %(uid)s, %(now)s,
                      %(now)s
                 FROM unnest(%(debits)s::int4[], %(credits)s::int4[], %(amounts)s::numeric[],
                             %(fulls)s::int4[]) AS v(d, c, amount, f)
                 JOIN account_move_line d ON d.id = v.d
                 JOIN account_move_line c ON c.id = v.c""",
            uid=uid,
            now=now,
            debits=fastpath_rows.array_literal(
                inv_id if debit_side else new_id for inv_id, new_id, _l, _f in pairs
            ),
            credits=fastpath_rows.array_literal(
                new_id if debit_side else inv_id for inv_id, new_id, _l, _f in pairs
            ),
            amounts=fastpath_rows.array_literal(
                line.amount_cents / 100 for _i, _n, line, _f in pairs
            ),
            fulls=fastpath_rows.array_literal(full_id for _i, _n, _l, full_id in pairs),
        )
    )
    # the invoices' lines: settled
    env.execute_query(
        SQL(
            """UPDATE account_move_line l
                  SET full_reconcile_id = v.f, matching_number = v.f::text, reconciled = TRUE,
                      amount_residual = 0, amount_residual_currency = 0
                 FROM unnest(%s::int4[], %s::int4[]) AS v(l, f) WHERE l.id = v.l""",
            fastpath_rows.array_literal(inv_id for inv_id, _n, _l, _f in pairs),
            fastpath_rows.array_literal(f for _i, _n, _l, f in pairs),
        )
    )
    # Every invoice had one open receivable (payable) line, with the debited amount as
    # residual, now fully reconciled: the invoice's residual is 0. Its other amounts
    # (untaxed, tax, total) do not depend on reconciliation. Odoo's reconciliation writes
    # the invoice and all its lines (the synchronisation of its dynamic lines rewrites them
    # with their own values, and resets a flag of the invoice through write, which marks it
    # "manually modified"): their rows are logged as written by this user now, as there.
    move_ids = tuple({line.move_id.id for _i, _n, line, _f in pairs})
    env.execute_query(
        SQL(
            """UPDATE account_move
                  SET amount_residual = 0, amount_residual_signed = 0,
                      is_manually_modified = TRUE, write_uid = %(uid)s, write_date = %(now)s
                WHERE id IN %(moves)s;
               UPDATE account_move_line SET write_uid = %(uid)s, write_date = %(now)s
                WHERE move_id IN %(moves)s""",
            uid=uid,
            now=now,
            moves=move_ids,
        )
    )
    # the payments and the batch: booked (the chatter tracks the batch's state as the ORM's
    # write would)
    fastpath_rows.update(
        lines,
        [
            (line.id, {"booking_line_id": new_id, "state": "collected"})
            for _i, new_id, line, _f in pairs
        ],
        ["booking_line_id", "state"],
    )
    batch.check_access("write")
    batch._track_prepare(["state", "move_id"])
    batch.flush_recordset()
    fastpath_rows.update(
        batch, [(batch.id, {"state": "sent", "move_id": entry.id})], ["state", "move_id"]
    )
    # 3. tell the ORM what changed under its feet: drop its caches and mark what depends on
    # the invoices' lines and the batch lines (payment states, ...) for recomputation.
    # The invoices' amounts were written above: recomputing them (Odoo's _compute_amount
    # reads every line of every invoice) would only find the same values again. The new
    # lines' own stored values were copied or written above.
    env.invalidate_all()
    invoice_lines = AML.browse([inv_id for inv_id, _n, _l, _f in pairs])
    fastpath_rows.modified(
        invoice_lines,
        [
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "full_reconcile_id",
            "matching_number",
            "matched_debit_ids",
            "matched_credit_ids",
        ],
    )
    moves = Move.browse(move_ids)
    fastpath_rows.modified(moves, ["amount_residual", "amount_residual_signed"])
    fastpath_rows.modified(lines.browse(lines.ids), ["state", "booking_line_id"])
    fastpath_rows.modified(batch.browse(batch.id), ["state", "move_id"])
    # What the SQL above wrote exactly, Odoo need not compute again: the invoices' amounts
    # (only the residual changed, to 0), their lines' residuals and reconciled flags (fully
    # reconciled: 0 and True) and the invoices' due dates (from payment terms, dates and
    # totals, none of which changed).
    for field in env.registry.field_computed[Move._fields["amount_residual"]]:
        env.remove_to_compute(field, moves)
    for field in env.registry.field_computed[AML._fields["amount_residual"]]:
        env.remove_to_compute(field, invoice_lines)
    env.remove_to_compute(Move._fields["invoice_date_due"], moves)
    # The invoices were "in payment" (their debit in a generated batch) and stay so: the
    # batch is sent, and this addon's _compute_payment_state gives "in payment" for a posted
    # invoice with a pending debit. Recomputing would only write the same 10,000 values.
    for field in env.registry.field_computed[Move._fields["payment_state"]]:
        env.remove_to_compute(field, in_payment.browse(in_payment.ids))
    # the entry's own residual: its split lines are all reconciled
    for field in env.registry.field_computed[Move._fields["amount_residual"]]:
        env.add_to_compute(field, entry)
    return entry
