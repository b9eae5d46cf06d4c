from . import crm_chronicle_type
from . import crm_chronicle_tag
from . import crm_chronicle_entry
from . import crm_chronicle_resubmission
from . import res_partner
