from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_datev_consultant_number = fields.Integer(
        related="company_id.crm_datev_consultant_number", readonly=False
    )
    crm_datev_client_number = fields.Integer(
        related="company_id.crm_datev_client_number", readonly=False
    )
    crm_datev_account_length = fields.Integer(
        related="company_id.crm_datev_account_length", readonly=False
    )
    crm_datev_debtor_from = fields.Integer(
        related="company_id.crm_datev_debtor_from", readonly=False
    )
    crm_datev_debtor_to = fields.Integer(related="company_id.crm_datev_debtor_to", readonly=False)
    crm_datev_creditor_from = fields.Integer(
        related="company_id.crm_datev_creditor_from", readonly=False
    )
    crm_datev_creditor_to = fields.Integer(
        related="company_id.crm_datev_creditor_to", readonly=False
    )
