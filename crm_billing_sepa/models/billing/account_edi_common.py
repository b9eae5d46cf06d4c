from odoo import models


class AccountEdiCommon(models.AbstractModel):
    """What all of Odoo's UBL and CII builders share."""

    _inherit = "account.edi.common"

    def _get_tax_exemption_reason(self, customer, supplier, tax):
        """A line without tax (dunning fees, default interest: damages, not subject to
        VAT) is reported as exempt (E) with that reason (BR-E-10), not Odoo's bare
        "Exempt from tax"."""
        if tax:
            return super()._get_tax_exemption_reason(customer, supplier, tax)
        return {
            "tax_exemption_reason": self.env._(
                "Not subject to VAT: damages (dunning fees, default interest)"
            ),
            "tax_exemption_reason_code": None,
        }
