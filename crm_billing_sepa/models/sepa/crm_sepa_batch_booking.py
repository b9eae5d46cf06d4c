from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ...tools import fastpath_booking

# the invoice's line that a payment settles, per type of invoice
COUNTERPART_TYPE = {
    "out_invoice": "asset_receivable",
    "out_refund": "asset_receivable",
    "in_invoice": "liability_payable",
    "in_refund": "liability_payable",
}


class CrmSepaBatch(models.Model):
    """Booking a sent batch: one journal entry, the invoices reconciled with it."""

    _inherit = "crm.sepa.batch"

    def _general_journal(self):
        return self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )

    def _open_counterpart_lines(self, moves):
        """{invoice id: its open receivable (payable) lines}, in one search (reading all
        lines of 10,000 invoices into the cache to filter them costs seconds)."""
        AML = self.env["account.move.line"]
        found = defaultdict(lambda: AML)
        if not moves:
            return found
        lines = AML.search_fetch(
            Domain("move_id", "in", moves.ids)
            & Domain("reconciled", "=", False)
            & Domain("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
            ["move_id", "account_id", "amount_residual"],
            order="id",
        )
        for line in lines:
            if COUNTERPART_TYPE.get(line.move_id.move_type) == line.account_id.account_type:
                found[line.move_id.id] |= line
        return found

    def _book(self):
        """Book this batch as sent: one journal entry on the transfer account (one line per
        payment group, as the bank books it) against the invoices' receivables (payables),
        reconciled with them (tools/fastpath_booking.py); the mandates move on."""
        self.ensure_one()
        company = self.company_id
        transfer_account = company._crm_sepa_transfer_account()
        if not transfer_account:
            raise UserError(
                self.env._("Set a SEPA transfer account in the settings of %(c)s.", c=company.name)
            )
        lines = self.line_ids.filtered(lambda line: line.state == "open")
        lines.fetch(
            [
                "move_id",
                "partner_id",
                "amount_cents",
                "sequence_type",
                "collection_date",
                "end_to_end_id",
            ]
        )
        by_move = self._open_counterpart_lines(lines.move_id)
        sign = 1 if self.kind == "debit" else -1  # debit: money comes in
        payments = []
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
            vals = {
                "name": line.end_to_end_id,
                "account_id": amls[0].account_id.id,
                "partner_id": line.partner_id.id,
                "debit": balance < 0 and -balance or 0.0,
                "credit": balance > 0 and balance or 0.0,
            }
            payments.append((line, vals, amls))
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
        entry = fastpath_booking.book(
            self,
            self._general_journal(),
            fields.Date.context_today(self),
            group_lines,
            payments,
        )
        if self.kind == "debit":
            lines = lines.browse(lines.ids)
            dates = {line.mandate_id.id: line.collection_date for line in lines}
            lines.mandate_id._debit_sent(dates)
        return entry
