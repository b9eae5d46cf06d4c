from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record

from ..models.sepa.crm_sepa_batch_line import RETURN_REASONS


class CrmSepaReturnWizard(models.TransientModel):
    """Register returned direct debits with their reason code."""

    _name = "crm.sepa.return.wizard"
    _description = "Register SEPA Returns"

    line_ids = fields.Many2many(
        "crm.sepa.batch.line",
        string="Debits",
        required=True,
        domain="[('state', '=', 'collected'), ('kind', '=', 'debit')]",
        default=lambda s: s.env.context.get("active_model") == "crm.sepa.batch.line"
        and s.env.context.get("active_ids"),
    )
    reason = fields.Selection(
        [(code, f"{code} {text}") for code, (text, _effect) in RETURN_REASONS.items()],
        required=True,
    )
    return_date = fields.Date(required=True, default=fields.Date.context_today)
    charge_fee = fields.Boolean("Charge the Return Fee")
    info = fields.Char("Additional Information")

    @one_record
    def action_register(self):
        self.ensure_one()
        self.line_ids.register_return(
            self.reason, self.return_date, charge_fee=self.charge_fee, info=self.info
        )
        return {"type": "ir.actions.act_window_close"}
