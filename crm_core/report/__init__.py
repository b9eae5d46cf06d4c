from . import crm_revenue_report
from . import crm_abc_report
from . import crm_contact_sheet
from . import crm_contact_sheet_full_iban
from . import crm_birthday_list
