from . import test_crm_log
from . import test_resubmission
from . import test_security
from . import test_tools
