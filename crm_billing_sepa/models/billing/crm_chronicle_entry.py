from odoo import models

from odoo.addons.crm_core.tools.boundary import one_record


class CrmChronicleEntry(models.Model):
    _inherit = "crm.chronicle.entry"

    @one_record
    def action_crm_record_service(self):
        """Quick entry of a billable service from a visit or call: customer, date, user,
        subject and duration (hours) taken from the entry."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Billable Service"),
            "res_model": "crm.service",
            "view_mode": "form",
            "views": [(self.env.ref("crm_billing_sepa.crm_service_view_form").id, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_date": self.date.date().isoformat() if self.date else False,
                "default_user_id": self.user_id.id,
                "default_name": self.name,
                "default_quantity": self.duration or 1.0,
                "default_chronicle_entry_id": self.id,
                "default_project_id": self.project_id.id,
            },
        }
