from odoo import fields, models


class CrmContactRole(models.Model):
    """The role a contact person has for a company (management, purchasing, accounting ...).
    A company has one main contact per role."""

    _name = "crm.contact.role"
    _description = "Contact Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to offer the role in every company."
    )
