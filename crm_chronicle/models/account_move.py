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

    def _crm_chronicle_log(self):
        """One chronicle entry per posted invoice or credit note, linked to it. Written as
        superuser: an accountant without CRM rights posts invoices too."""
        Entry = self.env["crm.chronicle.entry"].sudo()
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        for company in self.company_id:
            entries = []
            for move in self.filtered(lambda m, c=company: m.company_id == c):
                values = {
                    "name": move.name,
                    "amount": format_amount(self.env, move.amount_total, move.currency_id),
                }
                subject = {
                    "out_invoice": lambda v: self.env._("Invoice %(name)s posted: %(amount)s", **v),
                    "in_invoice": lambda v: self.env._(
                        "Vendor bill %(name)s posted: %(amount)s", **v
                    ),
                    "out_refund": lambda v: self.env._(
                        "Credit note %(name)s posted: %(amount)s", **v
                    ),
                    "in_refund": lambda v: self.env._(
                        "Vendor credit note %(name)s posted: %(amount)s", **v
                    ),
                }[move.move_type](values)
                entries.append(
                    {
                        "partner": move.partner_id,
                        "type_code": KINDS[move.move_type],
                        "subject": subject,
                        "source": move,
                        "user": user,
                    }
                )
            Entry.with_company(company).crm_log_batch(entries)
