from odoo import api, models


class SaleOrder(models.Model):
    """Payment alerts of the customer (crm_sale's res.partner) on quotations and orders:
    shown in Odoo's warning banner, and with the setting Block refused when a quotation is
    created, moved to such a customer or confirmed.

    A quotation is in the customer's sales currency (crm_core's definition, as its
    invoices): Odoo takes the order's currency from its pricelist, so a customer whose
    price group is in another currency gets a pricelist in the sales currency (see
    res.partner's `_crm_sale_pricelists`); without pricelists the currency itself."""

    _inherit = "sale.order"

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        super()._compute_pricelist_id()
        for company, orders in (
            self.filtered(lambda o: o.state == "draft" and o.partner_id)
            .grouped("company_id")
            .items()
        ):
            pricelists = orders.partner_id.with_company(company)._crm_sale_pricelists()
            for order in orders:
                pricelist = pricelists.get(order.partner_id._origin.id or order.partner_id.id)
                if pricelist and pricelist != order.pricelist_id:
                    order.pricelist_id = pricelist

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for order in self.filtered(lambda o: not o.pricelist_id and o.partner_id):
            customer = order.partner_id.commercial_partner_id.with_company(order.company_id)
            if customer.crm_sale_currency_id:
                order.currency_id = customer.crm_sale_currency_id

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
