from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """First step (crm_core's "First Steps"): a Fritz!Box whose connection test passed."""

    _inherit = "res.config.settings"

    crm_step_fritzbox_done = fields.Boolean(
        "Fritz!Box Connected", compute="_compute_crm_step_fritzbox_done"
    )

    @api.depends("company_id")
    def _compute_crm_step_fritzbox_done(self):
        Box = self.env["crm.telephony.box"].sudo()
        for settings in self:
            settings.crm_step_fritzbox_done = bool(
                Box.search_count(
                    [("company_id", "=", settings.company_id.id), ("state", "=", "ok")], limit=1
                )
            )

    def action_crm_step_fritzbox(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony.crm_telephony_box_action"
        )
