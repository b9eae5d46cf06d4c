import re

from odoo import api, fields, models

from ..tools import recognition


class CrmScanDocumentType(models.Model):
    """Kind of scanned document (invoice, letter, contract, mandate, delivery note...),
    recognised by keywords."""

    _name = "crm.scan.document.type"
    _description = "Scanned Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    keywords = fields.Text(
        help="Words or phrases, one per line or separated by commas; the type whose "
        "keywords occur most often on a page wins."
    )
    document_count = fields.Integer(compute="_compute_document_count")

    _unique_code = models.Constraint("UNIQUE(code)", "The code of a document type must be unique.")

    def _compute_document_count(self):
        counts = dict(
            self.env["crm.scan.document"]._read_group(
                [("document_type_id", "in", self.ids)], ["document_type_id"], ["__count"]
            )
        )
        for doc_type in self:
            doc_type.document_count = counts.get(doc_type, 0)

    def _keyword_list(self):
        self.ensure_one()
        return [w.strip() for w in re.split(r"[,\n]", self.keywords or "") if w.strip()]

    @api.model
    def _classify(self, text):
        """The type whose keywords fit the text best; the type with code 'other' (or
        nothing) when none fits."""
        types = self.search([])
        key, _hits = recognition.classify(text, {t.id: t._keyword_list() for t in types})
        if key:
            return self.browse(key)
        return types.filtered(lambda t: t.code == "other")[:1]
