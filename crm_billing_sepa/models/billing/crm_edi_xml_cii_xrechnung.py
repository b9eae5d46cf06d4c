from odoo import models

XRECHNUNG_CIUS = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


class CrmEdiXmlCiiXrechnung(models.AbstractModel):
    """XRechnung 3.0 in the CII syntax: Odoo's Factur-X CII builder with the XRechnung
    specification identifier (BT-24). Odoo writes XRechnung only as UBL."""

    _name = "crm.edi.xml.cii_xrechnung"
    _inherit = ["account.edi.xml.cii"]
    _description = "XRechnung CII 3.0"

    def _export_invoice_filename(self, invoice):
        return f"{invoice.name.replace('/', '_')}_xrechnung_cii.xml"

    def _crm_document_context_id(self):
        return XRECHNUNG_CIUS
