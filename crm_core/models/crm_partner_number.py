from odoo import api, fields, models
from odoo.exceptions import ValidationError

KINDS = [("debtor", "Debtor"), ("creditor", "Creditor")]


class CrmPartnerNumber(models.Model):
    """A debtor or creditor number of a partner in one company."""

    _name = "crm.partner.number"
    _description = "Debtor / Creditor Number"
    _order = "company_id, kind, name"
    _check_company_auto = True

    name = fields.Char("Number", required=True, index=True)
    kind = fields.Selection(KINDS, required=True, default="debtor")
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _unique_number = models.Constraint(
        "UNIQUE(company_id, kind, name)",
        "A debtor or creditor number must be unique per company.",
    )
    _unique_partner = models.Constraint(
        "UNIQUE(partner_id, company_id, kind)",
        "A partner has one debtor and one creditor number per company.",
    )

    @api.constrains("name", "kind", "company_id")
    def _check_unique_name(self):
        """Say which partner holds a number already (the SQL constraint backs it up)."""
        clashes = self.sudo().search(
            [
                ("name", "in", self.mapped("name")),
                ("company_id", "in", self.company_id.ids),
                ("id", "not in", self.ids),
            ]
        )
        for number in self:
            other = clashes.filtered(
                lambda c, n=number: (c.name, c.kind, c.company_id) == (n.name, n.kind, n.company_id)
            )[:1]
            if other:
                raise ValidationError(
                    self.env._(
                        "%(kind)s number %(number)s of %(partner)s is already used by "
                        "%(other)s in company %(company)s.",
                        kind=dict(self._fields["kind"]._description_selection(self.env))[
                            number.kind
                        ],
                        number=number.name,
                        partner=number.partner_id.display_name,
                        other=other.partner_id.display_name,
                        company=number.company_id.name,
                    )
                )
