from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _check_edi_line_tax_required(self):
        """Dunning fees and default interest are damages, not subject to VAT: their lines
        carry no tax, and their e-invoices report them as exempt with that reason."""
        fee = self.env.ref("crm_billing_sepa.product_dunning_fee", raise_if_not_found=False)
        return super()._check_edi_line_tax_required() and not (fee and self.product_id == fee)
