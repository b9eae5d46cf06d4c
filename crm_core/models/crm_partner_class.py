from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class CrmPartnerClass(models.Model):
    """A priority class (A, B, C ...) of a company's customers.

    The ABC analysis ranks customers by revenue and gives each the first class (in sequence
    order) whose threshold is above the share of cumulated revenue of the customers ranked
    before it; customers without revenue get the last class."""

    _name = "crm.partner.class"
    _description = "Customer Priority Class"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    threshold = fields.Float(
        "Up to % of Revenue",
        default=100.0,
        digits=(5, 2),
        help="Customers are in this class while the revenue of the customers ranked before "
        "them stays below this share of the total (e.g. A 80, B 95, C 100).",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _threshold_range = models.Constraint(
        "CHECK(threshold > 0 AND threshold <= 100)",
        "The revenue share of a class must be above 0 and at most 100 percent.",
    )

    @api.constrains("threshold", "sequence", "company_id", "active")
    def _check_thresholds_increase(self):
        for company in self.company_id:
            classes = self.search([("company_id", "=", company.id)])
            thresholds = classes.mapped("threshold")
            if thresholds != sorted(thresholds):
                raise ValidationError(
                    self.env._(
                        "The classes of %(company)s must have increasing revenue shares in "
                        "their order (%(classes)s).",
                        company=company.name,
                        classes=", ".join(f"{c.name} {c.threshold:g}%" for c in classes),
                    )
                )

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        """An import names classes ("A", "B") of the company it imports into: each company
        has its own A, B and C, and the importer looks them up by name only."""
        if self.env.context.get("import_file"):
            domain = Domain.AND([domain or [], [("company_id", "=", self.env.company.id)]])
        return super().name_search(name=name, domain=domain, operator=operator, limit=limit)

    def action_crm_run_abc(self):
        """List button: run the ABC analysis of the current company now."""
        return self.env.company.action_crm_run_abc()
