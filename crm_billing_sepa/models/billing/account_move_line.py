from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    crm_service_ids = fields.One2many("crm.service", "invoice_line_id", "Services", readonly=True)
