from odoo import fields, models


class CrmProjectRole(models.Model):
    """The role a customer plays in a project (client, partner, supplier ...)."""

    _name = "crm.project.role"
    _description = "Role in a Project"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
