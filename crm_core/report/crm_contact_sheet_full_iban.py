from odoo import api, models
from odoo.exceptions import AccessError


class ReportCrmContactSheetFullIban(models.AbstractModel):
    """The contact sheet with complete IBANs: for users who see complete bank account
    numbers (group crm_core.group_bank_account_number)."""

    _name = "report.crm_core.report_contact_sheet_full_iban"
    _inherit = "report.crm_core.report_contact_sheet"
    _description = "Contact Sheet Report (full IBAN)"

    show_full_iban = True

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env["res.partner.bank"]._crm_number_visible():
            raise AccessError(
                self.env._(
                    "Only users who see complete bank account numbers may print contact "
                    "sheets with complete IBANs."
                )
            )
        return super()._get_report_values(docids, data=data)
