from . import crm_chronicle_resubmission_done
