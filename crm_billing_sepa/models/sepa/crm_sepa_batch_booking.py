from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.orm.registry import TriggerTree
from odoo.tools import SQL

from .crm_sepa_batch import to_cents


class CrmSepaBatch(models.Model):
    """Booking a sent batch: one journal entry, the invoices reconciled with it."""

    _inherit = "crm.sepa.batch"

    def _general_journal(self):
        return self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )

    def _book(self):
        self.ensure_one()
        company = self.company_id
        transfer_account = company._crm_sepa_transfer_account()
        if not transfer_account:
            raise UserError(
                self.env._("Set a SEPA transfer account in the settings of %(c)s.", c=company.name)
            )
        lines = self.line_ids.filtered(lambda line: line.state == "open")
        lines.fetch(["move_id", "partner_id", "amount_cents", "sequence_type", "collection_date"])
        moves = lines.move_id
        counterpart_type = {
            "out_invoice": "asset_receivable",
            "out_refund": "asset_receivable",
            "in_invoice": "liability_payable",
            "in_refund": "liability_payable",
        }
        # the invoices' open receivable (payable) lines, found in SQL: reading all lines of
        # 10,000 invoices into the ORM's cache to filter them costs seconds
        AML = self.env["account.move.line"]
        AML.flush_model(["move_id", "account_id", "reconciled"])
        moves.flush_recordset(["move_type"])
        found = defaultdict(list)
        if moves:
            for aml_id, move_id, move_type, account_type in self.env.execute_query(
                SQL(
                    """SELECT l.id, l.move_id, m.move_type, a.account_type
                         FROM account_move_line l
                         JOIN account_move m ON m.id = l.move_id
                         JOIN account_account a ON a.id = l.account_id
                        WHERE l.move_id IN %s AND l.reconciled IS NOT TRUE
                          AND a.account_type IN ('asset_receivable', 'liability_payable')
                        ORDER BY l.id""",
                    tuple(moves.ids),
                )
            ):
                if counterpart_type.get(move_type) == account_type:
                    found[move_id].append(aml_id)
        open_lines = AML.browse([aml_id for ids in found.values() for aml_id in ids])
        open_lines.fetch(["move_id", "account_id", "amount_residual"])
        by_move = defaultdict(lambda: AML)
        by_move.update((move_id, AML.browse(ids)) for move_id, ids in found.items())
        sign = 1 if self.kind == "debit" else -1  # debit: money comes in
        date = fields.Date.context_today(self)
        line_vals = []
        groups = defaultdict(int)
        for line in lines:
            amls = by_move[line.move_id.id]
            if not amls:
                raise UserError(
                    self.env._(
                        "Batch %(b)s: invoice %(inv)s has no open receivable or payable left.",
                        b=self.name,
                        inv=line.move_id.name,
                    )
                )
            balance = sign * line.amount_cents / 100
            line_vals.append(
                {
                    "name": line.end_to_end_id,
                    "account_id": amls[0].account_id.id,
                    "partner_id": line.partner_id.id,
                    "debit": balance < 0 and -balance or 0.0,
                    "credit": balance > 0 and balance or 0.0,
                }
            )
            # batch booking: the bank books one amount per payment group; without it, one
            # per payment, which the statement line then matches by its end-to-end id
            key = (line.collection_date, line.sequence_type or "")
            groups[key if self.batch_booking else (*key, line.end_to_end_id)] += line.amount_cents
        group_lines = []
        for key, cents in sorted(groups.items()):
            balance = sign * cents / 100
            group_lines.append(
                {
                    "name": " ".join(filter(None, [self.name, key[1], str(key[0]), *key[2:]])),
                    "account_id": transfer_account.id,
                    "debit": balance > 0 and balance or 0.0,
                    "credit": balance < 0 and -balance or 0.0,
                }
            )
        journal = self._general_journal()
        open_lines.fetch(["amount_residual"])
        touched = set()
        if open_lines:
            self.env["account.partial.reconcile"].flush_model()
            for debit_id, credit_id in self.env.execute_query(
                SQL(
                    "SELECT debit_move_id, credit_move_id FROM account_partial_reconcile"
                    " WHERE debit_move_id IN %(ids)s OR credit_move_id IN %(ids)s",
                    ids=tuple(open_lines.ids),
                )
            ):
                touched.update((debit_id, credit_id))
        fast = self.currency_id == company.currency_id and all(
            len(by_move[line.move_id.id]) == 1
            and by_move[line.move_id.id].id not in touched
            and to_cents(abs(by_move[line.move_id.id].amount_residual)) == line.amount_cents
            for line in lines
        )
        in_payment = moves.filtered(lambda move: move.payment_state == "in_payment")
        if fast:
            entry = self._book_fast(journal, date, group_lines, line_vals, lines, by_move)
            lines = lines.browse(lines.ids)  # the caches were dropped
        else:
            entry = self._post_entry(journal, date, group_lines + line_vals)
            booked = entry.line_ids[len(group_lines) :]
            plan = []
            for line, aml in zip(lines, booked, strict=True):
                line._write_state({"booking_line_id": aml.id})
                plan.append(by_move[line.move_id.id] | aml)
            self.env["account.move.line"]._reconcile_plan(plan)
            lines._write_state({"state": "collected"})
        if fast:
            # the ORM's write would look for payments reconciled with the 10,000 invoices
            # (see _orm_modified); the chatter still tracks the state
            self.check_access("write")
            self._track_prepare(["state", "move_id"])
            self.flush_recordset()
            self.env.execute_query(
                SQL(
                    """UPDATE crm_sepa_batch SET state = 'sent', move_id = %s, write_uid = %s,
                              write_date = NOW() AT TIME ZONE 'UTC'
                        WHERE id = %s""",
                    entry.id,
                    self.env.uid,
                    self.id,
                )
            )
            self.invalidate_recordset()
            self._orm_modified(self, ["state", "move_id"])
        else:
            self._write_state({"state": "sent", "move_id": entry.id})
        if fast:
            # The invoices were "in payment" (their debit in a generated batch) and stay so:
            # the batch is sent, and crm_billing_sepa's _compute_payment_state gives "in
            # payment" for a posted invoice with a pending debit. Recomputing would only
            # write the same 10,000 values.
            for field in self.env.registry.field_computed[moves._fields["payment_state"]]:
                self.env.remove_to_compute(field, in_payment.browse(in_payment.ids))
        if self.kind == "debit":
            dates = {line.mandate_id.id: line.collection_date for line in lines}
            lines.mandate_id._debit_sent(dates)
        return entry

    def _post_entry(self, journal, date, line_vals):
        """The batch's journal entry with these lines, posted."""
        entry = (
            self.env["account.move"]
            .with_context(skip_invoice_sync=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": self.name,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        entry.action_post()
        return entry

    def _book_fast(self, journal, date, group_lines, line_vals, lines, by_move):
        """Book a large batch in a bounded number of queries.

        The ORM creates the entry with the payment-group lines and ONE counterpart line per
        receivable/payable account (so the entry, its name and its posting are Odoo's own),
        then SQL splits each counterpart line into one line per invoice (copying every stored
        column of the ORM-made line, only partner, label and amounts differ) and reconciles
        each with its invoice: one partial and one full reconcile per pair, as Odoo writes
        them. Caches are invalidated and the ORM is told what changed (modified), so the
        invoices' residuals and payment states are recomputed by Odoo in batch.

        Only used when every invoice has exactly one open, untouched counterpart line whose
        residual is the debited amount, in the company currency; otherwise the ORM path
        (_reconcile_plan) books the batch."""
        AML = self.env["account.move.line"]
        by_account = defaultdict(list)
        for vals, line in zip(line_vals, lines, strict=True):
            by_account[vals["account_id"]].append((vals, line))
        templates = []
        for account_id, pairs in by_account.items():
            debit = sum(round(v["debit"] * 100) for v, _l in pairs) / 100
            credit = sum(round(v["credit"] * 100) for v, _l in pairs) / 100
            templates.append(
                {
                    "name": self.name,
                    "account_id": account_id,
                    "debit": max(debit - credit, 0.0),
                    "credit": max(credit - debit, 0.0),
                }
            )
        entry = self._post_entry(journal, date, group_lines + templates)
        self.env.flush_all()
        template_lines = entry.line_ids.filtered(lambda aml: aml.name == self.name)
        by_template = {aml.account_id.id: aml for aml in template_lines}
        overridden = {
            "id",
            "partner_id",
            "name",
            "debit",
            "credit",
            "balance",
            "amount_currency",
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "full_reconcile_id",
            "matching_number",
            "create_date",
            "write_date",
        }
        copied = [
            name
            for name, field in AML._fields.items()
            if field.store and field.column_type and name not in overridden
        ]
        columns = SQL(", ").join(SQL.identifier(name) for name in copied)
        template_columns = SQL(", ").join(SQL.identifier("t", name) for name in copied)
        # one full reconcile per (invoice line, batch line), made first so that the new lines
        # and the partials are written with it at once (no second write of 20 indexed columns)
        uid = self.env.uid
        full_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """INSERT INTO account_full_reconcile (create_uid, write_uid, create_date,
                           write_date)
                       SELECT %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                         FROM generate_series(1, %(n)s)
                    RETURNING id""",
                    uid=uid,
                    n=len(lines),
                )
            )
        ]
        full_of = dict(zip(lines.ids, full_ids, strict=True))
        pairs = []  # (invoice line id, new line id, batch line, full reconcile id)
        for account_id, items in by_account.items():
            # one array per column (unnest): cheaper to pass than 10,000 rows of VALUES
            rows = SQL(
                "%s::int4[], %s::varchar[], %s::numeric[], %s::numeric[], %s::int4[]",
                [line.partner_id.id for _v, line in items],
                [vals["name"] for vals, _l in items],
                [vals["debit"] for vals, _l in items],
                [vals["credit"] for vals, _l in items],
                [full_of[line.id] for _v, line in items],
            )
            created = self.env.execute_query(
                SQL(
                    """INSERT INTO account_move_line (%(columns)s, partner_id, name, debit, credit,
                           balance, amount_currency, amount_residual, amount_residual_currency,
                           reconciled, full_reconcile_id, matching_number, create_date,
                           write_date)
                       SELECT %(template_columns)s, v.partner_id, v.name, v.debit, v.credit,
                              v.debit - v.credit, v.debit - v.credit, 0, 0, TRUE, v.f, v.f::text,
                              NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                         FROM account_move_line t
                         JOIN unnest(%(rows)s) AS v(partner_id, name, debit, credit, f) ON TRUE
                        WHERE t.id = %(template)s
                    RETURNING id, name""",
                    columns=columns,
                    template_columns=template_columns,
                    rows=rows,
                    template=by_template[account_id].id,
                )
            )
            new_by_name = dict((name, line_id) for line_id, name in created)
            for _vals, line in items:
                pairs.append(
                    (
                        by_move[line.move_id.id].id,
                        new_by_name[line.end_to_end_id],
                        line,
                        full_of[line.id],
                    )
                )
        self.env.execute_query(
            SQL("DELETE FROM account_move_line WHERE id IN %s", tuple(template_lines.ids))
        )
        # one partial per pair, in its full reconcile
        debit_side = self.kind == "debit"  # the invoice's receivable line is the debit
        partial_rows = SQL(
            "%s::int4[], %s::int4[], %s::numeric[], %s::int4[]",
            [inv_id if debit_side else new_id for inv_id, new_id, _l, _f in pairs],
            [new_id if debit_side else inv_id for inv_id, new_id, _l, _f in pairs],
            [line.amount_cents / 100 for _i, _n, line, _f in pairs],
            [full_id for _i, _n, _l, full_id in pairs],
        )
        self.env.execute_query(
            SQL(
                """INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount,
                       debit_amount_currency, credit_amount_currency, debit_currency_id,
                       credit_currency_id, company_id, max_date, full_reconcile_id, create_uid,
                       write_uid, create_date, write_date)
                   SELECT d.id, c.id, v.amount, v.amount, v.amount, d.currency_id, c.currency_id,
                          d.company_id, GREATEST(d.date, c.date), v.f, %(uid)s, %(uid)s,
                          NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%(rows)s) AS v(d, c, amount, f)
                     JOIN account_move_line d ON d.id = v.d
                     JOIN account_move_line c ON c.id = v.c""",
                uid=uid,
                rows=partial_rows,
            )
        )
        # the invoices' lines: settled
        self.env.execute_query(
            SQL(
                """UPDATE account_move_line l
                      SET full_reconcile_id = v.f, matching_number = v.f::text, reconciled = TRUE,
                          amount_residual = 0, amount_residual_currency = 0
                     FROM unnest(%s::int4[], %s::int4[]) AS v(l, f) WHERE l.id = v.l""",
                [inv_id for inv_id, _n, _l, _f in pairs],
                [f for _i, _n, _l, f in pairs],
            )
        )
        self.env.execute_query(
            SQL(
                """UPDATE crm_sepa_batch_line b
                      SET booking_line_id = v.aml, state = 'collected', write_uid = %s,
                          write_date = NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int4[], %s::int4[]) AS v(line, aml)
                    WHERE b.id = v.line""",
                uid,
                [line.id for _i, _n, line, _f in pairs],
                [new_id for _i, new_id, _l, _f in pairs],
            )
        )
        # Every invoice had one open receivable (payable) line, with the debited amount as
        # residual, now fully reconciled: the invoice's residual is 0. Its other amounts
        # (untaxed, tax, total) do not depend on reconciliation.
        Move = self.env["account.move"]
        move_ids = tuple({line.move_id.id for _i, _n, line, _f in pairs})
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET amount_residual = 0, amount_residual_signed = 0"
                " WHERE id IN %s",
                move_ids,
            )
        )
        # tell the ORM what changed under its feet: drop its caches and mark what depends on
        # the invoices' lines and the batch lines (payment states, ...) for recomputation.
        # The invoices' amounts were written above: recomputing them (Odoo's _compute_amount
        # reads every line of every invoice) would only find the same values again. The new
        # lines' own stored values were copied or written above.
        self.env.invalidate_all()
        invoice_lines = AML.browse([inv_id for inv_id, _n, _l, _f in pairs])
        self._orm_modified(
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
        self._orm_modified(moves, ["amount_residual", "amount_residual_signed"])
        self._orm_modified(lines.browse(lines.ids), ["state", "booking_line_id"])
        # What the SQL above wrote exactly, Odoo need not compute again: the invoices' amounts
        # (only the residual changed, to 0), their lines' residuals and reconciled flags (fully
        # reconciled: 0 and True) and the invoices' due dates (from payment terms, dates and
        # totals, none of which changed).
        for field in self.env.registry.field_computed[Move._fields["amount_residual"]]:
            self.env.remove_to_compute(field, moves)
        for field in self.env.registry.field_computed[AML._fields["amount_residual"]]:
            self.env.remove_to_compute(field, invoice_lines)
        self.env.remove_to_compute(Move._fields["invoice_date_due"], moves)
        # the entry's own residual: its split lines are all reconciled
        for field in self.env.registry.field_computed[Move._fields["amount_residual"]]:
            self.env.add_to_compute(field, entry)
        return entry

    # ------------------------------------------------------------------------------------------
    # Telling the ORM about rows written in SQL
    # ------------------------------------------------------------------------------------------
    @api.model
    def _orm_created(self, model, ids):
        """Tell the ORM that these rows were inserted (what depends on them, caches)."""
        model.invalidate_model()
        records = model.browse(ids)
        self._orm_modified(
            records, [name for name, field in model._fields.items() if field.store], create=True
        )
        return records

    @api.model
    def _orm_modified(self, records, fnames, create=False):
        """records.modified(fnames, create) as Odoo does it, except for one branch: the
        search of the payments reconciled with the invoices (reconciled_invoice_ids, which
        computes every invoice's reconciled payments: about 3 s for 10,000 invoices). That
        branch only serves account.payment.state, which changes when all its invoices
        become "paid"; a SEPA batch only ever moves invoices to "in payment" or keeps them
        there (crm_billing_sepa's payment state), which never changes a payment's state."""
        skip = self.env["account.payment"]._fields["reconciled_invoice_ids"]

        def select(field):
            return (field.compute and field.store) or bool(field._get_all_cache_ids(self.env))

        def prune(tree):
            return TriggerTree(tree.root, {k: prune(v) for k, v in tree.items() if k != skip})

        tree = self.env.registry.get_trigger_tree(
            [records._fields[name] for name in fnames], select=select
        )
        if not tree:
            return
        triggers = (
            records.sudo().with_context(active_test=False)._modified_triggers(prune(tree), create)
        )
        for field, found, _create in triggers:
            target = self.env[field.model_name].browse(found._ids) - self.env.protected(field)
            if not target:
                continue
            if field.recursive:
                target.modified([field.name])
            if field.compute and field.store:
                self.env.add_to_compute(field, target)
            else:
                field._invalidate_cache(self.env, target._ids)
