import datetime
import time
import zlib
from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

from odoo import api, fields, models, modules
from odoo.tools import SQL

from odoo.addons.crm_core.tools import breaker as outside

DEFAULT_URLS = {
    "crm_nominatim": "https://nominatim.openstreetmap.org",
    "crm_photon": "https://photon.komoot.io",
}
# public servers whose usage policy caps the rate (requests per second)
PUBLIC_MAX_RATE = {"nominatim.openstreetmap.org": 1.0, "photon.komoot.io": 1.0}
# seconds a geocoding request may take (connecting and answering each); a geocoder that
# does not answer costs this per address until its circuit breaker opens
TIMEOUT = 5
# pg_advisory_xact_lock(TURN_CLASS, <hash of the geocoder's URL>): the turn to ask a geocoder
TURN_CLASS = 0x43524D47  # "CRMG"


class GeocoderTurn:
    """The turn to ask the geocoder, taken by base.geocoder._crm_geocoder_turn(): the
    cursor of its own transaction, in which the geocoding cache is read and written."""

    def __init__(self, cr, provider, uid):
        self.cr = cr
        self.provider = provider
        self.uid = uid
        self.sent = False

    def cached(self, key):
        """(state, latitude, longitude) of the address in the cache, or None."""
        self.cr.execute(
            SQL(
                "SELECT state, latitude, longitude FROM crm_geocode_cache"
                " WHERE key = %s AND provider = %s",
                key,
                self.provider,
            )
        )
        return self.cr.fetchone()

    def remember(self, key, query, state, latitude, longitude):
        """Keep the geocoder's answer for the address (committed with the turn, so no
        worker of any server asks for it again, even if its own transaction is undone)."""
        self.cr.execute(
            SQL(
                """INSERT INTO crm_geocode_cache (key, query, provider, state, latitude,
                                                  longitude, create_uid, create_date,
                                                  write_uid, write_date)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC',
                           %s, now() at time zone 'UTC')
                   ON CONFLICT (key, provider) DO NOTHING""",
                key,
                query,
                self.provider,
                state,
                latitude,
                longitude,
                self.uid,
                self.uid,
            )
        )


class BaseGeocoder(models.AbstractModel):
    _inherit = "base.geocoder"

    # -- configuration, timeout, circuit breaker ------------------------------------
    @api.model
    def _crm_geocoder_config(self):
        """Provider, server URL, rate (requests per second, capped by the public
        servers' policies) and the User-Agent naming this installation."""
        param = self.env["ir.config_parameter"].sudo()
        tech = self._get_provider().tech_name or "crm_manual"
        url = (param.get_param(f"crm_routing.{tech}_url") or DEFAULT_URLS.get(tech, "")).strip()
        try:
            rate = float(param.get_param("crm_routing.geocoder_rate") or 1.0)
        except ValueError:
            rate = 1.0
        host = urlsplit(url).hostname or ""
        rate = min(rate, PUBLIC_MAX_RATE.get(host, rate)) if rate > 0 else 1.0
        user_agent = param.get_param("crm_routing.geocoder_user_agent") or (
            "Odoo CRM Suite crm_routing ({base}; db {uuid})".format(
                base=param.get_param("web.base.url") or "unknown",
                uuid=(param.get_param("database.uuid") or "")[:8],
            )
        )
        return {"tech": tech, "url": url, "rate": rate, "user_agent": user_agent}

    @api.model
    def _crm_geopy_geocoder(self, config):
        from geopy.adapters import RequestsAdapter  # noqa: PLC0415
        from geopy.geocoders import Nominatim, Photon  # noqa: PLC0415

        parts = urlsplit(config["url"])
        scheme = parts.scheme or "https"
        domain = (parts.netloc + parts.path).rstrip("/")
        cls = Nominatim if config["tech"] == "crm_nominatim" else Photon

        def adapter_factory(proxies, ssl_context):
            # no silent retries: each request counts against the provider's rate
            return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)

        return cls(
            domain=domain,
            scheme=scheme,
            user_agent=config["user_agent"],
            timeout=TIMEOUT,
            adapter_factory=adapter_factory,
        )

    @api.model
    def _crm_geocoder_breaker(self, config):
        """The circuit breaker of the configured geocoder (crm_core/tools/breaker.py)."""
        return outside.breaker_for("Geocoder", config["url"])

    @api.model
    def _crm_connection_text(self, reason, seconds=TIMEOUT):
        """Why a connection failed, in words (reason: crm_core's breaker constants;
        seconds: the request timeout)."""
        texts = {
            outside.REFUSED: self.env._("connection refused"),
            outside.TIMEOUT: self.env._("no answer within %(seconds)s s", seconds=seconds),
            outside.UNKNOWN_HOST: self.env._("unknown host name"),
            outside.TLS: self.env._("secure connection (TLS) failed"),
            outside.UNAVAILABLE: self.env._("service unavailable"),
        }
        return texts.get(reason) or self.env._("network error")

    @api.model
    def _crm_local_time(self, timestamp):
        """HH:MM in the user's time zone of a time.time() value."""
        moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).replace(tzinfo=None)
        return fields.Datetime.context_timestamp(self, moment).strftime("%H:%M")

    @api.model
    def _crm_paused_text(self, error):
        """What the user reads while the geocoder's breaker is open (error: CircuitOpen)."""
        return self.env._(
            "Geocoder paused after %(failures)s failed connections in a row (%(reason)s); "
            "the next try is after %(time)s.",
            failures=error.failures,
            reason=self._crm_connection_text(error.reason),
            time=self._crm_local_time(error.until),
        )

    # -- the turn: one request at a time, at the configured rate, installation-wide --
    @api.model
    @contextmanager
    def _crm_geocoder_turn(self, config):
        """Wait for the turn to ask the geocoder: one request at a time for the whole
        installation (every worker of every application server), and none closer than
        1/rate seconds after the one before - the public servers' usage policies count
        requests per installation, not per process. The turn is a PostgreSQL advisory lock
        in a transaction of its own (READ COMMITTED, so it sees the cache rows of the turns
        before it), kept for 1/rate seconds after a request was sent."""
        # a test runs in one transaction that is rolled back: its turns are taken in it
        own = not modules.module.current_test
        with self.env.registry.cursor() if own else nullcontext(self.env.cr) as cr:
            if own:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            url_key = zlib.crc32(config["url"].encode()) - 2**31
            cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", TURN_CLASS, url_key))
            turn = GeocoderTurn(cr, config["tech"], self.env.uid)
            try:
                yield turn
            finally:
                if turn.sent:
                    time.sleep(1.0 / config["rate"])

    # -- one query ---------------------------------------------------------------
    @api.model
    def _crm_geocode_query(self, query, country_code=None, config=None, geocoder=None, turn=None):
        """Geocode one address string through geopy, in the installation's turn (at most
        at the configured rate, see _crm_geocoder_turn; `turn`: one the caller holds) and
        not at all while the geocoder's circuit breaker is open.

        :return: (state, latitude, longitude, reason) with state "found",
            "not_found", "error" (reason: unreachable, HTTP 429, ...) or "paused" (the
            breaker is open: nothing was sent)
        """
        from geopy import exc as geopy_exc  # noqa: PLC0415

        config = config or self._crm_geocoder_config()
        if config["tech"] not in ("crm_nominatim", "crm_photon"):
            return "error", 0.0, 0.0, self.env._("Geocoding is set to manual only.")
        if not query:
            return "not_found", 0.0, 0.0, self.env._("Not found: the address is empty.")
        # building a geocoder loads the CA certificates (~0.1 s): callers geocoding
        # many addresses pass one in
        geocoder = geocoder or self._crm_geopy_geocoder(config)
        kwargs = {"exactly_one": True}
        if config["tech"] == "crm_nominatim" and country_code:
            kwargs["country_codes"] = country_code.lower()
        try:
            with (
                nullcontext(turn) if turn else self._crm_geocoder_turn(config) as turn,
                self._crm_geocoder_breaker(config).call(),
            ):
                turn.sent = True
                location = geocoder.geocode(query, **kwargs)
        except outside.CircuitOpen as error:
            return "paused", 0.0, 0.0, self._crm_paused_text(error)
        except geopy_exc.GeocoderRateLimited:
            return (
                "error",
                0.0,
                0.0,
                self.env._("Rate limited by the geocoder (HTTP 429): try again later."),
            )
        except geopy_exc.GeopyError as error:
            reason = outside.connection_failure(error)
            if reason:
                text = self.env._(
                    "Geocoder unreachable: %(reason)s.", reason=self._crm_connection_text(reason)
                )
            else:
                status = outside.http_status(error)
                text = self.env._(
                    "The geocoder answered with an error (%(what)s).",
                    what=f"HTTP {status}" if status else type(error).__name__,
                )
            return "error", 0.0, 0.0, text
        if location is None:
            return "not_found", 0.0, 0.0, self.env._("Not found by the geocoder.")
        return "found", location.latitude, location.longitude, False

    # -- base_geolocalize's provider hooks (the "Compute position" button) --------
    @api.model
    def _call_crm_nominatim(self, addr, **kw):
        return self._crm_call(addr, **kw)

    @api.model
    def _call_crm_photon(self, addr, **kw):
        return self._crm_call(addr, **kw)

    @api.model
    def _call_crm_manual(self, addr, **kw):
        return None

    @api.model
    def _crm_call(self, addr, **kw):
        country = kw.get("force_country")
        code = False
        if country:
            code = (
                self.env["res.country"]
                .with_context(lang="en_US")
                .search([("name", "=", country)], limit=1)
                .code
            )
        state, lat, lon, reason = self._crm_geocode_query(addr, country_code=code)
        if state in ("error", "paused"):
            self._raise_query_error(reason)
        return (lat, lon) if state == "found" else None
