from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """SEPA mandates and the direct debit and credit transfer batches of a customer in
    their correspondence (crm_chronicle's hook)."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "crm.sepa.mandate": [
            "name",
            "signature_date",
            "commercial_partner_id",
            "company_id",
            "create_uid",
        ],
        "crm.sepa.batch": ["name", "kind", "state", "collection_date", "company_id"],
        "crm.sepa.batch.line": ["batch_id", "partner_id"],
    }

    kind = fields.Selection(
        selection_add=[
            ("sepa_mandate", "SEPA Mandate"),
            ("sepa_debit", "Direct Debit Batch"),
            ("sepa_transfer", "Credit Transfer Batch"),
        ]
    )

    @api.model
    def _correspondence_sources(self):
        """Every mandate; every batch with a payment of the customer, once per customer
        (its row stands for the customer's first payment in it)."""
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT m.id AS source_id, 'sepa_mandate' AS kind,
                       %s AS date,
                       m.name, m.commercial_partner_id AS partner_id,
                       m.create_uid AS user_id, m.company_id,
                       'crm.sepa.mandate' AS res_model, m.id AS res_id,
                       'crm.sepa.mandate' AS doc_model, m.id AS doc_id
                  FROM crm_sepa_mandate m
                """,
                self._correspondence_moment(SQL("m.signature_date"), SQL("m.create_date")),
            ),
            SQL(
                """
                SELECT DISTINCT ON (b.id, p.commercial_partner_id)
                       l.id AS source_id,
                       CASE b.kind WHEN 'transfer' THEN 'sepa_transfer' ELSE 'sepa_debit' END
                           AS kind,
                       %s AS date,
                       b.name, p.commercial_partner_id AS partner_id,
                       b.create_uid AS user_id, b.company_id,
                       'crm.sepa.batch' AS res_model, b.id AS res_id,
                       'crm.sepa.batch' AS doc_model, b.id AS doc_id
                  FROM crm_sepa_batch_line l
                  JOIN crm_sepa_batch b ON b.id = l.batch_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE b.state != 'cancelled'
                 ORDER BY b.id, p.commercial_partner_id, l.id
                """,
                self._correspondence_moment(SQL("b.collection_date"), SQL("b.create_date")),
            ),
        ]

    @api.model
    def _correspondence_document_actions(self):
        actions = super()._correspondence_document_actions()
        actions["crm.sepa.mandate"] = {"send": "composer"}
        return actions
