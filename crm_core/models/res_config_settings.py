from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """The "First Steps" block of the CRM Suite settings: what an administrator sets up
    before the first day, each step with its state and a link. crm_core has the user
    roles; each addon adds its steps (a computed `crm_step_*_done` and an
    `action_crm_step_*` here, a `<setting>` in the block crm_first_steps)."""

    _inherit = "res.config.settings"

    crm_step_roles_done = fields.Boolean("User Roles Given", compute="_compute_crm_step_roles_done")

    # ------------------------------------------------------------------------------------------
    # User roles: done when a user other than the administrators has one
    # ------------------------------------------------------------------------------------------
    @api.depends("company_id")
    def _compute_crm_step_roles_done(self):
        roles = self.env.ref("crm_core.group_role_salesperson") | self.env.ref(
            "crm_core.group_role_office_manager"
        )
        admins = self.env.ref("base.user_admin") | self.env.ref("base.user_root")
        done = bool(
            self.env["res.users"]
            .sudo()
            .search_count(
                [
                    ("share", "=", False),
                    ("id", "not in", admins.ids),
                    ("all_group_ids", "in", roles.ids),
                ],
                limit=1,
            )
        )
        self.crm_step_roles_done = done

    def action_crm_step_roles(self):
        return self.env["ir.actions.act_window"]._for_xml_id("base.action_res_users")

    @api.model
    def _crm_settings_action(self, module):
        """The settings, opened on one app's section (its `<app name=...>`)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("base.res_config_setting_act_window")
        action["context"] = {"module": module, "bin_size": False}
        return action
