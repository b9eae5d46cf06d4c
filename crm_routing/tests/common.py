from odoo.addons.base.tests.common import BaseCommon, new_test_user
from odoo.addons.crm_core.tools import breaker

from .peers.nominatim_peer import GeocoderPeer

# a few places around Dresden, keyed as the geocoder is asked (street, zip city, country)
PLACES = {
    "Königsbrücker Str. 12, 01099 Dresden, Germany": (51.0667, 13.7502),
    "Meißner Str. 200, 01445 Radebeul, Germany": (51.1069, 13.6431),
    "Dohnaische Str. 5, 01796 Pirna, Germany": (50.9609, 13.9401),
    "Burgstr. 8, 01662 Meißen, Germany": (51.1636, 13.4737),
    "Dresdner Str. 70, 01705 Freital, Germany": (51.0017, 13.6486),
    "01705 Freital, Germany": (51.0000, 13.6500),  # the town's centre
}


class GeocodingCommon(BaseCommon):
    """Starts a Nominatim/Photon-compatible peer on 127.0.0.1 and points the
    geocoder at it."""

    peer_kwargs = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = GeocoderPeer(PLACES, **cls.peer_kwargs).start()
        cls.addClassCleanup(cls.peer.stop)
        cls.set_provider("crm_nominatim", rate=50.0)
        cls.de = cls.env.ref("base.de")

    def setUp(self):
        super().setUp()
        breaker.reset_all()  # every test starts with the outside services not paused

    @classmethod
    def set_provider(cls, tech, rate=50.0, url=None):
        param = cls.env["ir.config_parameter"].sudo()
        provider = cls.env["base.geo_provider"].search([("tech_name", "=", tech)])
        param.set_param("base_geolocalize.geo_provider", provider.id)
        param.set_param(f"crm_routing.{tech}_url", url or cls.peer.url)
        param.set_param("crm_routing.geocoder_rate", str(rate))

    @classmethod
    def make_partner(cls, street, zip_code, city, **extra):
        return cls.env["res.partner"].create(
            {
                "name": extra.pop("name", f"{city} {street}"),
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": cls.de.id,
                **extra,
            }
        )


class RouteCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="route_user", groups="crm_core.group_user", tz="Europe/Berlin"
        )
        cls.user2 = new_test_user(cls.env, login="route_user2", groups="crm_core.group_user")
        cls.manager = new_test_user(cls.env, login="route_mgr", groups="crm_core.group_manager")
        de = cls.env.ref("base.de")
        cls.env.company.partner_id.write(
            {
                "street": "Altmarkt 1",
                "zip": "01067",
                "city": "Dresden",
                "country_id": de.id,
                "partner_latitude": 51.0504,
                "partner_longitude": 13.7373,
            }
        )
        cls.user.partner_id.write(
            {
                "street": "Hauptstr. 1",
                "zip": "01445",
                "city": "Radebeul",
                "partner_latitude": 51.1100,
                "partner_longitude": 13.6600,
            }
        )
        coords = [
            ("Bäckerei Elbflorenz", 51.0667, 13.7502),
            ("Autohaus Radebeul", 51.1069, 13.6431),
            ("Werkzeugbau Pirna", 50.9609, 13.9401),
            ("Porzellan Meißen", 51.1636, 13.4737),
            ("Getränke Freital", 51.0017, 13.6486),
            ("Kamenzer Holz", 51.2690, 14.0940),
        ]
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": n,
                    "is_company": True,
                    "street": f"Weg {i}",
                    "city": "Sachsen",
                    "phone": f"+49 351 {1000 + i}",
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                }
                for i, (n, lat, lon) in enumerate(coords)
            ]
        )
        cls.no_position = cls.env["res.partner"].create(
            {
                "name": "Ohne Position GmbH",
                "is_company": True,
                "street": "Nirgendwo 1",
                "city": "Dresden",
            }
        )
