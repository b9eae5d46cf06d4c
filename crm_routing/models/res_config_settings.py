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

    @api.constrains("crm_routing_geocoder_rate", "crm_routing_road_factor", "crm_routing_speed_kmh")
    def _check_crm_routing(self):
        for settings in self:
            if settings.crm_routing_geocoder_rate <= 0:
                raise ValidationError(
                    self.env._("Settings: the geocoding rate must be above zero.")
                )
            if settings.crm_routing_road_factor < 1:
                raise ValidationError(self.env._("Settings: the road factor is at least 1."))
            if settings.crm_routing_speed_kmh <= 0:
                raise ValidationError(self.env._("Settings: the average speed must be above zero."))
