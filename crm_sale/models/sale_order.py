from odoo import api, models


class SaleOrder(models.Model):
    """Payment alerts of the customer (crm_sale's res.partner) on quotations and orders:
    shown in Odoo's warning banner, and with the setting Block refused when a quotation is
    created, moved to such a customer or confirmed."""

    _inherit = "sale.order"

    @api.depends("partner_id")
    def _compute_sale_warning_text(self):
        super()._compute_sale_warning_text()
        alerts = self.partner_id._crm_sale_payment_alerts()
        for order in self:
            reasons = alerts.get(order.partner_id.commercial_partner_id._origin.id)
            if reasons:
                order.sale_warning_text = "\n".join(
                    filter(None, [order.sale_warning_text, *reasons])
                )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.partner_id._crm_sale_check_payment_alerts()
        return orders

    def write(self, vals):
        result = super().write(vals)
        if vals.get("partner_id"):
            self.partner_id._crm_sale_check_payment_alerts()
        return result

    def action_confirm(self):
        self.partner_id._crm_sale_check_payment_alerts()
        return super().action_confirm()
