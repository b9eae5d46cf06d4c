from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """The customer's quotations and sales orders in its correspondence (crm_chronicle's
    hook): one row per order, a quotation until it is confirmed; a user without sales rights
    on the order does not see its row."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "sale.order": ["name", "state", "date_order", "partner_id", "user_id", "company_id"],
    }

    kind = fields.Selection(
        selection_add=[("sale_quotation", "Quotation"), ("sale_order", "Sales Order")]
    )

    @api.model
    def _correspondence_sources(self):
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT o.id AS source_id,
                       CASE WHEN o.state = 'sale' THEN 'sale_order'
                            ELSE 'sale_quotation' END AS kind,
                       o.date_order AS date, o.name,
                       p.commercial_partner_id AS partner_id, o.user_id, o.company_id,
                       'sale.order' AS res_model, o.id AS res_id,
                       'sale.order' AS doc_model, o.id AS doc_id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state != 'cancel'
                """
            ),
        ]

    @api.model
    def _correspondence_flow(self):
        return {**super()._correspondence_flow(), "sale_quotation": 10, "sale_order": 20}
