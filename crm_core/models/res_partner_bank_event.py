"""res.partner.bank: bank accounts added, changed and removed, in the customer's event log
(crm.partner.event; numbers masked for users who may not see them)."""

from odoo import api, models


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    _crm_event_skip_fields = frozenset({"sanitized_acc_number"})

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        Event = self.env["crm.partner.event"]
        Event._log(Event._presence(accounts.filtered("partner_id"), "created"))
        return accounts

    def write(self, vals):
        return self.env["crm.partner.event"]._logged_write(
            self, vals, super().write, moving=("partner_id",)
        )

    def unlink(self):
        Event = self.env["crm.partner.event"]
        vals_list = Event._presence(self.sudo().filtered("partner_id"), "removed")
        result = super().unlink()
        Event._log(vals_list)
        return result
