from . import test_crm_partner_number
from . import test_ui
from . import test_label_sheet
from . import test_vcard_tools
from . import test_crm_reports
