from odoo import fields, models


class CrmChronicleEntry(models.Model):
    """Chronicle entries show the numbers of the partner they concern, with the dial button
    of the phone widget: call back straight from the timeline."""

    _inherit = "crm.chronicle.entry"

    crm_partner_phone = fields.Char("Phone", related="partner_id.phone")
    crm_partner_mobile = fields.Char("Mobile", related="partner_id.crm_phone_mobile")
