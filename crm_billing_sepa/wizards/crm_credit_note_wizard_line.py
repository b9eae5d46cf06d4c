from odoo import fields, models


class CrmCreditNoteWizardLine(models.TransientModel):
    _name = "crm.credit.note.wizard.line"
    _description = "New Credit Note: Line"

    wizard_id = fields.Many2one("crm.credit.note.wizard", required=True, ondelete="cascade")
    invoice_line_id = fields.Many2one("account.move.line", "Invoice Line", required=True)
    name = fields.Char(related="invoice_line_id.name")
    invoiced_quantity = fields.Float(related="invoice_line_id.quantity", string="Invoiced")
    quantity = fields.Float("Quantity to Credit", digits="Product Unit")
    price_unit = fields.Float("Unit Price", digits="Product Price")
