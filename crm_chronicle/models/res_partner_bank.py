from odoo import api, models

from odoo.addons.crm_core.tools import iban as iban_tools
from odoo.addons.crm_core.tools import sanitize


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        banks = super().create(vals_list)
        banks.filtered("partner_id")._crm_chronicle_log()
        return banks

    def _crm_chronicle_log(self):
        """One chronicle entry per new bank account of a customer, the number masked as on
        the contact sheet: the chronicle is read by every CRM user, the full number is for
        those who may read the bank account itself (its source link)."""
        Entry = self.env["crm.chronicle.entry"].sudo()
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        Entry._log_entries(
            [
                {
                    "partner": bank.partner_id,
                    "type_code": "bank_account",
                    "subject": sanitize.text(
                        self.env._(
                            "New bank account %(number)s%(bank)s",
                            number=iban_tools.mask(bank.acc_number),
                            bank=f" ({bank.bank_id.name})" if bank.bank_id else "",
                        )
                    ),
                    "source": bank,
                    "user": user,
                }
                for bank in self
            ],
            "res.partner.bank",
        )
