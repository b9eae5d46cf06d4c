from odoo import api, models


class PurchaseOrder(models.Model):
    """The supplier's purchase currency of crm_core's definitions comes first."""

    _inherit = "purchase.order"

    @api.depends("partner_id", "company_id")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for order in self.filtered("partner_id"):
            supplier = order.partner_id.commercial_partner_id.with_company(order.company_id)
            currency = supplier._crm_purchase_currency()
            if currency:
                order.currency_id = currency
