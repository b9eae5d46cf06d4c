from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _crm_einvoice_missing_list(self):
        """The labels of what this company's XRechnung invoices would lack as seller: its
        VAT id (BR-CO-26, BR-DE-16), address (BR-08, BR-DE-3, BR-DE-4), phone and e-mail of
        the seller contact (BR-DE-6, BR-DE-7)."""
        self.ensure_one()
        partner = self.partner_id
        return [
            partner._fields[fname].get_description(self.env)["string"]
            for fname in ("vat", "street", "zip", "city", "country_id", "phone", "email")
            if not partner[fname]
        ]
