from . import crm_partner_number
from . import res_company
from . import res_partner
from . import res_partner_exchange
