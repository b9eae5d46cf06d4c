"""res.partner: the projects a customer takes part in (crm.project.partner)."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_project_link_ids = fields.One2many(
        "crm.project.partner",
        "partner_id",
        string="Project Participations",
        help="The projects this partner takes part in, with its role.",
        groups="crm_core.group_user",
    )
