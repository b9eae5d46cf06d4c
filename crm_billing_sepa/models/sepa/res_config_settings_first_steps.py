from odoo import api, fields, models

from odoo.addons.crm_core.tools.boundary import one_record


class ResConfigSettings(models.TransientModel):
    """First step (crm_core's "First Steps"): the company's bank account and SEPA creditor
    identifier."""

    _inherit = "res.config.settings"

    crm_step_bank_done = fields.Boolean(
        "Bank and Creditor Identifier Set", compute="_compute_crm_step_bank_done"
    )

    @api.depends("company_id")
    def _compute_crm_step_bank_done(self):
        for settings in self:
            company = settings.company_id.sudo()
            settings.crm_step_bank_done = bool(
                company.partner_id.bank_ids and company.crm_sepa_creditor_identifier
            )

    @one_record
    def action_crm_step_bank(self):
        """The company's bank accounts while it has none, then the SEPA settings."""
        self.ensure_one()
        company = self.company_id
        if company.partner_id.bank_ids:
            return self._crm_settings_action("crm_billing_sepa")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bank Account of %(company)s", company=company.name),
            "res_model": "res.partner.bank",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": company.partner_id.id},
        }
