from odoo import fields, models


class CrmDunningLevel(models.Model):
    """A dunning level: from how many days overdue it applies, its fee and interest, the
    letter text (translatable: one per language) and the e-mail template."""

    _name = "crm.dunning.level"
    _description = "Dunning Level"
    _order = "company_id, days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        "Days Overdue",
        required=True,
        help="The level applies to invoices overdue by at least this many days.",
    )
    fee = fields.Monetary(help="Dunning fee charged per letter at this level.")
    interest_rate = fields.Float(
        "Interest Rate (% p.a.)",
        digits=(5, 2),
        help="Default interest per year on the overdue amount, for the days overdue.",
    )
    letter_text = fields.Text(
        translate=True,
        help="Text of the letter in the customer's language (switch the language to enter "
        "the German and Czech texts).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        "E-mail Template",
        domain="[('model', '=', 'crm.dunning.letter')]",
        help="Template of the e-mail that sends the letter.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)

    _days_positive = models.Constraint(
        "CHECK(days > 0)", "A dunning level applies from at least one day overdue."
    )
    _fee_positive = models.Constraint(
        "CHECK(fee >= 0 AND interest_rate >= 0)",
        "The fee and the interest rate of a dunning level cannot be negative.",
    )
    _days_unique = models.Constraint(
        "UNIQUE(company_id, days)", "Two dunning levels of a company cannot have the same days."
    )
