from odoo import models


class AccountEdiXmlUblDe(models.AbstractModel):
    """Odoo's XRechnung UBL builder."""

    _inherit = "account.edi.xml.ubl_de"
