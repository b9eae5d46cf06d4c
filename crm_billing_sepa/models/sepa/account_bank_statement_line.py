from odoo import api, models
from odoo.fields import Command


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    @api.model_create_multi
    def create(self, vals_list):
        st_lines = super().create(vals_list)
        st_lines._crm_sepa_reconcile()
        return st_lines

    def action_crm_sepa_reconcile(self):
        """Match these statement lines with sent SEPA batches and returns (button, RPC):
        a line reconciles when its amount equals the open transfer amount of a payment
        group, of a whole batch, or of a return. Returns the ids of the matched lines."""
        return self._crm_sepa_reconcile().ids

    def _crm_sepa_reconcile(self):
        matched = self.browse()
        for st_line in self.filtered(lambda line: not line.is_reconciled and line.amount):
            transfer_account = st_line.company_id._crm_sepa_transfer_account()
            if not transfer_account:
                continue
            candidates = self._crm_sepa_candidates(st_line, transfer_account)
            if not candidates:
                continue
            _liquidity, suspense, _other = st_line._seek_for_lines()
            if len(suspense) != 1:
                continue
            st_line.move_id.with_context(skip_readonly_check=True).write(
                {"line_ids": [Command.update(suspense.id, {"account_id": transfer_account.id})]}
            )
            (suspense | candidates).reconcile()
            matched |= st_line
            batches = self.env["crm.sepa.batch"].search([("move_id", "in", candidates.move_id.ids)])
            batches._update_settled()
        return matched

    def _crm_sepa_candidates(self, st_line, transfer_account):
        """Open transfer-account lines of SEPA entries whose sum is this line's amount:
        a single line (one payment group, one payment of a batch booked without batch
        booking, or one return) first, the one whose batch or end-to-end id the statement
        line's label names first; else a whole batch, the named one first."""
        cents = round(st_line.amount * 100)
        batches = self.env["crm.sepa.batch"].search(
            [("company_id", "=", st_line.company_id.id), ("state", "=", "sent")],
            order="id",
        )
        returns = (
            self.env["crm.sepa.batch.line"]
            .search([("company_id", "=", st_line.company_id.id), ("return_move_id", "!=", False)])
            .return_move_id
        )
        open_lines = (batches.move_id | returns).line_ids.filtered(
            lambda aml: aml.account_id == transfer_account and not aml.reconciled
        )
        label = st_line.payment_ref or ""
        named = batches.filtered(lambda b: b.name in label)
        ordered = named + (batches - named)
        words = set(label.split())

        def rank(aml):
            # the payment's end-to-end id (last word of a single payment's line) named first
            e2e_named = bool(aml.name) and aml.name.split()[-1] in words
            return (not e2e_named, aml.move_id not in named.move_id)

        for aml in open_lines.sorted(rank):
            if round(aml.amount_residual * 100) == cents:
                return aml
        for batch in ordered:
            lines = open_lines.filtered(lambda aml, b=batch: aml.move_id == b.move_id)
            if lines and round(sum(lines.mapped("amount_residual")) * 100) == cents:
                return lines
        return open_lines.browse()
