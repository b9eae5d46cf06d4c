from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_sepa_creditor_identifier = fields.Char(
        related="company_id.crm_sepa_creditor_identifier", readonly=False
    )
    crm_sepa_default_scheme = fields.Selection(
        related="company_id.crm_sepa_default_scheme", readonly=False
    )
    crm_sepa_dd_version = fields.Selection(related="company_id.crm_sepa_dd_version", readonly=False)
    crm_sepa_ct_version = fields.Selection(related="company_id.crm_sepa_ct_version", readonly=False)
    crm_sepa_batch_booking = fields.Boolean(
        related="company_id.crm_sepa_batch_booking", readonly=False
    )
    crm_sepa_lead_days = fields.Integer(related="company_id.crm_sepa_lead_days", readonly=False)
    crm_sepa_journal_id = fields.Many2one(related="company_id.crm_sepa_journal_id", readonly=False)
    crm_sepa_transfer_account_id = fields.Many2one(
        related="company_id.crm_sepa_transfer_account_id", readonly=False
    )
    crm_sepa_return_fee = fields.Monetary(related="company_id.crm_sepa_return_fee", readonly=False)
    crm_sepa_return_fee_account_id = fields.Many2one(
        related="company_id.crm_sepa_return_fee_account_id", readonly=False
    )
