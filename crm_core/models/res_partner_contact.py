"""res.partner: contact persons - their details and their roles at companies
(crm.partner.link)."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_department = fields.Char("Department")
    crm_title = fields.Char("Title", help="Academic or honorary title: Dr., Prof., Ing., Mgr.")
    crm_birthday = fields.Date("Birthday")
    crm_preferred_channel = fields.Selection(
        [
            ("email", "E-mail"),
            ("phone", "Phone"),
            ("letter", "Letter"),
            ("visit", "Visit"),
            ("video", "Video Call"),
        ],
        string="Preferred Channel",
    )
    crm_decision_maker = fields.Boolean(
        "Decision Maker", help="This person decides about purchases."
    )
    crm_link_ids = fields.One2many(
        "crm.partner.link",
        "company_partner_id",
        string="Contact Roles",
        help="The contact persons of this company with their roles, also persons of other "
        "companies; one main contact per role.",
        groups="crm_core.group_user",
    )
    crm_contact_link_ids = fields.One2many(
        "crm.partner.link",
        "contact_id",
        string="Roles at Companies",
        help="The roles of this person at its own and at further companies.",
        groups="crm_core.group_user",
    )
