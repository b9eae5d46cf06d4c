from odoo import api, fields, models
from odoo.tools import clean_context

from odoo.addons.crm_core.tools.boundary import one_record


class CrmChronicleResubmissionDone(models.TransientModel):
    """Close resubmissions and, in the same step, log what was done as a follow-up entry
    (optionally put on resubmission again)."""

    _name = "crm.chronicle.resubmission.done"
    _description = "Close Resubmissions"

    resubmission_ids = fields.Many2many("crm.chronicle.resubmission", string="Resubmissions")
    create_followup = fields.Boolean("Log a Follow-up Entry", default=True)
    type_id = fields.Many2one(
        "crm.chronicle.type",
        "Follow-up Type",
        compute="_compute_type_id",
        store=True,
        readonly=False,
    )
    subject = fields.Char("Follow-up Subject")
    description = fields.Html("Follow-up Description")
    duration = fields.Float()
    resubmission_date = fields.Datetime(
        "Resubmit Follow-up On", help="Puts the follow-up entry on resubmission again."
    )
    resubmission_user_id = fields.Many2one(
        "res.users", "Resubmit Follow-up To", domain=[("share", "=", False)]
    )

    @api.depends("resubmission_ids")
    def _compute_type_id(self):
        for wizard in self:
            wizard.type_id = wizard.resubmission_ids[:1].entry_id.type_id

    @one_record
    def action_done(self):
        self.ensure_one()
        followup = None
        if self.create_followup:
            followup = {"type_id": self.type_id.id or None, "duration": self.duration}
            if self.subject:
                followup["name"] = self.subject
            if self.description:
                followup["description"] = self.description
        entries = self.resubmission_ids.with_context(clean_context(self.env.context)).action_done(
            followup=followup
        )
        if entries and self.resubmission_date:
            # (an entry on resubmission is open)
            entries.write(
                {
                    "resubmission_date": self.resubmission_date,
                    "resubmission_user_id": (self.resubmission_user_id or self.env.user).id,
                }
            )
        return {"type": "ir.actions.act_window_close"}
