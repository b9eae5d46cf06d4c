from . import crm_revenue_report
from . import crm_abc_report
