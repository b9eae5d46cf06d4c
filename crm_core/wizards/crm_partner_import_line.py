from odoo import fields, models

from .crm_partner_import import ACTIONS


class CrmPartnerImportLine(models.TransientModel):
    """One row of the file in the import preview, and what became of it."""

    _name = "crm.partner.import.line"
    _description = "Customer Import Row"
    _order = "position, id"

    wizard_id = fields.Many2one("crm.partner.import", required=True, ondelete="cascade", index=True)
    position = fields.Integer("Row", help="The row in the file (1 = first row below the headings).")
    file_line = fields.Integer("Line", help="The line of the row in the file.")
    state = fields.Selection(
        [("new", "New"), ("duplicate", "Duplicate"), ("error", "Error")], required=True
    )
    action = fields.Selection(ACTIONS, required=True, default="create")
    is_company = fields.Boolean("Company")
    name = fields.Char()
    email = fields.Char("E-mail")
    phone = fields.Char()
    vat = fields.Char("VAT ID")
    iban = fields.Char("IBAN", help="Masked; the complete number is imported.")
    city = fields.Char()
    partner_id = fields.Many2one("res.partner", "Existing Customer", ondelete="set null")
    match_reason = fields.Char("Duplicate because")
    message = fields.Char("Problem")
    data = fields.Json()
    result = fields.Selection(
        [
            ("created", "Created"),
            ("updated", "Updated"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        readonly=True,
    )
    result_partner_id = fields.Many2one("res.partner", "Imported Customer", readonly=True)
