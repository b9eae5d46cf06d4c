from odoo import api, fields, models

from odoo.addons.crm_core.tools.boundary import one_record


class CrmChronicleFeed(models.TransientModel):
    """Show, rotate or revoke the current user's calendar feed URL."""

    _name = "crm.chronicle.feed"
    _description = "My Calendar Feed"

    url = fields.Char("Feed URL", readonly=True)
    feed_active = fields.Boolean(compute="_compute_feed_active")

    @api.depends("url")
    def _compute_feed_active(self):
        for wizard in self:
            wizard.feed_active = self.env.user.crm_feed_active

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @one_record
    def action_rotate(self):
        self.ensure_one()
        self.url = self.env.user._crm_feed_rotate()
        return self._reopen()

    @one_record
    def action_revoke(self):
        self.ensure_one()
        self.env.user._crm_feed_revoke()
        self.url = False
        return self._reopen()
