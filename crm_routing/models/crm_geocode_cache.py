from odoo import fields, models


class CrmGeocodeCache(models.Model):
    """Geocoding results per normalised address, so that each address is asked once."""

    _name = "crm.geocode.cache"
    _description = "Geocoding Cache"
    _order = "write_date desc, id desc"
    _rec_name = "query"

    key = fields.Char("Normalised Address", required=True, index=True)
    query = fields.Char("Address", required=True)
    provider = fields.Char(required=True, help="Technical name of the geocoding provider.")
    state = fields.Selection(
        [("found", "Found"), ("not_found", "Not found")], required=True, default="found"
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))

    _key_provider_uniq = models.Constraint(
        "UNIQUE(key, provider)", "This address is already in the geocoding cache."
    )
