from . import crm_vcard_export
from . import crm_label_wizard
from . import crm_vcard_import
from . import crm_vcard_import_line
from . import crm_partner_import
from . import crm_partner_import_line
from . import crm_partner_import_column
