from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """First step (crm_core's "First Steps"): a geocoder that has located an address."""

    _inherit = "res.config.settings"

    crm_step_geocoder_done = fields.Boolean(
        "Geocoder Working", compute="_compute_crm_step_geocoder_done"
    )

    @api.depends("company_id")
    def _compute_crm_step_geocoder_done(self):
        located = bool(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("crm_geo_state", "=", "found")], limit=1)
        )
        self.crm_step_geocoder_done = located

    def action_crm_step_geocoder(self):
        return self._crm_settings_action("crm_routing")
