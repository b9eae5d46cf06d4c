from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------------------------------
    # DATEV: the tax adviser's client and the account ranges of the chart
    # ------------------------------------------------------------------------------------------
    crm_datev_consultant_number = fields.Integer(
        "DATEV Consultant Number",
        help="Beraternummer: the tax adviser's number at DATEV (1001 to 9999999).",
    )
    crm_datev_client_number = fields.Integer(
        "DATEV Client Number",
        help="Mandantennummer: this company's number at the tax adviser (1 to 99999).",
    )
    crm_datev_account_length = fields.Integer(
        "G/L Account Length",
        default=4,
        help="Sachkontenlänge: digits of a G/L account in DATEV (4 in SKR03 and SKR04); "
        "debtor and creditor accounts have one digit more.",
    )
    crm_datev_debtor_from = fields.Integer("Debtor Accounts From", default=10000)
    crm_datev_debtor_to = fields.Integer("Debtor Accounts To", default=69999)
    crm_datev_creditor_from = fields.Integer("Creditor Accounts From", default=70000)
    crm_datev_creditor_to = fields.Integer("Creditor Accounts To", default=99999)

    @api.constrains(
        "crm_datev_consultant_number",
        "crm_datev_client_number",
        "crm_datev_account_length",
        "crm_datev_debtor_from",
        "crm_datev_debtor_to",
        "crm_datev_creditor_from",
        "crm_datev_creditor_to",
    )
    def _check_crm_datev_settings(self):
        _ = self.env._
        for company in self:
            consultant = company.crm_datev_consultant_number
            client = company.crm_datev_client_number
            if consultant and not 1001 <= consultant <= 9999999:
                raise ValidationError(
                    _(
                        "%(company)s: the DATEV consultant number is 1001 to 9999999.",
                        company=company.name,
                    )
                )
            if client and not 1 <= client <= 99999:
                raise ValidationError(
                    _("%(company)s: the DATEV client number is 1 to 99999.", company=company.name)
                )
            if not 4 <= company.crm_datev_account_length <= 8:
                raise ValidationError(
                    _("%(company)s: the G/L account length is 4 to 8 digits.", company=company.name)
                )
            debtors = (company.crm_datev_debtor_from, company.crm_datev_debtor_to)
            creditors = (company.crm_datev_creditor_from, company.crm_datev_creditor_to)
            if (
                debtors[0] > debtors[1]
                or creditors[0] > creditors[1]
                or not (debtors[1] < creditors[0] or creditors[1] < debtors[0])
            ):
                raise ValidationError(
                    _(
                        "%(company)s: the debtor and creditor account ranges must each go "
                        "upwards and must not overlap.",
                        company=company.name,
                    )
                )

    def _crm_datev_chart(self):
        """DATEV's name of the company's chart of accounts: "03" (SKR03), "04" (SKR04) or ''."""
        self.ensure_one()
        return {"de_skr03": "03", "de_skr04": "04"}.get(self.chart_template or "", "")
