from odoo import fields, models


class CrmAddressType(models.Model):
    """A further kind of address beside Odoo's invoice and delivery addresses (branch,
    private, construction site ...): it refines the address type 'other'."""

    _name = "crm.address.type"
    _description = "Address Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to offer the type in every company."
    )
