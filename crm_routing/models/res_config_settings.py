from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_routing_nominatim_url = fields.Char(
        "Nominatim URL",
        config_parameter="crm_routing.crm_nominatim_url",
        help="Your own Nominatim server, or empty for the public OpenStreetMap one "
        "(at most one request per second).",
    )
    crm_routing_photon_url = fields.Char(
        "Photon URL", config_parameter="crm_routing.crm_photon_url"
    )
    crm_routing_geocoder_rate = fields.Float(
        "Requests per Second",
        config_parameter="crm_routing.geocoder_rate",
        default=1.0,
        help="Geocoding never asks faster than this. The public Nominatim and Photon "
        "servers are always limited to 1 per second.",
    )
    crm_routing_user_agent = fields.Char(
        "User Agent",
        config_parameter="crm_routing.geocoder_user_agent",
        help="Sent with every geocoding request; Nominatim's usage policy asks for one "
        "that names your installation. Empty: derived from the web address.",
    )
    crm_routing_distance_source = fields.Selection(
        [("straight", "Straight line x road factor (offline)"), ("osrm", "Routing server")],
        "Distances From",
        config_parameter="crm_routing.distance_source",
        default="straight",
    )
    crm_routing_road_factor = fields.Float(
        "Road Factor", config_parameter="crm_routing.road_factor", default=1.3
    )
    crm_routing_speed_kmh = fields.Float(
        "Average Speed (km/h)", config_parameter="crm_routing.speed_kmh", default=50.0
    )
    crm_routing_osrm_url = fields.Char(
        "Routing Server URL",
        config_parameter="crm_routing.osrm_url",
        help="An OSRM (or Valhalla with OSRM output) server offering /table/v1/driving.",
    )

    crm_routing_tile_url = fields.Char(
        "Map Tiles URL",
        config_parameter="crm_routing.tile_url",
        help="Tile server for the route map, as a template with {z}, {x} and {y} (and "
        "optionally {s}). Empty: the OpenStreetMap tile server, whose usage policy allows "
        "light interactive use only; use your own or a commercial tile server for more.",
    )
    crm_routing_tile_attribution = fields.Char(
        "Map Attribution",
        config_parameter="crm_routing.tile_attribution",
        help="Credit shown in the map corner (HTML). Empty: OpenStreetMap contributors.",
    )

    @api.constrains(
        "crm_routing_geocoder_rate",
        "crm_routing_road_factor",
        "crm_routing_speed_kmh",
        "crm_routing_tile_url",
    )
    def _check_crm_routing(self):
        for settings in self:
            if settings.crm_routing_geocoder_rate <= 0:
                raise ValidationError(
                    self.env._("Settings: the geocoding rate must be above zero.")
                )
            if settings.crm_routing_road_factor < 1:
                raise ValidationError(self.env._("Settings: the road factor is at least 1."))
            url = settings.crm_routing_tile_url
            if url and not (
                url.startswith(("http://", "https://", "/"))
                and all(part in url for part in ("{z}", "{x}", "{y}"))
            ):
                raise ValidationError(
                    self.env._(
                        "Settings: the map tiles URL %(url)s must be an http(s) address "
                        "with {z}, {x} and {y} in it.",
                        url=url,
                    )
                )
            if settings.crm_routing_speed_kmh <= 0:
                raise ValidationError(self.env._("Settings: the average speed must be above zero."))

    def set_values(self):
        # the fields are stored as parameters: check before anything is written (a
        # constraint alone does not run when a saved settings record is edited)
        self._check_crm_routing()
        return super().set_values()
