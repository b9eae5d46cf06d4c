from . import base_geocoder
from . import crm_geocode_cache
from . import res_partner
from . import crm_route
from . import crm_route_stop
from . import crm_mileage_log
from . import res_config_settings
from . import res_config_settings_first_steps
