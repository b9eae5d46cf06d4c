from odoo import api, fields, models


class AccountMove(models.Model):
    """Invoices take the customer definitions of the record (issue 3, capability 5)."""

    _inherit = "account.move"

    # the customer's invoices and credit notes (the cockpit's counts and open amount, and
    # account's own "customer since"/total of the partner form) without reading all moves
    _crm_commercial_partner_idx = models.Index("(commercial_partner_id, move_type, state)")

    # the customer's/supplier's number in our books, shown and searchable on documents
    crm_debtor_number = fields.Char(
        related="commercial_partner_id.crm_debtor_number", string="Debtor Number"
    )
    crm_creditor_number = fields.Char(
        related="commercial_partner_id.crm_creditor_number", string="Creditor Number"
    )

    @api.depends("journal_id", "statement_line_id", "partner_id", "move_type")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for move in self:
            if move.state != "draft" or move.journal_id.currency_id or move.statement_line_id:
                continue
            partner = move.partner_id.commercial_partner_id.with_company(move.company_id)
            if move.is_sale_document(include_receipts=True):
                currency = partner.crm_sale_currency_id
            elif move.is_purchase_document(include_receipts=True):
                currency = partner.crm_purchase_currency_id
            else:
                continue
            if currency:
                move.currency_id = currency
