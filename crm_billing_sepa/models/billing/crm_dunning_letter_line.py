from odoo import api, fields, models

from odoo.addons.crm_core.tools.state import StateError


class CrmDunningLetterLine(models.Model):
    _name = "crm.dunning.letter.line"
    _description = "Dunning Letter Invoice"
    _order = "letter_id, date_due, id"

    letter_id = fields.Many2one("crm.dunning.letter", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True)
    # the number the letter prints: CRM users read letters without accounting rights
    invoice_number = fields.Char(related="move_id.name")
    company_id = fields.Many2one(related="letter_id.company_id", store=True)
    currency_id = fields.Many2one(related="letter_id.currency_id")
    date_due = fields.Date("Due Date")
    days_overdue = fields.Integer("Days Overdue")
    amount_residual = fields.Monetary("Open Amount")
    level_id = fields.Many2one("crm.dunning.level", "Invoice Level")
    interest_days = fields.Integer()
    interest = fields.Monetary()

    def _check_letter_open(self, letters):
        confirmed = letters.filtered(lambda le: le.state != "draft")
        if confirmed and not self.env.su:
            self.check_access("write")
            raise StateError(
                self.env._(
                    "The dunning letter %(letter)s is confirmed or left out: its invoices can "
                    "no longer change.",
                    letter=confirmed[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        letter_ids = {vals.get("letter_id") for vals in vals_list} - {None, False}
        self._check_letter_open(self.env["crm.dunning.letter"].browse(letter_ids))
        return super().create(vals_list)

    def write(self, vals):
        self._check_letter_open(self.letter_id)
        if vals.get("letter_id"):
            self._check_letter_open(self.env["crm.dunning.letter"].browse(vals["letter_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed_letter(self):
        self._check_letter_open(self.letter_id)
