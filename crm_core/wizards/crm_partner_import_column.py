from odoo import fields, models

from .crm_partner_import import FIELD_CHOICES


class CrmPartnerImportColumn(models.TransientModel):
    """A column of a table being imported and the customer field it fills."""

    _name = "crm.partner.import.column"
    _description = "Customer Import Column"
    _order = "sequence"

    wizard_id = fields.Many2one("crm.partner.import", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer("Column", help="Position of the column (0 = first).")
    heading = fields.Char("Column Name", readonly=True)
    sample = fields.Char("First Row", readonly=True)
    field = fields.Selection(FIELD_CHOICES, "Imported As")
