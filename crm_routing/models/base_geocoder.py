import logging
from urllib.parse import urlsplit

from odoo import api, models

from ..tools.ratelimit import limiter_for

_logger = logging.getLogger(__name__)

DEFAULT_URLS = {
    "crm_nominatim": "https://nominatim.openstreetmap.org",
    "crm_photon": "https://photon.komoot.io",
}
# public servers whose usage policy caps the rate (requests per second)
PUBLIC_MAX_RATE = {"nominatim.openstreetmap.org": 1.0, "photon.komoot.io": 1.0}


class BaseGeocoder(models.AbstractModel):
    _inherit = "base.geocoder"

    # -- configuration ---------------------------------------------------------
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
            timeout=15,
            adapter_factory=adapter_factory,
        )

    # -- one query ---------------------------------------------------------------
    @api.model
    def _crm_geocode_query(self, query, country_code=None, config=None, geocoder=None):
        """Geocode one address string through geopy, at most at the configured rate.

        :return: (state, latitude, longitude, reason) with state "found",
            "not_found" or "error" (reason: unreachable, HTTP 429, ...)
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
            with limiter_for(config["url"], config["rate"]):
                location = geocoder.geocode(query, **kwargs)
        except geopy_exc.GeocoderRateLimited:
            return (
                "error",
                0.0,
                0.0,
                self.env._("Rate limited by the geocoder (HTTP 429): try again later."),
            )
        except (geopy_exc.GeocoderUnavailable, geopy_exc.GeocoderTimedOut) as error:
            return (
                "error",
                0.0,
                0.0,
                self.env._("Geocoder unreachable: %(error)s", error=str(error)[:200]),
            )
        except geopy_exc.GeopyError as error:
            return (
                "error",
                0.0,
                0.0,
                self.env._("Geocoder error: %(error)s", error=str(error)[:200]),
            )
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
        if state == "error":
            self._raise_query_error(reason)
        return (lat, lon) if state == "found" else None
