from . import crm_chronicle_report
