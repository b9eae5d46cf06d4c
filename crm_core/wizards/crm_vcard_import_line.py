from odoo import api, fields, models
from odoo.exceptions import UserError

# what the user decides per card in the preview; the rest comes from reading the file
CHOICES = {"action", "partner_id"}


class CrmVcardImportLine(models.TransientModel):
    """One card of a vCard file in the import preview."""

    _name = "crm.vcard.import.line"
    _description = "vCard Import Preview Line"
    _order = "position, id"

    wizard_id = fields.Many2one("crm.vcard.import", required=True, ondelete="cascade")
    position = fields.Integer("Card", help="Position of the card in the file (1 = first).")
    file_line = fields.Integer("Line", help="Line of the card's BEGIN:VCARD in the file.")
    state = fields.Selection([("ok", "Readable"), ("error", "Unreadable")], default="ok")
    action = fields.Selection(
        [("create", "Create"), ("update", "Update"), ("skip", "Skip")],
        default="create",
        required=True,
    )
    kind = fields.Selection([("individual", "Person"), ("org", "Company")], default="individual")
    name = fields.Char()
    company_name = fields.Char("Company")
    email = fields.Char()
    phone = fields.Char()
    city = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Existing contact", ondelete="set null")
    match_reason = fields.Char("Duplicate because")
    message = fields.Char("Problem")
    card_data = fields.Json()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_vcard_preview"):
            self._refuse()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - CHOICES and not self.env.context.get("crm_vcard_preview"):
            self._refuse()
        return super().write(vals)

    @api.model
    def _refuse(self):
        raise UserError(
            self.env._(
                "The cards of a vCard import come from its file: per card only the action "
                "and the existing contact can be chosen."
            )
        )
