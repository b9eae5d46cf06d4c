"""res.partner.bank: the IBANs of partners' bank accounts in the identifier table
(crm.partner.identifier), kept up to date on every change of an account."""

from odoo import api, models


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts._crm_sync_identifiers(accounts.partner_id.ids)
        return accounts

    def write(self, vals):
        before = self.partner_id.ids
        result = super().write(vals)
        if {"acc_number", "partner_id", "active"} & set(vals):
            self._crm_sync_identifiers(before + self.partner_id.ids)
        return result

    def unlink(self):
        partner_ids = self.partner_id.ids
        result = super().unlink()
        self._crm_sync_identifiers(partner_ids)
        return result

    def _crm_sync_identifiers(self, partner_ids):
        if partner_ids:
            self.env["crm.partner.identifier"].sudo()._sync_partners_soon(
                list(set(partner_ids)), kinds=["iban"]
            )
