from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...tools import leitweg_id


class ResPartner(models.Model):
    """A customer's e-invoice definitions: next to Odoo's own format and Peppol address
    (account_edi_ubl_cii: invoice_edi_format, peppol_eas, peppol_endpoint), what XRechnung
    needs from the buyer. Kept on the commercial partner and shown to its contacts."""

    _inherit = "res.partner"

    crm_einvoice_public = fields.Boolean(
        "Public Authority",
        tracking=True,
        help="A German public customer: its e-invoices carry its Leitweg-ID as buyer "
        "reference, which is then required and checked.",
    )
    crm_einvoice_buyer_reference = fields.Char(
        "Buyer Reference",
        tracking=True,
        help="Buyer reference (BT-10) of every e-invoice to this customer: the Leitweg-ID of "
        "a public authority, else the reference the customer asked for (department, cost "
        "centre).",
    )
    crm_einvoice_order_reference = fields.Char(
        "Order Reference",
        tracking=True,
        help="The customer's purchase order or framework contract number, quoted on its "
        "invoices (BT-13) unless an invoice gives its own.",
    )
    crm_einvoice_order_required = fields.Boolean(
        "Order Reference Required",
        tracking=True,
        help="Invoices to this customer cannot be posted without an order reference.",
    )
    crm_einvoice_missing = fields.Char(
        "E-Invoice Data Missing",
        compute="_compute_crm_einvoice_missing",
        help="What the customer's e-invoices would lack: invoices are not posted until it "
        "is filled in.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "crm_einvoice_public",
            "crm_einvoice_buyer_reference",
            "crm_einvoice_order_reference",
            "crm_einvoice_order_required",
        ]

    @api.constrains("crm_einvoice_public", "crm_einvoice_buyer_reference")
    def _check_crm_einvoice_buyer_reference(self):
        for partner in self:
            reference = partner.crm_einvoice_buyer_reference
            if partner.crm_einvoice_public and reference and not leitweg_id.is_valid(reference):
                raise ValidationError(
                    self.env._(
                        "%(partner)s, field Buyer Reference: %(value)s is not a valid "
                        "Leitweg-ID (digits, optionally a dash and up to 30 letters or digits, "
                        "a dash and two check digits, e.g. 991-33333TEST-33).",
                        partner=partner.display_name,
                        value=reference,
                    )
                )

    @api.depends_context("company")
    @api.depends(
        "crm_einvoice_public",
        "crm_einvoice_buyer_reference",
        "zip",
        "city",
        "country_id",
        "invoice_edi_format",
    )
    def _compute_crm_einvoice_missing(self):
        for partner in self:
            partner.crm_einvoice_missing = ", ".join(
                partner.commercial_partner_id._crm_einvoice_missing_list()
            )

    @api.model
    def get_import_templates(self):
        """The customer import template with the e-invoice columns (format, Peppol address,
        public authority, Leitweg-ID / buyer reference, order reference), next to crm_core's
        template without them."""
        return super().get_import_templates() + [
            {
                "label": self.env._(
                    "Import Template for Customers with E-Invoice Settings (CRM Suite, Excel)"
                ),
                "template": "/crm_billing_sepa/static/xls/"
                "crm_customers_einvoice_import_template.xlsx",
            },
            {
                "label": self.env._(
                    "Import Template for Customers with E-Invoice Settings (CRM Suite, CSV)"
                ),
                "template": "/crm_billing_sepa/static/xls/"
                "crm_customers_einvoice_import_template.csv",
            },
        ]

    def _crm_einvoice_xrechnung(self):
        """Whether this customer gets XRechnung e-invoices: a public authority (required by
        law since 2020), or XRechnung chosen as its e-invoice format."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner.crm_einvoice_public or partner.invoice_edi_format == "xrechnung"

    def _crm_einvoice_missing_list(self):
        """The labels of what this (commercial) customer's e-invoices would lack."""
        self.ensure_one()
        missing = []
        if self.crm_einvoice_public and not leitweg_id.is_valid(self.crm_einvoice_buyer_reference):
            missing.append(self.env._("Leitweg-ID (Buyer Reference)"))
        if self._crm_einvoice_xrechnung():
            # the buyer's post code and city (BR-DE-8, BR-DE-9), its country (BR-11)
            for fname in ("zip", "city", "country_id"):
                if not self[fname]:
                    missing.append(self._fields[fname].get_description(self.env)["string"])
        return missing
