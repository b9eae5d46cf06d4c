from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools.boundary import one_record, public

from ..models.crm_route import ENDPOINT_KINDS
from ..tools import mapdata


class CrmRoutePlan(models.TransientModel):
    """Plan a route from a selection of partners."""

    _name = "crm.route.plan"
    _description = "Plan Route"

    name = fields.Char(required=True, default=lambda self: self._default_name())
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one(
        "res.users", "Driver", required=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_ids = fields.Many2many("res.partner", string="Customers to Visit", required=True)
    missing_partner_ids = fields.Many2many(
        "res.partner",
        "crm_route_plan_missing_rel",
        string="Without Position",
        compute="_compute_missing_partner_ids",
        help="These partners have no position: locate them (or enter it by hand) "
        "before planning, or leave them out explicitly.",
    )
    leave_out_missing = fields.Boolean(
        "Plan Without Them",
        help="Leave the partners without position out of this route. They are named "
        "in the route's warnings.",
    )
    start_kind = fields.Selection(ENDPOINT_KINDS, "Start", required=True, default="company")
    start_partner_id = fields.Many2one("res.partner", "Start Address")
    end_kind = fields.Selection(ENDPOINT_KINDS, "End", required=True, default="company")
    end_partner_id = fields.Many2one("res.partner", "End Address")
    departure = fields.Float(default=8.0)
    day_end = fields.Float("Latest Return", default=20.0)
    visit_duration = fields.Float("Visit (h)", default=0.5)
    cost = fields.Selection(
        [("distance", "Shortest"), ("duration", "Quickest")],
        "Optimise For",
        required=True,
        default="distance",
    )
    fixed_order = fields.Boolean(help="Keep the order of the selection.")
    map_data = fields.Json("Map", compute="_compute_map_data")

    @api.model
    def _default_name(self):
        return self.env._("Route %(date)s", date=fields.Date.context_today(self))

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get("active_model") == "res.partner" and ctx.get("active_ids"):
            res["partner_ids"] = [(6, 0, ctx["active_ids"])]
        elif ctx.get("active_model") == "crm.chronicle.resubmission" and ctx.get("active_ids"):
            # e.g. the resubmissions due next week: visit their customers
            resubmissions = self.env["crm.chronicle.resubmission"].browse(ctx["active_ids"])
            res["partner_ids"] = [(6, 0, resubmissions.partner_id.ids)]
        return res

    @api.depends("partner_ids", "start_kind", "start_partner_id", "end_kind", "end_partner_id")
    def _compute_missing_partner_ids(self):
        for wizard in self:
            wizard.missing_partner_ids = wizard.partner_ids.filtered(
                lambda p: not self.env["crm.route"]._has_position(p)
            )

    @api.depends("partner_ids")
    def _compute_map_data(self):
        Route = self.env["crm.route"]
        tile_url, attribution = Route._map_tiles()
        for wizard in self:
            wizard.map_data = mapdata.places_map(
                [Route._map_place(p) for p in wizard.partner_ids],
                tile_url=tile_url,
                attribution=attribution,
            )

    @public()
    @one_record
    def action_locate_missing(self):
        self.ensure_one()
        self.missing_partner_ids.action_crm_geocode()
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _endpoint(self, side):
        kind = self[f"{side}_kind"]
        if kind == "company":
            return self.company_id.partner_id
        if kind == "home":
            return self.user_id.partner_id
        partner = self[f"{side}_partner_id"]
        if not partner:
            raise UserError(
                self.env._(
                    "Plan route: choose the %(side)s address.",
                    side=self.env._("start") if side == "start" else self.env._("end"),
                )
            )
        return partner

    @public()
    @one_record
    def action_plan(self):
        self.ensure_one()
        missing = self.missing_partner_ids
        if missing and not self.leave_out_missing:
            raise UserError(
                self.env._(
                    "Plan route: %(count)s customers have no position yet: %(names)s. "
                    "Locate them first, or tick 'Plan Without Them'.",
                    count=len(missing),
                    names=", ".join(missing.mapped("display_name")),
                )
            )
        partners = self.partner_ids - missing
        if not partners:
            raise UserError(self.env._("Plan route: no customer with a position to visit."))
        start, end = self._endpoint("start"), self._endpoint("end")
        route = self.env["crm.route"].create(
            {
                "name": self.name,
                "date": self.date,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "start_kind": self.start_kind,
                "start_partner_id": start.id,
                "end_kind": self.end_kind,
                "end_partner_id": end.id,
                "departure": self.departure,
                "day_end": self.day_end,
                "cost": self.cost,
                "fixed_order": self.fixed_order,
                "stop_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": p.id,
                            "sequence": (i + 1) * 10,
                            "visit_duration": self.visit_duration,
                        },
                    )
                    for i, p in enumerate(partners)
                ],
            }
        )
        route._plan(fixed=self.fixed_order)
        if missing:
            note = self.env._(
                "Left out for lack of a position: %(names)s",
                names=", ".join(missing.mapped("display_name")),
            )
            route.warning = "\n".join(filter(None, [route.warning, note]))
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.route",
            "res_id": route.id,
            "view_mode": "form",
            "target": "current",
        }
