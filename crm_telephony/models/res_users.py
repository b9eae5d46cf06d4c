from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_telephony_box_id = fields.Many2one(
        "crm.telephony.box", string="Fritz!Box", help="The box that dials for this user."
    )
    crm_telephony_extension = fields.Char(
        "Phone to Ring",
        help="The phone the box rings first for click-to-dial, as the box names it "
        "(e.g. 'FON1: Telefon' or an internal number like **610).",
    )
    crm_telephony_line_ids = fields.Many2many(
        "crm.telephony.line",
        "crm_telephony_line_res_users_rel",
        "user_id",
        "line_id",
        string="Telephone Lines",
    )
