from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """First step (crm_core's "First Steps"): where the scanner delivers - an incoming
    mail server (for the scan alias) or a hot folder."""

    _inherit = "res.config.settings"

    crm_step_scan_intake_done = fields.Boolean(
        "Scan Intake Set", compute="_compute_crm_step_scan_intake_done"
    )

    @api.depends("company_id")
    def _compute_crm_step_scan_intake_done(self):
        hot_folder = self.env["ir.config_parameter"].sudo().get_param("crm_scan.hot_folder")
        mail_server = "fetchmail.server" in self.env and self.env[
            "fetchmail.server"
        ].sudo().search_count([("state", "=", "done")], limit=1)
        self.crm_step_scan_intake_done = bool(hot_folder or mail_server)

    def action_crm_step_scan_intake(self):
        return self._crm_settings_action("crm_scan")
