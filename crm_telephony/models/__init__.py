from . import crm_partner_identifier
from . import crm_phone_call
from . import crm_telephony_box
from . import crm_telephony_line
from . import crm_telephony_phonebook_entry
from . import ir_http
from . import res_partner
from . import res_users
