from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

from odoo.addons.crm_core.tools import breaker as outside
from odoo.addons.crm_core.tools import sanitize
from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import one_record, public

from ..tools import geo, gpx, mapdata, optimise

ENDPOINT_KINDS = [
    ("company", "Company"),
    ("home", "User's home"),
    ("partner", "Other address"),
]


class CrmRoute(models.Model):
    _name = "crm.route"
    _description = "Visit Route"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.state.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    date = fields.Date(
        "Planned Date", required=True, default=fields.Date.context_today, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Driver",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")],
        required=True,
        default="planned",
        readonly=True,
        copy=False,
        tracking=True,
        help="Changed by the Mark Done and Reopen buttons only.",
    )
    start_kind = fields.Selection(ENDPOINT_KINDS, "Start", required=True, default="company")
    start_partner_id = fields.Many2one(
        "res.partner",
        "Start Address",
        compute="_compute_endpoints",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
    )
    end_kind = fields.Selection(ENDPOINT_KINDS, "End", required=True, default="company")
    end_partner_id = fields.Many2one(
        "res.partner",
        "End Address",
        compute="_compute_endpoints",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
    )
    departure = fields.Float("Departure", default=8.0, help="Time of day the route starts (hours).")
    day_end = fields.Float("Latest Return", default=20.0)
    cost = fields.Selection(
        [("distance", "Shortest"), ("duration", "Quickest")],
        "Optimise For",
        required=True,
        default="distance",
    )
    fixed_order = fields.Boolean(help="Keep the stops in the order given instead of optimising it.")
    stop_ids = fields.One2many("crm.route.stop", "route_id", "Stops", copy=True)
    stop_count = fields.Integer(compute="_compute_stop_count", store=True)
    total_distance = fields.Float("Distance (km)", digits=(16, 1), readonly=True, copy=False)
    total_duration = fields.Float(
        "Duration (h)", readonly=True, copy=False, help="Driving, waiting and visits."
    )
    return_time = fields.Float("Back At", readonly=True, copy=False)
    distance_source = fields.Char(readonly=True, copy=False)
    warning = fields.Text(readonly=True, copy=False)
    note = fields.Html()
    mileage_log_ids = fields.One2many("crm.mileage.log", "route_id", "Mileage Log")
    map_url_google = fields.Char("Google Maps", compute="_compute_map_urls")
    map_url_osm = fields.Char("OpenStreetMap", compute="_compute_map_urls")
    map_data = fields.Json("Map", compute="_compute_map_data")

    @api.depends("start_kind", "end_kind", "user_id", "company_id")
    def _compute_endpoints(self):
        for route in self:
            for side in ("start", "end"):
                kind = route[f"{side}_kind"]
                if kind == "company":
                    route[f"{side}_partner_id"] = route.company_id.partner_id
                elif kind == "home":
                    route[f"{side}_partner_id"] = route.user_id.partner_id
                elif not route[f"{side}_partner_id"]:
                    route[f"{side}_partner_id"] = False

    @api.depends("stop_ids")
    def _compute_stop_count(self):
        for route in self:
            route.stop_count = len(route.stop_ids)

    @api.depends(
        "stop_ids.sequence",
        "stop_ids.partner_id",
        "stop_ids.state",
        "start_partner_id",
        "end_partner_id",
    )
    def _compute_map_urls(self):
        for route in self:
            points = route._route_points()
            if len(points) < 2:
                route.map_url_google = route.map_url_osm = False
                continue
            coords = [(p["lat"], p["lon"]) for p in points]
            # Google takes origin + 9 waypoints + destination in one link
            route.map_url_google = gpx.google_maps_url(gpx.chunks(coords, 11)[0])
            route.map_url_osm = gpx.osm_url(coords)

    @api.depends(
        "stop_ids.sequence",
        "stop_ids.partner_id",
        "stop_ids.state",
        "start_partner_id",
        "end_partner_id",
    )
    def _compute_map_data(self):
        tile_url, attribution = self._map_tiles()
        for route in self:
            route.map_data = mapdata.route_map(
                route._map_place(route.start_partner_id) if route.start_partner_id else None,
                [
                    route._map_place(stop.partner_id, stop.state)
                    for stop in route.stop_ids.sorted("sequence")
                ],
                route._map_place(route.end_partner_id) if route.end_partner_id else None,
                tile_url=tile_url,
                attribution=attribution,
            )

    @api.model
    def _map_tiles(self):
        """Tile server URL template and attribution from the settings."""
        param = self.env["ir.config_parameter"].sudo()
        return (
            param.get_param("crm_routing.tile_url") or mapdata.DEFAULT_TILE_URL,
            param.get_param("crm_routing.tile_attribution") or mapdata.DEFAULT_ATTRIBUTION,
        )

    @api.model
    def _map_place(self, partner, state=False):
        located = self._has_position(partner)
        return {
            "lat": partner.partner_latitude if located else None,
            "lon": partner.partner_longitude if located else None,
            "name": partner.display_name or "",
            "address": ", ".join(filter(None, [partner.street, partner.zip, partner.city])),
            "state": state or "",
        }

    @api.constrains("departure", "day_end")
    def _check_times(self):
        for route in self:
            if not 0 <= route.departure < route.day_end <= 24:
                raise ValidationError(
                    self.env._(
                        "Route %(route)s: the departure must come before the latest "
                        "return, both between 0:00 and 24:00.",
                        route=route.display_name,
                    )
                )

    # -- positions and distances -----------------------------------------------------
    @staticmethod
    def _has_position(partner):
        return geo.valid_position(partner.partner_latitude, partner.partner_longitude)

    def _route_points(self):
        """Start, stops in order and end as dicts for GPX and links (partners
        without a position are left out of the drawing, never out of the route)."""
        self.ensure_one()
        points = []
        endpoints = [
            self.start_partner_id,
            *self.stop_ids.filtered(lambda s: s.state != "skipped").sorted("sequence").partner_id,
            self.end_partner_id,
        ]
        for partner in endpoints:
            if partner and self._has_position(partner):
                points.append(
                    {
                        "lat": partner.partner_latitude,
                        "lon": partner.partner_longitude,
                        "name": partner.display_name,
                        "desc": ", ".join(
                            filter(None, [partner.street, partner.zip, partner.city, partner.phone])
                        ),
                    }
                )
        return points

    def _missing_positions(self):
        self.ensure_one()
        stops = self.stop_ids.filtered(lambda s: s.state != "skipped")
        partners = self.start_partner_id | self.end_partner_id | stops.partner_id
        return partners.filtered(lambda p: not self._has_position(p))

    @api.model
    def _distance_matrix(self, points):
        """(distances m, durations s, source label) from the configured source."""
        param = self.env["ir.config_parameter"].sudo()
        source = param.get_param("crm_routing.distance_source") or "straight"
        if source == "osrm":
            url = param.get_param("crm_routing.osrm_url")
            if not url:
                raise UserError(self.env._("Set the routing server URL in the settings first."))
            try:
                with outside.breaker_for("Routing server", url).call():
                    dist, dur = geo.osrm_table(url, points)
            except outside.CircuitOpen as error:
                raise UserError(
                    self.env._(
                        "The routing server is paused after %(failures)s failed connections "
                        "in a row (%(reason)s); the next try is after %(time)s.",
                        failures=error.failures,
                        reason=self._routing_failure_text(error.reason),
                        time=self.env["base.geocoder"]._crm_local_time(error.until),
                    )
                ) from None
            except geo.RoutingServerError as error:
                raise UserError(self._routing_error_text(error)) from None
            return dist, dur, self.env._("routing server")
        factor = float(param.get_param("crm_routing.road_factor") or 1.3)
        speed = float(param.get_param("crm_routing.speed_kmh") or 50.0)
        dist, dur = geo.straight_line_matrix(points, road_factor=factor, speed_kmh=speed)
        return (
            dist,
            dur,
            self.env._("straight line x %(factor)s at %(speed)s km/h", factor=factor, speed=speed),
        )

    @api.model
    def _routing_failure_text(self, reason):
        """Why the routing server could not be reached (crm_core's breaker reasons)."""
        return self.env["base.geocoder"]._crm_connection_text(reason, seconds=geo.OSRM_TIMEOUT)

    @api.model
    def _routing_error_text(self, error):
        """The user's message for a geo.RoutingServerError."""
        if error.kind == "unreachable":
            return self.env._(
                "The routing server cannot be reached: %(reason)s. Check its address in "
                "the settings, or compute distances offline (straight line).",
                reason=self._routing_failure_text(error.reason),
            )
        if error.kind == "no_road":
            return self.env._(
                "The routing server found no road to some stops: check their positions."
            )
        if error.kind == "http":
            return self.env._(
                "The routing server answered with an error (HTTP %(status)s).",
                status=error.status_code,
            )
        return self.env._("The routing server's answer is not a distance table.")

    # -- planning --------------------------------------------------------------------
    @public()
    def action_optimise(self):
        for route in self:
            route._plan(fixed=route.fixed_order)
        return True

    @public()
    def action_recompute(self):
        """Recompute times and distance for the order as it stands."""
        for route in self:
            route._plan(fixed=True)
        return True

    def _plan(self, fixed=False):
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("Route %(route)s is done: reopen it first.", route=self.display_name)
            )
        missing = self._missing_positions()
        if missing:
            raise UserError(
                self.env._(
                    "Route %(route)s: these addresses have no position yet, locate them "
                    "or set them by hand first: %(names)s",
                    route=self.display_name,
                    names=", ".join(missing.mapped("display_name")),
                )
            )
        # skipped stops are not driven to: they go to the end of the list, unplanned
        skipped = self.stop_ids.filtered(lambda s: s.state == "skipped").sorted("sequence")
        stops = self.stop_ids.sorted("sequence") - skipped
        base = len(stops) + 1
        for seq, stop in enumerate(skipped, start=base):
            stop.write(
                {"sequence": seq * 10, "arrival": 0.0, "leg_distance": 0.0, "window_problem": False}
            )
        if not stops:
            self.write(
                {
                    "total_distance": 0,
                    "total_duration": 0,
                    "return_time": self.departure,
                    "warning": False,
                }
            )
            return
        partners = [self.start_partner_id, *stops.partner_id, self.end_partner_id]
        points = [(p.partner_latitude, p.partner_longitude) for p in partners]
        dist, dur, source = self._distance_matrix(points)
        nodes = list(range(1, len(stops) + 1))
        end = len(partners) - 1
        service = {i: round(s.visit_duration * 3600) for i, s in zip(nodes, stops, strict=True)}
        windows = {
            i: (round(s.window_start * 3600), round(s.window_end * 3600))
            for i, s in zip(nodes, stops, strict=True)
            if s.window_end
        }
        day_start, day_end = round(self.departure * 3600), round(self.day_end * 3600)
        if fixed:
            result = optimise.evaluate(
                nodes,
                dur,
                dist,
                start=0,
                end=end,
                service=service,
                windows=windows,
                day_start=day_start,
            )
        else:
            result = optimise.optimise(
                dur,
                dist,
                nodes,
                start=0,
                end=end,
                service=service,
                windows=windows,
                day_start=day_start,
                day_end=day_end,
                cost=self.cost,
            )
        warnings = []
        by_node = dict(zip(nodes, stops, strict=True))
        schedule = {row["node"]: row for row in result["schedule"]}
        order = result["order"] + result["unassigned"]
        prev = 0
        commands = []
        for seq, node in enumerate(order, start=1):
            stop = by_node[node]
            row = schedule.get(node)
            vals = {"sequence": seq * 10}
            if row:
                vals.update(
                    arrival=row["begin"] / 3600.0,
                    leg_distance=dist[prev][node] / 1000.0,
                    window_problem=node in result["late"],
                )
                prev = node
            else:
                vals.update(arrival=0.0, leg_distance=0.0, window_problem=True)
            commands.append((stop, vals))
        for stop, vals in commands:
            stop.write(vals)
        if result["unassigned"]:
            warnings.append(
                self.env._(
                    "No order reaches these stops inside their opening hours or the "
                    "day; they are kept at the end of the route: %(names)s",
                    names=", ".join(
                        by_node[n].partner_id.display_name for n in result["unassigned"]
                    ),
                )
            )
        if result["late"]:
            warnings.append(
                self.env._(
                    "Reached after closing time in this order: %(names)s",
                    names=", ".join(by_node[n].partner_id.display_name for n in result["late"]),
                )
            )
        if result["end_time"] > day_end:
            warnings.append(self.env._("The route ends after the latest return."))
        self.write(
            {
                "total_distance": result["distance"] / 1000.0,
                "total_duration": result["duration"] / 3600.0,
                "return_time": result["end_time"] / 3600.0,
                "distance_source": source,
                "warning": "\n".join(warnings) or False,
            }
        )

    def _replan_after_change(self):
        """Recompute times and distance in the current order after a stop was skipped
        or taken back, when the route can be computed (planned, all positions known)."""
        for route in self:
            if route.state == "planned" and not route._missing_positions():
                route._plan(fixed=True)

    # -- state: changed by Mark Done and Reopen only (crm.state.mixin); duplicate, GPX, map links
    def _state_actions(self):
        return self.env._("Mark Done, Reopen")

    def _check_state(self, expected, action):
        wrong = self.filtered(lambda r: r.state != expected)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise state_guard.StateError(
                self.env._(
                    "%(action)s: route %(route)s is %(state)s.",
                    action=action,
                    route=wrong[0].display_name,
                    state=labels[wrong[0].state].lower(),
                )
            )

    @public()
    def action_done(self):
        """The route was driven: planning and stops are frozen."""
        self._check_state("planned", self.env._("Mark Done"))
        with state_guard.changing(self, "state"):
            self.write({"state": "done"})
        return True

    @public()
    def action_reopen(self):
        self._check_state("done", self.env._("Reopen"))
        with state_guard.changing(self, "state"):
            self.write({"state": "planned"})
        return True

    @public()
    @one_record
    def action_duplicate(self):
        """A new planned route with the same stops (all still to visit)."""
        self.ensure_one()
        new = self.copy({"name": self.env._("%(name)s (copy)", name=self.name)})
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.route",
            "res_id": new.id,
            "view_mode": "form",
        }

    @public()
    @one_record
    def action_download_gpx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_routing/gpx/{self.id}",
            "target": "download",
        }

    @public()
    @one_record
    def action_open_google(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.map_url_google, "target": "new"}

    @public()
    @one_record
    def action_navigate_next_stop(self):
        """Directions from here to the next stop still to visit (in the route's order)."""
        self.ensure_one()
        stop = self.stop_ids.filtered(
            lambda s: s.state == "todo" and (s.partner_latitude or s.partner_longitude)
        ).sorted("sequence")[:1]
        if not stop:
            raise UserError(
                self.env._(
                    "Route %(route)s has no stop left to visit with a position.",
                    route=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": gpx.navigation_url(stop.partner_latitude, stop.partner_longitude),
            "target": "new",
        }

    @public()
    @one_record
    def action_open_osm(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.map_url_osm, "target": "new"}

    def _gpx_data(self):
        self.ensure_one()
        return gpx.build_gpx(f"{self.name} ({self.date})", self._route_points())

    # -- route sheet -----------------------------------------------------------------
    @api.model
    def _sheet_text(self, value, multiline=False):
        """Free text as the route sheet prints it (crm_core's sanitize)."""
        return sanitize.text(value, multiline=multiline)

    @api.model
    def _sheet_address(self, partner):
        """The partner's name and address on one line, empty parts left out (no
        ", , 01099")."""
        if not partner:
            return ""
        lines = [partner.display_name, *partner._display_address(without_company=True).split("\n")]
        return sanitize.text(", ".join(filter(None, (line.strip(" ,") for line in lines))))

    def _sheet_distance(self):
        """The total distance as the reader's language writes it: whole kilometres from
        10 km on ("104 km"), one decimal below ("3,4 km" in German)."""
        self.ensure_one()
        km = self.total_distance
        return f"{formatLang(self.env, km, digits=0 if km >= 10 else 1)} km"

    def _sheet_rows(self):
        """The stops in order as the route sheet prints them, free text sanitised."""
        self.ensure_one()
        items = self._sheet_open_items()
        rows = []
        for stop in self.stop_ids.sorted("sequence"):
            partner = stop.partner_id
            customer = partner.commercial_partner_id
            rows.append(
                {
                    "stop": stop,
                    "customer": sanitize.text(customer.name),
                    "address": sanitize.text(
                        ", ".join(
                            filter(
                                None,
                                [
                                    (partner.street or "").strip(),
                                    " ".join(filter(None, [partner.zip, partner.city])).strip(),
                                ],
                            )
                        )
                    ),
                    "contact": sanitize.text(stop.contact_id.name),
                    "phone": sanitize.text(stop.contact_id.phone or partner.phone),
                    "note": sanitize.text(stop.note, multiline=True),
                    "items": [sanitize.text(item) for item in items.get(customer.id, [])],
                }
            )
        return rows

    def _sheet_open_items(self):
        """Open items per commercial partner for the route sheet: open
        resubmissions and the amount due. One query per kind, not per stop."""
        self.ensure_one()
        partners = self.stop_ids.partner_id.commercial_partner_id
        items = {}
        Resub = self.env["crm.chronicle.resubmission"]
        for resub in Resub.search(
            [("partner_id", "child_of", partners.ids), ("state", "=", "open")],
            order="date",
        ):
            key = resub.partner_id.commercial_partner_id.id
            items.setdefault(key, []).append(
                self.env._(
                    "Resubmission %(date)s: %(subject)s",
                    date=resub.date.date(),
                    subject=resub.name or "",
                )
            )
        if "total_due" in partners._fields:
            for partner in partners.filtered(lambda p: p.total_due > 0):
                items.setdefault(partner.id, []).append(
                    self.env._(
                        "Amount due: %(amount)s %(currency)s",
                        amount=f"{partner.total_due:.2f}",
                        currency=self.company_id.currency_id.name,
                    )
                )
        return items
