from odoo import api, models


class CrmPartnerIdentifier(models.Model):
    """The identifier table lives in crm_core; telephony adds the partners' mobile numbers to
    the phone identifiers, so callers are recognised on either number."""

    _inherit = "crm.partner.identifier"

    @api.model
    def _partner_sources(self):
        sources = super()._partner_sources()
        sources["phone"] = [*sources.get("phone", []), "crm_phone_mobile"]
        return sources
