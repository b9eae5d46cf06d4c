from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import one_record, public

GUARDED = ("state", "chronicle_entry_id")


class CrmRouteStop(models.Model):
    _name = "crm.route.stop"
    _description = "Route Stop"
    _inherit = ["crm.state.mixin"]
    _order = "route_id, sequence, id"
    _check_company_auto = True
    # written by the visit's actions only (crm.state.mixin)
    _action_fields = GUARDED

    route_id = fields.Many2one("crm.route", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    route_date = fields.Date(related="route_id.date", store=True)
    user_id = fields.Many2one(related="route_id.user_id", store=True)
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, check_company=True
    )
    street = fields.Char(related="partner_id.street")
    zip = fields.Char(related="partner_id.zip")
    city = fields.Char(related="partner_id.city")
    phone = fields.Char(related="partner_id.phone")
    partner_latitude = fields.Float(related="partner_id.partner_latitude")
    partner_longitude = fields.Float(related="partner_id.partner_longitude")
    crm_geo_state = fields.Selection(related="partner_id.crm_geo_state")
    contact_id = fields.Many2one(
        "res.partner",
        "Contact Person",
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
        help="Whom to ask for on site.",
    )
    visit_duration = fields.Float("Visit (h)", default=0.5)
    window_start = fields.Float("Opens", help="Earliest start of the visit (time of day).")
    window_end = fields.Float("Closes", help="Latest start of the visit; 0: no window.")
    arrival = fields.Float("Planned Start", readonly=True, copy=False)
    leg_distance = fields.Float("Leg (km)", digits=(16, 1), readonly=True, copy=False)
    window_problem = fields.Boolean("Outside Opening Hours", readonly=True, copy=False)
    note = fields.Text("Notes")
    state = fields.Selection(
        [("todo", "To visit"), ("visited", "Visited"), ("skipped", "Skipped")],
        required=True,
        default="todo",
        copy=False,
        readonly=True,
        help="Changed by the Visited, Skip and Visit After All buttons only; visits and "
        "skips are written into the customer's chronicle.",
    )
    chronicle_entry_id = fields.Many2one("crm.chronicle.entry", readonly=True, copy=False)

    @api.constrains("window_start", "window_end", "visit_duration")
    def _check_window(self):
        for stop in self:
            if stop.visit_duration < 0 or stop.visit_duration > 24:
                raise ValidationError(
                    self.env._(
                        "Stop %(partner)s: the visit duration must be between 0 and 24 hours.",
                        partner=stop.partner_id.display_name,
                    )
                )
            if stop.window_end and not 0 <= stop.window_start < stop.window_end <= 24:
                raise ValidationError(
                    self.env._(
                        "Stop %(partner)s: opening hours must run from 'Opens' to a later "
                        "'Closes', within the day.",
                        partner=stop.partner_id.display_name,
                    )
                )

    def _state_actions(self):
        return self.env._("Visited, Skip, Visit After All")

    def _check_can_change(self, state, action):
        """Only stops in `state` of planned routes: raise a StateError (a UserError) naming
        the others."""
        wrong = self.filtered(lambda s: s.state != state or s.route_id.state != "planned")
        if wrong:
            raise state_guard.StateError(
                self.env._(
                    "%(action)s: only stops %(state)s on planned routes, not %(stops)s.",
                    action=action,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        state
                    ].lower(),
                    stops=", ".join(wrong.mapped("display_name")),
                )
            )

    def _log_in_chronicle(self, type_code, subject, duration=False):
        """One chronicle entry per stop on its customer, linked to the route, all in
        one batch; ``subject(stop)`` gives the subject line."""
        now = fields.Datetime.now()
        entries = [
            {
                "partner": stop.partner_id,
                "type_code": type_code,
                "subject": subject(stop),
                "source": stop.route_id,
                "date": now,
                "duration": stop.visit_duration if duration else False,
            }
            for stop in self
        ]
        return self.env["crm.chronicle.entry"].crm_log_batch(entries)

    def _compute_display_name(self):
        for stop in self:
            stop.display_name = f"{stop.route_id.name} / {stop.partner_id.display_name}"

    @public()
    @one_record
    def action_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visit %(partner)s", partner=self.partner_id.display_name),
            "res_model": "crm.route.visit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_stop_id": self.id},
        }

    @public()
    def action_skip(self):
        """Not visiting this customer on this route: the stop stays listed (greyed, at
        the end) but is no longer driven to, so the times and kilometres of the other
        stops are recomputed in their current order; the customer's chronicle and the
        route's chatter say so."""
        self._check_can_change("todo", self.env._("Skip"))
        with state_guard.changing(self, "state"):
            self.write({"state": "skipped"})
        self._log_in_chronicle(
            "note", lambda s: self.env._("Visit skipped: %(route)s", route=s.route_id.name)
        )
        for route in self.route_id:
            names = ", ".join(
                self.filtered(lambda s, r=route: s.route_id == r).partner_id.mapped("display_name")
            )
            route.message_post(body=self.env._("Skipped: %(names)s", names=names))
            route._replan_after_change()
        return True

    @public()
    def action_unskip(self):
        """Visit a skipped stop after all: back into the route, at the end of the
        stops still to visit; times recomputed (re-optimise for the best place)."""
        self._check_can_change("skipped", self.env._("Visit After All"))
        with state_guard.changing(self, "state"):
            self.write({"state": "todo"})
        for route in self.route_id:
            route._replan_after_change()
        return True

    @public()
    def action_mark_visited(self):
        """Visited, without the visit form (e.g. by an integration): a "Visit" entry in
        the customer's chronicle with the planned visit duration, no mileage line."""
        self._check_can_change("todo", self.env._("Visited"))
        entries = self._log_in_chronicle(
            "visit",
            lambda s: self.env._("Visit: %(route)s", route=s.route_id.name),
            duration=True,
        )
        for stop, entry in zip(self, entries, strict=True):
            stop._set_visited(entry)
        return True

    def _set_visited(self, entry):
        """The visit of this stop is recorded in `entry` (the visit form and
        action_mark_visited, after their checks)."""
        self.ensure_one()
        with state_guard.changing(self, *GUARDED):
            self.write({"state": "visited", "chronicle_entry_id": entry.id})
