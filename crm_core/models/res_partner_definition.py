"""res.partner: the customer's definitions for documents. Payment methods, payment
terms, price list and credit limit are Odoo's own company-dependent fields; the suite adds
the currencies and brings them together on new invoices and credit notes."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_sale_currency_id = fields.Many2one(
        "res.currency",
        "Sales Currency",
        company_dependent=True,
        help="Currency of new invoices and credit notes to this customer.",
    )
    crm_purchase_currency_id = fields.Many2one(
        "res.currency",
        "Purchase Currency",
        company_dependent=True,
        help="Currency of new vendor bills from this supplier.",
    )

    def _crm_document_defaults(self, move_type):
        """Defaults of a new invoice/credit note for this customer (its definitions)."""
        self.ensure_one()
        return self._crm_documents_defaults(move_type)[self.id]

    def _crm_documents_defaults(self, move_type):
        """{partner id: defaults of a new invoice/credit note} for these customers."""
        addresses = self._crm_address_get_multi(["invoice"])
        result = {}
        for partner in self:
            commercial = partner.commercial_partner_id
            result[partner.id] = {
                "move_type": move_type,
                "partner_id": addresses[partner.id]["invoice"],
                "invoice_payment_term_id": commercial.property_payment_term_id.id,
                "fiscal_position_id": commercial.property_account_position_id.id,
                "currency_id": (
                    commercial.crm_sale_currency_id.id or self.env.company.currency_id.id
                ),
                "preferred_payment_method_line_id": (
                    commercial.property_inbound_payment_method_line_id.id
                ),
            }
        return result
