from odoo import api, fields, models
from odoo.tools import html_escape

from odoo.addons.crm_core.tools.boundary import public

from .crm_scan_document import checked_records


class CrmScanSuggestion(models.Model):
    """A partner the document may belong to, with its score and the evidence."""

    _name = "crm.scan.suggestion"
    _description = "Scanned Document: Partner Suggestion"
    _order = "document_id, sequence, score desc, id"

    document_id = fields.Many2one(
        "crm.scan.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    sequence = fields.Integer()
    score = fields.Float(digits=(3, 2))
    evidence = fields.Json()
    evidence_html = fields.Html(compute="_compute_evidence_html", sanitize=False)
    evidence_summary = fields.Char(compute="_compute_evidence_html")

    def _kind_labels(self):
        return {
            "number_labelled": self.env._("Debtor/creditor number"),
            "number": self.env._("Customer number (confirms)"),
            "number_token": self.env._("Number on the page (confirms)"),
            "domain": self.env._("Web domain"),
            "own_document": self.env._("Our own document"),
            "name_text": self.env._("Name in the text (confirms)"),
            "conflict": self.env._("The letter names another writer"),
            "elsewhere": self.env._("The letter gives another address than the partner's"),
            "iban": self.env._("IBAN"),
            "vat": self.env._("VAT id"),
            "registration": self.env._("Register number"),
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "invoice": self.env._("Invoice"),
            "mandate": self.env._("SEPA mandate"),
            "name": self.env._("Name"),
            "address": self.env._("Address"),
        }

    def _zone_labels(self):
        return {
            "party": self.env._("where the writer is named"),
            "body": self.env._("in the text"),
        }

    @api.depends("evidence")
    def _compute_evidence_html(self):
        labels = self._kind_labels()
        zones = self._zone_labels()
        for suggestion in self:
            items = suggestion.evidence or []
            rows = "".join(
                f"<li><b>{html_escape(labels.get(i['kind'], i['kind']))}</b>: "
                f"{html_escape(str(i['value']))}"
                + (f" <i>({html_escape(zones[i['zone']])})</i>" if i.get("zone") in zones else "")
                + (f" ({round(i['weight'] * 100)}%)" if i.get("weight") else "")
                + "</li>"
                for i in items
            )
            suggestion.evidence_html = f"<ul class='mb-0'>{rows}</ul>" if rows else False
            suggestion.evidence_summary = ", ".join(
                f"{labels.get(i['kind'], i['kind'])}: {i['value']}" for i in items
            )

    @public()
    def action_choose(self):
        """Review: file the document to this partner."""
        checked_records(self, one=True)
        self.document_id.partner_id = self.partner_id
        return self.document_id.action_confirm()
