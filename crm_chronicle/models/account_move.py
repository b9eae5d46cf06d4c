from odoo import models
from odoo.tools import format_amount

KINDS = {
    "out_invoice": "invoice",
    "in_invoice": "invoice",
    "out_refund": "credit_note",
    "in_refund": "credit_note",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m.move_type in KINDS and m.partner_id)._crm_chronicle_log()
        return posted

    def _crm_chronicle_subject(self):
        self.ensure_one()
        values = {
            "name": self.name,
            "amount": format_amount(self.env, self.amount_total, self.currency_id),
        }
        if self.move_type == "out_invoice":
            return self.env._("Invoice %(name)s posted: %(amount)s", **values)
        if self.move_type == "in_invoice":
            return self.env._("Vendor bill %(name)s posted: %(amount)s", **values)
        if self.move_type == "out_refund":
            return self.env._("Credit note %(name)s posted: %(amount)s", **values)
        return self.env._("Vendor credit note %(name)s posted: %(amount)s", **values)

    def _crm_chronicle_log(self):
        """One chronicle entry per posted invoice or credit note, linked to it, in the
        invoice's company. Written as superuser: an accountant without CRM rights posts
        invoices too."""
        Entry = self.env["crm.chronicle.entry"].sudo()
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        for company in self.company_id:
            Entry.with_company(company)._log_entries(
                [
                    {
                        "partner": move.partner_id,
                        "type_code": KINDS[move.move_type],
                        "subject": move._crm_chronicle_subject(),
                        "source": move,
                        "user": user,
                    }
                    for move in self.filtered(lambda m, c=company: m.company_id == c)
                ],
                "account.move",
            )
