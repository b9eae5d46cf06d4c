from random import randint

from odoo import fields, models


class CrmChronicleTag(models.Model):
    _name = "crm.chronicle.tag"
    _description = "Chronicle Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)

    _unique_name = models.Constraint("UNIQUE(name)", "A chronicle tag with this name exists.")
