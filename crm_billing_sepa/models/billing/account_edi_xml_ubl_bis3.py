from odoo import models

from odoo.addons.crm_core.tools import sanitize

MULTILINE_TAGS = ("cbc:Note", "cbc:Description")


def _sanitize_node(node, tag=None):
    """Every text of a UBL document node (Odoo's nested dicts and lists) through crm_core's
    sanitising layer for XML: a control character in a customer's name or a line's label
    would make lxml refuse the whole document. Notes and descriptions keep their lines."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "_text" and isinstance(value, str):
                node[key] = sanitize.text(value, multiline=tag in MULTILINE_TAGS)
            elif isinstance(value, dict | list):
                _sanitize_node(value, key)
    elif isinstance(node, list):
        for item in node:
            _sanitize_node(item, tag)


class AccountEdiXmlUblBis3(models.AbstractModel):
    """Odoo's Peppol BIS Billing 3.0 builder, the base of its XRechnung UBL."""

    _inherit = "account.edi.xml.ubl_bis3"

    def _get_invoice_node(self, vals):
        document_node = super()._get_invoice_node(vals)
        _sanitize_node(document_node)
        return document_node

    def _get_party_node(self, vals):
        """[UBL-SR-53] A PartyTaxScheme needs its CompanyID: a party without VAT id (a
        public authority, a craftsman) gets none, where Odoo writes an empty one."""
        party_node = super()._get_party_node(vals)
        schemes = party_node.get("cac:PartyTaxScheme") or []
        if isinstance(schemes, dict):
            schemes = [schemes]
        party_node["cac:PartyTaxScheme"] = [
            scheme for scheme in schemes if (scheme.get("cbc:CompanyID") or {}).get("_text")
        ] or None
        return party_node

    def _add_invoice_payment_means_nodes(self, document_node, vals):
        """An invoice collected by SEPA direct debit: payment means 59 with the mandate and
        the debited account (BG-19, BR-DE-25), not Odoo's credit transfer to our account,
        which would ask the customer to pay a second time."""
        super()._add_invoice_payment_means_nodes(document_node, vals)
        invoice = vals["invoice"]
        debit = invoice._crm_einvoice_direct_debit()
        if debit:
            document_node["cac:PaymentMeans"] = {
                "cbc:PaymentMeansCode": {"_text": 59, "name": "SEPA direct debit"},
                "cbc:PaymentID": {"_text": invoice.payment_reference or invoice.name},
                "cac:PaymentMandate": {
                    "cbc:ID": {"_text": debit["mandate"]},
                    "cac:PayerFinancialAccount": {"cbc:ID": {"_text": debit["iban"]}},
                },
            }

    def _get_document_template(self, vals):
        """Odoo's UBL template knows no payment mandate (BG-19): a copy with it, after the
        payee's account as UBL orders them."""
        template = super()._get_document_template(vals)
        if "cac:PaymentMeans" not in template:
            return template
        means = {
            **template["cac:PaymentMeans"],
            "cac:PaymentMandate": {"cbc:ID": {}, "cac:PayerFinancialAccount": {"cbc:ID": {}}},
        }
        return {**template, "cac:PaymentMeans": means}

    def _add_invoice_accounting_supplier_party_nodes(self, document_node, vals):
        """The creditor identifier of a direct debit as the seller's identifier with
        scheme SEPA (BT-90, BR-DE-30)."""
        super()._add_invoice_accounting_supplier_party_nodes(document_node, vals)
        debit = vals["invoice"]._crm_einvoice_direct_debit()
        if debit:
            party = document_node["cac:AccountingSupplierParty"]["cac:Party"]
            identifications = party.get("cac:PartyIdentification") or []
            if isinstance(identifications, dict):
                identifications = [identifications]
            party["cac:PartyIdentification"] = [
                *(i for i in identifications if (i.get("cbc:ID") or {}).get("_text")),
                {"cbc:ID": {"_text": debit["creditor_id"], "schemeID": "SEPA"}},
            ]

    def _invoice_constraints_cen_en16931_ubl(self, invoice, vals):
        """[UBL-SR-48] one tax per line, except on lines that need none (dunning fees:
        reported as exempt, see account.edi.common)."""
        constraints = super()._invoice_constraints_cen_en16931_ubl(invoice, vals)
        if constraints.get("cen_en16931_tax_line"):
            lines = invoice.invoice_line_ids.filtered(
                lambda x: x.display_type not in ("line_section", "line_subsection", "line_note")
                and x._check_edi_line_tax_required()
            )
            if all(
                len(
                    line.tax_ids.flatten_taxes_hierarchy().filtered(
                        lambda t: t.amount_type != "fixed"
                    )
                )
                == 1
                for line in lines
            ):
                constraints["cen_en16931_tax_line"] = None
        return constraints

    def _add_invoice_header_nodes(self, document_node, vals):
        """The buyer's references of the invoice (from the customer's definitions):
        BuyerReference (BT-10) and OrderReference (BT-13) only with the customer's order
        number, where Odoo writes the invoice's own reference or number; a credit note
        names the invoice it credits (BillingReference, BT-25)."""
        super()._add_invoice_header_nodes(document_node, vals)
        invoice = vals["invoice"]
        if invoice.buyer_reference:
            document_node["cbc:BuyerReference"] = {"_text": invoice.buyer_reference}
        order = invoice.purchase_order_reference
        document_node["cac:OrderReference"] = {"cbc:ID": {"_text": order}} if order else None
        origin = invoice.reversed_entry_id
        if (
            invoice.move_type == "out_refund"
            and origin
            and not document_node.get("cac:BillingReference")
        ):
            document_node["cac:BillingReference"] = {
                "cac:InvoiceDocumentReference": {
                    "cbc:ID": {"_text": origin.name},
                    "cbc:IssueDate": {"_text": origin.invoice_date},
                }
            }
