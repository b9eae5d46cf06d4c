from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """Filed scans in the customer's correspondence (crm_chronicle's hook)."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "crm.scan.document": [
            "name",
            "state",
            "document_date",
            "partner_id",
            "company_id",
            "create_uid",
        ],
    }

    kind = fields.Selection(selection_add=[("scan", "Scanned Document")])

    @api.model
    def _correspondence_sources(self):
        """Every filed scan of the customer, on the date it bears (else its arrival); its
        row stands for the chronicle entry that logs the filing."""
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT d.id AS source_id, 'scan' AS kind,
                       %s AS date, d.name,
                       p.commercial_partner_id AS partner_id, d.create_uid AS user_id,
                       d.company_id, 'crm.scan.document' AS res_model, d.id AS res_id,
                       'crm.scan.document' AS doc_model, d.id AS doc_id
                  FROM crm_scan_document d
                  JOIN res_partner p ON p.id = d.partner_id
                 WHERE d.state = 'done'
                """,
                self._correspondence_moment(SQL("d.document_date"), SQL("d.create_date")),
            ),
        ]

    @api.model
    def _correspondence_logged_models(self):
        return super()._correspondence_logged_models() | {"crm.scan.document"}
