from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools.boundary import one_record, public


class CrmRouteVisit(models.TransientModel):
    """Mark a stop visited: chronicle entry (with optional resubmission) and a
    mileage log line."""

    _name = "crm.route.visit"
    _description = "Record Visit"

    stop_id = fields.Many2one("crm.route.stop", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="stop_id.partner_id")
    date = fields.Datetime("Visited On", required=True, default=fields.Datetime.now)
    duration = fields.Float("Duration (h)")
    note = fields.Text("Report")
    resubmission_date = fields.Date(
        "Resubmit On", help="Puts the visit on resubmission for this day."
    )
    resubmission_user_id = fields.Many2one("res.users", "Resubmit To")
    distance = fields.Float("Driven (km)", digits=(16, 1))
    purpose = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        stop = self.env["crm.route.stop"].browse(res.get("stop_id"))
        if stop.exists():
            res.setdefault("duration", stop.visit_duration)
            res.setdefault("distance", stop.leg_distance)
            res.setdefault(
                "purpose",
                self.env._("Customer visit: %(partner)s", partner=stop.partner_id.display_name),
            )
        return res

    @public()
    @one_record
    def action_confirm(self):
        self.ensure_one()
        stop = self.stop_id
        stop._check_can_change("todo", self.env._("Visited"))
        if self.distance < 0:
            raise UserError(
                self.env._(
                    "Visit %(stop)s: the driven kilometres cannot be negative.",
                    stop=stop.display_name,
                )
            )
        route = stop.route_id
        body = Markup("<p>%s</p>") % escape(self.note) if self.note else False
        entry = self.env["crm.chronicle.entry"].crm_log(
            stop.partner_id,
            "visit",
            self.env._("Visit: %(route)s", route=route.name),
            body=body,
            source=route,
            date=self.date,
            duration=self.duration,
            resubmission_date=self.resubmission_date or False,
            resubmission_user=self.resubmission_user_id or False,
        )
        previous = route.stop_ids.filtered(
            lambda s: s.sequence < stop.sequence and s.state == "visited"
        ).sorted("sequence")[-1:]
        origin = previous.partner_id or route.start_partner_id
        self.env["crm.mileage.log"].create(
            {
                "date": self.date,
                "user_id": route.user_id.id,
                "company_id": route.company_id.id,
                "route_id": route.id,
                "stop_id": stop.id,
                "partner_id": stop.partner_id.id,
                "origin": origin.display_name,
                "destination": stop.partner_id.display_name,
                "distance": self.distance,
                "purpose": self.purpose,
            }
        )
        stop._set_visited(entry)
        return {"type": "ir.actions.act_window_close"}
