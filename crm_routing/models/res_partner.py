import logging
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import retrying

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools.boundary import one_record, public
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

from ..tools.geo import normalise_address, valid_position

_logger = logging.getLogger(__name__)

ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
GEO_STATES = [
    ("none", "No address"),
    ("todo", "To geocode"),
    ("found", "Located"),
    ("manual", "Set by hand"),
    ("not_found", "Not found"),
    ("error", "Geocoder error"),
]
# partners geocoded at once by the "Locate" button; more go to the background job
INTERACTIVE_LIMIT = 20


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_geo_state = fields.Selection(
        GEO_STATES,
        string="Position",
        default="none",
        required=True,
        index=True,
        copy=False,
        help="Whether the partner's address has been turned into a position (latitude "
        "and longitude) for route planning. An address change sets it back to 'To "
        "geocode'.",
    )
    crm_geo_reason = fields.Char(
        "Geocoding Problem", copy=False, help="Why the address could not be located."
    )
    crm_route_stop_ids = fields.One2many("crm.route.stop", "partner_id", string="Route Stops")
    crm_route_count = fields.Integer("Routes", compute="_compute_crm_cockpit")

    @api.model
    def _crm_event_skip_field_names(self):
        """The geocoding queue's state and problem are the program's, like the coordinates
        (crm_core leaves them out): not in the customer's event log - on no path, neither
        the ORM's write of the geocoder nor the install hook's UPDATE."""
        return super()._crm_event_skip_field_names() | {"crm_geo_state", "crm_geo_reason"}

    def _crm_cockpit_groups(self):
        """The routes with a stop at the customer or one of its contacts and addresses:
        crm_core's cockpit, the same partner path as the list the button opens."""
        return {
            **super()._crm_cockpit_groups(),
            "crm_routing.routes": CockpitGroup(
                CockpitButton("crm.route.stop", "partner_id"),
                aggregates=("route_id:count_distinct",),
            ),
        }

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        routes = groups["crm_routing.routes"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_route_count = routes.get(key, [0])[0]

    @api.constrains("partner_latitude", "partner_longitude")
    def _check_crm_position(self):
        for partner in self:
            lat, lon = partner.partner_latitude, partner.partner_longitude
            if (lat or lon) and not valid_position(lat, lon):
                raise ValidationError(
                    self.env._(
                        "%(partner)s: %(lat)s, %(lon)s is no position (latitude -90 to 90, "
                        "longitude -180 to 180).",
                        partner=partner.display_name,
                        lat=lat,
                        lon=lon,
                    )
                )

    # -- the position state follows the address -----------------------------------
    @api.model
    def _crm_geo_state_for(self, vals, has_address):
        if vals.get("partner_latitude") or vals.get("partner_longitude"):
            return "found" if vals.get("date_localization") else "manual"
        return "todo" if has_address else "none"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "crm_geo_state" not in vals:
                has_address = any(vals.get(f) for f in ("street", "zip", "city"))
                vals["crm_geo_state"] = self._crm_geo_state_for(vals, has_address)
        return super().create(vals_list)

    def write(self, vals):
        if "crm_geo_state" in vals:
            return super().write(vals)
        coords_given = "partner_latitude" in vals and "partner_longitude" in vals
        if any(f in vals for f in ADDRESS_FIELDS) and not coords_given:
            # the address changes: base_geolocalize clears the position, we queue it
            res = super().write(vals)
            for state, partners in self._crm_group_by_address_state().items():
                super(ResPartner, partners).write({"crm_geo_state": state, "crm_geo_reason": False})
            return res
        if coords_given:
            vals = dict(vals, crm_geo_reason=False)
            has_coords = vals["partner_latitude"] or vals["partner_longitude"]
            if has_coords:
                vals["crm_geo_state"] = self._crm_geo_state_for(vals, True)
            else:
                res = super().write(vals)
                for state, partners in self._crm_group_by_address_state().items():
                    super(ResPartner, partners).write({"crm_geo_state": state})
                return res
        return super().write(vals)

    def _update_address(self, vals):
        # contacts take their company's address through this path, which skips write()
        super()._update_address(vals)
        if any(key in vals for key in self._address_fields()):
            for state, partners in self._crm_group_by_address_state().items():
                partners.write(
                    {
                        "crm_geo_state": state,
                        "crm_geo_reason": False,
                        "partner_latitude": 0.0,
                        "partner_longitude": 0.0,
                    }
                )

    def _crm_group_by_address_state(self):
        todo = self.filtered(lambda p: p.street or p.zip or p.city)
        groups = {"todo": todo, "none": self - todo}
        return {k: v for k, v in groups.items() if v}

    # -- geocoding ---------------------------------------------------------------------
    def _crm_geo_query(self):
        self.ensure_one()
        partner = self.with_context(lang="en_US")
        # the default formatting (our providers need no other); geo_query_address would
        # look the provider up again, one query per partner
        return self.env["base.geocoder"]._geo_query_address_default(
            street=partner.street,
            zip=partner.zip,
            city=partner.city,
            state=partner.state_id.name,
            country=partner.country_id.name,
        )

    def _crm_geocode(self, geopy_geocoder=None):
        """Geocode these partners: from the cache where the normalised address is
        known, else one query per distinct address at the configured rate. A partner
        whose address cannot be resolved gets state not_found/error and the reason;
        the others go on. Returns the number of queries sent to the provider.
        ``geopy_geocoder``: one built by base.geocoder._crm_geopy_geocoder() for this
        configuration, so that a run of many batches builds one and keeps its
        connection."""
        geocoder = self.env["base.geocoder"]
        config = geocoder._crm_geocoder_config()
        if config["tech"] not in ("crm_nominatim", "crm_photon"):
            return 0
        partners = self.filtered(lambda p: p.street or p.zip or p.city)
        (self - partners).write({"crm_geo_state": "none", "crm_geo_reason": False})
        # a street without zip code and city matches streets of that name anywhere in
        # the country: not asked, so that no wrong position is taken for a right one
        incomplete = partners.filtered(lambda p: p.street and not (p.zip or p.city))
        incomplete.write(
            {
                "crm_geo_state": "not_found",
                "crm_geo_reason": self.env._(
                    "Incomplete address: add the zip code or the city to the street."
                ),
            }
        )
        partners -= incomplete
        by_key = {}
        queries = {}
        for partner in partners:
            query = partner._crm_geo_query()
            key = normalise_address(query)
            by_key.setdefault(key, self.browse())
            by_key[key] |= partner
            queries[key] = (query, partner.country_id.code)
        Cache = self.env["crm.geocode.cache"].sudo()
        cached = {
            c.key: c
            for c in Cache.search_fetch(
                [("key", "in", list(by_key)), ("provider", "=", config["tech"])],
                ["key", "state", "latitude", "longitude"],
            )
        }
        sent = 0
        today = fields.Date.context_today(self)
        approximate = self.env._(
            "Approximate position: without a street the place's centre is taken."
        )
        not_found = self.env._("Not found by the geocoder.")
        paused = False
        for key, group in by_key.items():
            hit = cached.get(key)
            if hit:
                state, lat, lon = hit.state, hit.latitude, hit.longitude
                reason = False if state == "found" else not_found
            elif paused:
                state = "paused"  # not asked: the geocoder's breaker is open
            else:
                query, country_code = queries[key]
                geopy_geocoder = geopy_geocoder or geocoder._crm_geopy_geocoder(config)
                # in the installation's turn: another worker or server may have asked for
                # this address since this transaction began (its answer is in the cache)
                with geocoder._crm_geocoder_turn(config) as turn:
                    hit = turn.cached(key)
                    if hit:
                        state, lat, lon = hit
                        reason = False if state == "found" else not_found
                    else:
                        state, lat, lon, reason = geocoder._crm_geocode_query(
                            query,
                            country_code=country_code,
                            config=config,
                            geocoder=geopy_geocoder,
                            turn=turn,
                        )
                        if state in ("found", "not_found"):
                            turn.remember(key, query, state, lat, lon)
                    sent += turn.sent
                if state == "paused":
                    paused = reason
            if state == "found":
                vals = {
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                    "date_localization": today,
                    "crm_geo_state": "found",
                    "crm_geo_reason": False,
                }
                exact = group.filtered("street")
                exact.write(vals)
                # zip code or city only: the geocoder answers the place's centre
                (group - exact).write(dict(vals, crm_geo_reason=approximate))
            elif state == "paused":
                # still to geocode: the background job asks once the pause is over
                group.write({"crm_geo_state": "todo", "crm_geo_reason": paused})
            else:
                group.write({"crm_geo_state": state, "crm_geo_reason": reason})
        return sent

    @api.model
    def _cron_crm_geocode(self, batch_size=20):
        """Geocode the queued partners in batches, committing after each batch so
        that an interrupted run resumes where it stopped. Partners that failed with a
        geocoder error (unreachable, HTTP 429) in an earlier run are queued again once
        per run; "not found" answers are not (they are cached until "Try Again"). A
        geocoder that does not answer ends the run once its circuit breaker opens
        (after a few failed requests of a few seconds each), not after every partner."""
        geocoder = self.env["base.geocoder"]
        config = geocoder._crm_geocoder_config()
        if config["tech"] not in ("crm_nominatim", "crm_photon"):
            return
        geopy_geocoder = geocoder._crm_geopy_geocoder(config)
        breaker = geocoder._crm_geocoder_breaker(config)
        domain = [("crm_geo_state", "=", "todo")]
        # queued again; rows another transaction writes right now (the ABC analysis, a user)
        # are left for the next run instead of a refused write
        failed = self.with_context(active_test=False).search([("crm_geo_state", "=", "error")])
        concurrency.try_lock(failed, allow_referencing=True).write({"crm_geo_state": "todo"})
        IrCron = self.env["ir.cron"]
        while True:
            if breaker.is_open:
                # the geocoder does not answer: the partners stay queued for the next run
                # after the pause (the breaker logged it when it opened)
                break
            # a batch is undone and done again (from the cache) when PostgreSQL refuses
            # it for a conflict with another transaction (Odoo's retrying)
            done = retrying(
                partial(self._crm_geocode_batch, domain, batch_size, geopy_geocoder), self.env
            )
            if not done:
                break
            remaining = self.with_context(active_test=False).search_count(domain)
            if IrCron._commit_progress(done, remaining=remaining) <= 0:
                break

    @api.model
    def _crm_geocode_batch(self, domain, batch_size, geopy_geocoder):
        """Geocode the next queued partners that no other transaction holds (another
        worker or server may be locating some of them right now); returns how many."""
        candidates = self.with_context(active_test=False).search(
            domain, limit=batch_size * 2, order="id"
        )
        partners = concurrency.try_lock(candidates, limit=batch_size, allow_referencing=True)
        if partners:
            partners._crm_geocode(geopy_geocoder)
        return len(partners)

    # -- buttons: locate, try again, the routes of a customer ----------------------
    @public()
    def action_crm_geocode(self):
        """Locate the selected partners now (few) or queue them for the background
        job (many)."""
        if self.env["base.geocoder"]._crm_geocoder_config()["tech"] == "crm_manual":
            raise UserError(
                self.env._(
                    "Geocoding is set to manual only: enter the positions by hand or "
                    "choose a provider in the settings."
                )
            )
        if len(self) > INTERACTIVE_LIMIT:
            self.write({"crm_geo_state": "todo", "crm_geo_reason": False})
            self.env.ref("crm_routing.ir_cron_geocode_partners")._trigger()
            message = self.env._(
                "%(count)s partners are queued: they are located in the background.",
                count=len(self),
            )
        else:
            # partners another worker or server is locating right now are left to it
            concurrency.try_lock(self, allow_referencing=True)._crm_geocode()
            failed = self.filtered(lambda p: p.crm_geo_state in ("not_found", "error", "todo"))
            message = (
                self.env._(
                    "Not located: %(names)s",
                    names=", ".join(failed.mapped("display_name")),
                )
                if failed
                else self.env._("Located.")
            )
            paused = failed.filtered(lambda p: p.crm_geo_state == "todo")[:1].crm_geo_reason
            if paused:
                message = f"{message}. {paused}"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info", "sticky": False},
        }

    @public()
    def action_crm_geocode_retry(self):
        """Forget cached 'not found' answers for these addresses and queue them again."""
        keys = [normalise_address(p._crm_geo_query()) for p in self]
        self.env["crm.geocode.cache"].sudo().search(
            [("key", "in", keys), ("state", "=", "not_found")]
        ).unlink()
        self.write({"crm_geo_state": "todo", "crm_geo_reason": False})
        self.env.ref("crm_routing.ir_cron_geocode_partners")._trigger()
        return True

    @public()
    @one_record
    def action_crm_view_routes(self):
        """The routes the cockpit button counts."""
        self.ensure_one()
        return self._crm_cockpit_action(
            "crm.route", "stop_ids.partner_id", action="crm_routing.crm_route_action"
        )

    def _crm_personal_data(self, files):
        """The visits (route stops) at the customer and its addresses, and the trips of the
        mileage logbook to them (GDPR export, crm_core)."""
        data = super()._crm_personal_data(files)
        stops = self._crm_personal_data_search(
            "crm.route.stop", [("partner_id", "child_of", self.id)], "id"
        )
        trips = self._crm_personal_data_search(
            "crm.mileage.log", [("partner_id", "child_of", self.id)], "id"
        )
        data["crm_routing.visits"] = self._crm_personal_data_rows(stops)
        data["crm_routing.mileage_log"] = self._crm_personal_data_rows(trips)
        return data
