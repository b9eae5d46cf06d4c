from odoo import api, models
from odoo.exceptions import UserError


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _crm_active_mandates(self):
        return (
            self.env["crm.sepa.mandate"]
            .sudo()
            .search([("bank_account_id", "in", self.ids), ("state", "=", "active")])
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_active_mandate(self):
        mandates = self._crm_active_mandates()
        if mandates:
            raise UserError(
                self.env._(
                    "Bank account %(account)s carries the active SEPA mandate %(ref)s: revoke "
                    "or close the mandate, or move it to another account, first.",
                    account=mandates[0].bank_account_id.display_name,
                    ref=mandates[0].name,
                )
            )

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            mandates = self._crm_active_mandates()
            if mandates:
                raise UserError(
                    self.env._(
                        "Bank account %(account)s carries the active SEPA mandate %(ref)s: "
                        "it cannot be archived.",
                        account=mandates[0].bank_account_id.display_name,
                        ref=mandates[0].name,
                    )
                )
        if "acc_number" not in vals:
            return super().write(vals)
        mandates = self._crm_active_mandates()
        old = {m.id: m.bank_account_id.sanitized_acc_number for m in mandates}
        result = super().write(vals)
        for mandate in mandates:
            mandate._record_amendment(old[mandate.id], mandate.bank_account_id.sanitized_acc_number)
        return result
