from odoo import fields, models


class CrmPartnerImportMapping(models.Model):
    """The column mapping of a table import, remembered by its column names: the next file
    with the same columns is mapped the same way."""

    _name = "crm.partner.import.mapping"
    _description = "Remembered Import Columns"
    _order = "write_date desc, id desc"

    name = fields.Char(required=True)
    signature = fields.Char(required=True, index=True, help="The column names, as a key.")
    mapping = fields.Json(help="{column name: customer field}")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
