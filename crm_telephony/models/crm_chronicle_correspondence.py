from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """Phone calls in the customer's correspondence (crm_chronicle's hook)."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "crm.phone.call": ["name", "start", "commercial_partner_id", "user_id", "company_id"],
    }

    kind = fields.Selection(selection_add=[("call", "Phone Call")])

    @api.model
    def _correspondence_sources(self):
        """Every call with a known customer; its row stands for the chronicle entry that
        logs it."""
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT c.id AS source_id, 'call' AS kind, c.start AS date, c.name,
                       c.commercial_partner_id AS partner_id, c.user_id, c.company_id,
                       'crm.phone.call' AS res_model, c.id AS res_id,
                       'crm.phone.call' AS doc_model, c.id AS doc_id
                  FROM crm_phone_call c
                 WHERE c.commercial_partner_id IS NOT NULL
                """
            ),
        ]

    @api.model
    def _correspondence_logged_models(self):
        return super()._correspondence_logged_models() | {"crm.phone.call"}
