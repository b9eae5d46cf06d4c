from . import crm_sepa_debit_wizard
from . import crm_sepa_return_wizard
from . import crm_sepa_camt_import
