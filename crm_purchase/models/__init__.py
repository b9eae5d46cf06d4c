from . import crm_chronicle_correspondence
from . import purchase_order
from . import res_partner
