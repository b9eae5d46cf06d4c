from . import crm_chronicle_report
from . import crm_contact_sheet
