from . import crm_chronicle_correspondence
from . import res_config_settings
from . import res_partner
from . import sale_order
