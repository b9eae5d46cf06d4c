from stdnum.eu import at_02

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCHEMES = [("CORE", "CORE (consumers)"), ("B2B", "B2B (businesses)")]
DD_VERSIONS = [
    ("pain.008.001.08", "pain.008.001.08 (current)"),
    ("pain.008.001.02", "pain.008.001.02 (older banks)"),
]
CT_VERSIONS = [
    ("pain.001.001.09", "pain.001.001.09 (current)"),
    ("pain.001.001.03", "pain.001.001.03 (older banks)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_sepa_creditor_identifier = fields.Char(
        "SEPA Creditor Identifier",
        help="The creditor identifier your national bank gave you (e.g. DE98ZZZ09999999999).",
    )
    crm_sepa_default_scheme = fields.Selection(
        SCHEMES, "Default SEPA Scheme", default="CORE", required=True
    )
    crm_sepa_dd_version = fields.Selection(
        DD_VERSIONS, "Direct Debit File Version", default="pain.008.001.08", required=True
    )
    crm_sepa_ct_version = fields.Selection(
        CT_VERSIONS, "Credit Transfer File Version", default="pain.001.001.09", required=True
    )
    crm_sepa_batch_booking = fields.Boolean(
        "SEPA Batch Booking",
        default=True,
        help="Ask the bank to book each payment group as one amount on the statement.",
    )
    crm_sepa_lead_days = fields.Integer(
        "SEPA Lead Days",
        default=1,
        help="TARGET2 business days between submitting a direct debit file and the "
        "earliest collection date (your bank's cut-off; at least 1).",
    )
    crm_sepa_journal_id = fields.Many2one(
        "account.journal",
        "SEPA Bank Journal",
        domain="[('type', '=', 'bank'), ('company_id', '=', id)]",
        help="The bank account that receives direct debits and pays transfers.",
    )
    crm_sepa_transfer_account_id = fields.Many2one(
        "account.account",
        "SEPA Transfer Account",
        help="Holds the money of a sent batch until the bank statement shows it. "
        "Default: the company's internal transfer account.",
    )
    crm_sepa_return_fee = fields.Monetary(
        "Direct Debit Return Fee",
        help="Charged to the customer for a returned debit when the return asks for it.",
    )
    crm_sepa_return_fee_account_id = fields.Many2one("account.account", "Return Fee Income Account")

    @api.constrains("crm_sepa_creditor_identifier")
    def _check_crm_sepa_creditor_identifier(self):
        for company in self.filtered("crm_sepa_creditor_identifier"):
            if not at_02.is_valid(company.crm_sepa_creditor_identifier):
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: %(value)s is not a valid SEPA creditor "
                        "identifier (field SEPA Creditor Identifier).",
                        company=company.name,
                        value=company.crm_sepa_creditor_identifier,
                    )
                )

    @api.constrains("crm_sepa_lead_days")
    def _check_crm_sepa_lead_days(self):
        for company in self:
            if not 1 <= company.crm_sepa_lead_days <= 30:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: SEPA lead days must be between 1 and 30.",
                        company=company.name,
                    )
                )

    def write(self, vals):
        if vals.get("crm_sepa_creditor_identifier"):
            vals["crm_sepa_creditor_identifier"] = at_02.compact(
                vals["crm_sepa_creditor_identifier"]
            )
        return super().write(vals)

    def _crm_sepa_transfer_account(self):
        self.ensure_one()
        return self.crm_sepa_transfer_account_id or self.transfer_account_id

    def _crm_sepa_journal(self):
        self.ensure_one()
        return self.crm_sepa_journal_id or self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.id)], limit=1
        )
