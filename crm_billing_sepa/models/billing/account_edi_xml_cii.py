from odoo import models
from odoo.tools import frozendict

FACTURX_EN16931 = "urn:cen.eu:en16931:2017"


class AccountEdiXmlCii(models.AbstractModel):
    """Odoo's Factur-X CII builder (also embedded in every invoice PDF Odoo sends)."""

    _inherit = "account.edi.xml.cii"

    def _crm_document_context_id(self):
        """The specification identifier (BT-24): the Factur-X/ZUGFeRD profile EN 16931, as
        the PDF's metadata declare it (Odoo writes the EXTENDED profile's identifier)."""
        return FACTURX_EN16931

    def _export_invoice_vals(self, invoice):
        vals = super()._export_invoice_vals(invoice)
        vals["document_context_id"] = self._crm_document_context_id()
        # the buyer's references (from the customer's definitions): BT-10 required by
        # XRechnung (BR-DE-15), "N/A" as Odoo's XRechnung UBL writes it when the customer
        # gave none; BT-13 only with the customer's order number, not the invoice's number
        vals["buyer_reference"] = (
            invoice.buyer_reference or invoice.commercial_partner_id.ref or "N/A"
        )
        vals["purchase_order_reference"] = invoice.purchase_order_reference or ""
        origin = invoice.reversed_entry_id
        vals["crm_preceding_invoice"] = origin if invoice.move_type == "out_refund" else None
        vals["crm_direct_debit"] = invoice._crm_einvoice_direct_debit()
        if vals["crm_direct_debit"]:
            vals["payment_means_code"] = 59
        self._crm_add_untaxed_lines(invoice, vals)
        return vals

    def _crm_add_untaxed_lines(self, invoice, vals):
        """Lines that need no tax (dunning fees) as exempt (E) with their reason, on the
        line (BR-CO-04) and in the VAT breakdown (BR-CO-18), their amount in the totals
        (BR-CO-10, BR-CO-15); Odoo's CII leaves them out of both."""
        tax_details = vals["tax_details"]
        supplier = invoice.company_id.partner_id.commercial_partner_id
        for line_vals in vals["invoice_line_vals_list"]:
            line = line_vals["line"]
            record = tax_details["tax_details_per_record"][line]
            if line.tax_ids or record.get("tax_details"):
                continue
            key = frozendict(
                {
                    "tax_category_code": "E",
                    **self._get_tax_exemption_reason(invoice.commercial_partner_id, supplier, None),
                    "amount": 0.0,
                    "amount_type": "percent",
                }
            )
            base_currency, base = line.price_subtotal, abs(line.balance)
            record["tax_details"] = {
                key: {
                    **key,
                    "base_amount_currency": base_currency,
                    "base_amount": base,
                    "tax_amount_currency": 0.0,
                    "tax_amount": 0.0,
                }
            }
            total = tax_details["tax_details"].setdefault(
                key,
                {
                    **key,
                    "base_amount_currency": 0.0,
                    "base_amount": 0.0,
                    "tax_amount_currency": 0.0,
                    "tax_amount": 0.0,
                    "calculated_amount": 0,
                },
            )
            total["base_amount_currency"] += base_currency
            total["base_amount"] += base
            tax_details["base_amount_currency"] += base_currency
            tax_details["base_amount"] += base
            vals["tax_basis_total_amount"] += base_currency
