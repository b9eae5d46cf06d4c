from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """Dunning letters in the customer's correspondence (crm_chronicle's hook)."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "crm.dunning.letter": ["date", "state", "level_id", "partner_id", "company_id"],
        "crm.dunning.level": ["name"],
    }

    kind = fields.Selection(selection_add=[("dunning", "Dunning Letter")])

    @api.model
    def _correspondence_sources(self):
        """Confirmed and sent letters (a proposal is not a document yet)."""
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT l.id AS source_id, 'dunning' AS kind, %s AS date, %s AS name,
                       p.commercial_partner_id AS partner_id, l.create_uid AS user_id,
                       l.company_id, 'crm.dunning.letter' AS res_model, l.id AS res_id,
                       'crm.dunning.letter' AS doc_model, l.id AS doc_id
                  FROM crm_dunning_letter l
                  JOIN res_partner p ON p.id = l.partner_id
                  JOIN crm_dunning_level lv ON lv.id = l.level_id
                 WHERE l.state IN ('done', 'sent')
                """,
                self._correspondence_moment(SQL("l.date"), SQL("l.create_date")),
                self._correspondence_translated(SQL("lv.name")),
            ),
        ]

    @api.model
    def _correspondence_flow(self):
        return {**super()._correspondence_flow(), "dunning": 50}

    @api.model
    def _correspondence_logged_models(self):
        return super()._correspondence_logged_models() | {"crm.dunning.letter"}

    @api.model
    def _correspondence_document_actions(self):
        actions = super()._correspondence_document_actions()
        actions["crm.dunning.letter"] = {"print": "action_print", "send": "action_send"}
        return actions
