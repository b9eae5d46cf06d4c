from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """The supplier's requests for quotation and purchase orders in its correspondence
    (crm_chronicle's hook): one row per order, a request until it is confirmed; a user
    without purchase rights on the order does not see its row."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "purchase.order": [
            "name",
            "state",
            "date_order",
            "date_approve",
            "partner_id",
            "user_id",
            "company_id",
        ],
    }

    kind = fields.Selection(
        selection_add=[
            ("purchase_rfq", "Request for Quotation"),
            ("purchase_order", "Purchase Order"),
        ]
    )

    @api.model
    def _correspondence_sources(self):
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT o.id AS source_id,
                       CASE WHEN o.state IN ('purchase', 'done') THEN 'purchase_order'
                            ELSE 'purchase_rfq' END AS kind,
                       COALESCE(o.date_approve, o.date_order) AS date, o.name,
                       p.commercial_partner_id AS partner_id, o.user_id, o.company_id,
                       'purchase.order' AS res_model, o.id AS res_id,
                       'purchase.order' AS doc_model, o.id AS doc_id
                  FROM purchase_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state != 'cancel'
                """
            ),
        ]

    @api.model
    def _correspondence_flow(self):
        return {**super()._correspondence_flow(), "purchase_rfq": 10, "purchase_order": 20}
