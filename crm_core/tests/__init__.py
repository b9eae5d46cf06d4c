from . import test_crm_partner_number
from . import test_ui
