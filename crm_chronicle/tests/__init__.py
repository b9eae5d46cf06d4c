from . import test_crm_log
from . import test_resubmission
from . import test_security
from . import test_tools
from . import test_ui
from . import test_ical
from . import test_automatic
from . import test_appointment
