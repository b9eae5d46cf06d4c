from . import crm_chronicle_resubmission_done
from . import crm_chronicle_feed
from . import crm_chronicle_report_wizard
