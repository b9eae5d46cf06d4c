from odoo import fields, models

from .res_partner import PAYMENT_ALERT_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_sale_payment_alert = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        "Payment Alerts in Sales",
        default="warn",
        config_parameter=PAYMENT_ALERT_PARAM,
        help="A customer on dunning block or with a returned direct debit still open: "
        "Warn shows it on the quotation and order; Block refuses to start or confirm one.",
    )
