from . import res_company
from . import res_config_settings
from . import crm_period_export_mixin
from . import crm_datev_export
from . import crm_pohoda_export
