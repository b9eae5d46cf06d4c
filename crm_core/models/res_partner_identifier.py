"""res.partner: keeps the normalised identifiers (crm.partner.identifier) up to date."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_identifier_ids = fields.One2many(
        "crm.partner.identifier", "partner_id", string="Identifiers"
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        Identifier = self.env["crm.partner.identifier"]
        watched = Identifier._partner_source_fields()
        if any(watched & set(vals) for vals in vals_list):
            Identifier._sync_partners(partners.ids)
        return partners

    def write(self, vals):
        result = super().write(vals)
        Identifier = self.env["crm.partner.identifier"]
        if Identifier._partner_source_fields() & set(vals) or "country_id" in vals:
            Identifier._sync_partners(self.ids)
        return result
