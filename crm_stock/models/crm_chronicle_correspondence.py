from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """The customer's delivery notes in its correspondence (crm_chronicle's hook): outgoing
    transfers not cancelled, dated when done (else when planned); a user without inventory
    rights on the transfer does not see its row."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "stock.picking": [
            "name",
            "state",
            "date_done",
            "scheduled_date",
            "partner_id",
            "user_id",
            "company_id",
            "picking_type_id",
        ],
        "stock.picking.type": ["code"],
    }

    kind = fields.Selection(selection_add=[("stock_delivery", "Delivery Note")])

    @api.model
    def _correspondence_sources(self):
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT pk.id AS source_id, 'stock_delivery' AS kind,
                       COALESCE(pk.date_done, pk.scheduled_date) AS date, pk.name,
                       p.commercial_partner_id AS partner_id, pk.user_id, pk.company_id,
                       'stock.picking' AS res_model, pk.id AS res_id,
                       'stock.picking' AS doc_model, pk.id AS doc_id
                  FROM stock_picking pk
                  JOIN stock_picking_type t ON t.id = pk.picking_type_id
                  JOIN res_partner p ON p.id = pk.partner_id
                 WHERE t.code = 'outgoing' AND pk.state != 'cancel'
                """
            ),
        ]

    @api.model
    def _correspondence_flow(self):
        return {**super()._correspondence_flow(), "stock_delivery": 30}
