from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record


class ProjectProject(models.Model):
    _inherit = "project.project"

    crm_chronicle_count = fields.Integer(
        "Chronicle Entries", compute="_compute_crm_chronicle_count"
    )

    def _compute_crm_chronicle_count(self):
        Entry = self.env["crm.chronicle.entry"]
        if not Entry.has_access("read"):
            self.crm_chronicle_count = 0
            return
        counts = dict(
            Entry._read_group([("project_id", "in", self.ids)], ["project_id"], ["__count"])
        )
        for project in self:
            project.crm_chronicle_count = counts.get(project, 0)

    @one_record
    def action_open_crm_chronicle(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_chronicle.crm_chronicle_entry_action"
        )
        action.update(
            {
                "name": self.env._("Chronicle of %(project)s", project=self.name),
                "domain": [("project_id", "=", self.id)],
                "context": {
                    "default_project_id": self.id,
                    "default_partner_id": self.partner_id.id,
                },
            }
        )
        return action
