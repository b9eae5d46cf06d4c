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
        Event = self.env["crm.partner.event"]
        fields_ = Event._loggable_fields(self, set(vals)) if self else []
        if not fields_:
            return super().write(vals)
        before = Event._snapshot(self, fields_)
        customers = Event._customers_of(self)
        result = super().write(vals)
        if "partner_id" in vals:
            customers = {
                account.id: customers.get(account.id, account.partner_id)
                | account.partner_id.commercial_partner_id
                for account in self.sudo()
            }
        Event._log(Event._changes(self, fields_, before, customers))
        return result

    def unlink(self):
        Event = self.env["crm.partner.event"]
        vals_list = Event._presence(self.sudo().filtered("partner_id"), "removed")
        result = super().unlink()
        Event._log(vals_list)
        return result
