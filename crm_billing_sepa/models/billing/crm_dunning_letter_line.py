from odoo import fields, models


class CrmDunningLetterLine(models.Model):
    _name = "crm.dunning.letter.line"
    _description = "Dunning Letter Invoice"
    _order = "letter_id, date_due, id"

    letter_id = fields.Many2one("crm.dunning.letter", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True)
    company_id = fields.Many2one(related="letter_id.company_id", store=True)
    currency_id = fields.Many2one(related="letter_id.currency_id")
    date_due = fields.Date("Due Date")
    days_overdue = fields.Integer("Days Overdue")
    amount_residual = fields.Monetary("Open Amount")
    level_id = fields.Many2one("crm.dunning.level", "Invoice Level")
    interest_days = fields.Integer()
    interest = fields.Monetary()
