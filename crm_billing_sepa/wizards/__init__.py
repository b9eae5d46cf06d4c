from . import crm_sepa_debit_wizard
from . import crm_sepa_return_wizard
from . import crm_sepa_camt_import
from . import crm_service_invoice_wizard
from . import crm_credit_note_wizard
from . import crm_credit_note_wizard_line
