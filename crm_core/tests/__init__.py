from . import test_crm_partner_number
from . import test_ui
from . import test_label_sheet
from . import test_vcard_tools
from . import test_crm_reports
from . import test_crm_labels
from . import test_crm_vcard
from . import test_crm_import_template
