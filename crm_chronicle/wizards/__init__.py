from . import crm_chronicle_resubmission_done
from . import crm_chronicle_feed
