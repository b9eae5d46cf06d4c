def post_init_hook(env):
    """Use our geopy-based Nominatim unless another provider was chosen, and queue
    the partners that have an address but no position for the geocoding cron."""
    param = env["ir.config_parameter"].sudo()
    current = (
        env["base.geo_provider"]
        .browse(int(param.get_param("base_geolocalize.geo_provider") or 0))
        .exists()
    )
    if not current or current.tech_name in (False, "openstreetmap"):
        param.set_param(
            "base_geolocalize.geo_provider", env.ref("crm_routing.geo_provider_nominatim").id
        )
    env.cr.execute(
        """
        UPDATE res_partner
           SET crm_geo_state = CASE
                 WHEN COALESCE(partner_latitude, 0) != 0 OR COALESCE(partner_longitude, 0) != 0
                     THEN 'found'
                 WHEN COALESCE(street, '') != '' OR COALESCE(zip, '') != ''
                      OR COALESCE(city, '') != ''
                     THEN 'todo'
                 ELSE 'none' END
        """
    )
