from odoo import api, models


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        banks = super().create(vals_list)
        Entry = self.env["crm.chronicle.entry"].sudo()
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        Entry.crm_log_batch(
            [
                {
                    "partner": bank.partner_id,
                    "type_code": "bank_account",
                    "subject": self.env._(
                        "New bank account %(number)s%(bank)s",
                        number=bank.acc_number,
                        bank=f" ({bank.bank_id.name})" if bank.bank_id else "",
                    ),
                    "source": bank,
                    "user": user,
                }
                for bank in banks.filtered("partner_id")
            ]
        )
        return banks
