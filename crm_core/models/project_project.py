from odoo import api, fields, models


class ProjectProject(models.Model):
    """Projects with any number of customers, each with a role (issue 3, capability 8)."""

    _inherit = "project.project"

    crm_partner_link_ids = fields.One2many(
        "crm.project.partner", "project_id", string="Customers", copy=True
    )
    crm_partner_ids = fields.Many2many(
        "res.partner",
        string="All Customers",
        compute="_compute_crm_partner_ids",
        search="_search_crm_partner_ids",
        help="The main partner and the customers taking part in the project.",
    )

    @api.depends("crm_partner_link_ids.partner_id")
    def _compute_crm_partner_ids(self):
        for project in self:
            project.crm_partner_ids = project.crm_partner_link_ids.partner_id

    def _search_crm_partner_ids(self, operator, value):
        return [("crm_partner_link_ids.partner_id", operator, value)]

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        projects._crm_link_main_partner()
        return projects

    def write(self, vals):
        result = super().write(vals)
        if vals.get("partner_id"):
            self._crm_link_main_partner()
        return result

    def _crm_link_main_partner(self):
        """The main partner takes part in its project as client (one query for all)."""
        projects = self.filtered("partner_id")
        if not projects:
            return
        Link = self.env["crm.project.partner"].sudo()
        existing = Link.search_fetch(
            [("project_id", "in", projects.ids)], ["project_id", "partner_id"]
        )
        have = {(link.project_id.id, link.partner_id.id) for link in existing}
        client = self.env.ref("crm_core.crm_project_role_client", raise_if_not_found=False)
        Link.create(
            [
                {
                    "project_id": project.id,
                    "partner_id": project.partner_id.id,
                    "role_id": client.id if client else False,
                    "sequence": 1,
                }
                for project in projects
                if (project.id, project.partner_id.id) not in have
            ]
        )
