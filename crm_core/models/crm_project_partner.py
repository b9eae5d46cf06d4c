from odoo import api, fields, models


class CrmProjectPartner(models.Model):
    """A customer taking part in a project with a role: projects have any number of
    customers, customers any number of projects. The project's main partner is always one
    of them (role 'Client')."""

    _name = "crm.project.partner"
    _description = "Customer in a Project"
    _order = "project_id, sequence, id"
    _rec_name = "partner_id"

    sequence = fields.Integer(default=10)
    project_id = fields.Many2one("project.project", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade"
    )
    role_id = fields.Many2one("crm.project.role", "Role", ondelete="restrict")
    note = fields.Char()
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, string="Company"
    )
    is_main_partner = fields.Boolean(
        "Main Partner", compute="_compute_is_main_partner", help="The project's customer."
    )

    _unique_partner_role = models.UniqueIndex(
        "(project_id, partner_id, COALESCE(role_id, 0))",
        "A customer takes part in a project once per role.",
    )

    @api.depends("project_id.partner_id", "partner_id")
    def _compute_is_main_partner(self):
        for link in self:
            link.is_main_partner = link.partner_id == link.project_id.partner_id
