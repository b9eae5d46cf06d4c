from . import crm_chronicle_correspondence
from . import res_partner
