from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    crm_project_partner_ids = fields.Many2many(
        "res.partner",
        string="Project Customers",
        related="project_id.crm_partner_ids",
        help="Filter tasks by the customers taking part in their project.",
    )
