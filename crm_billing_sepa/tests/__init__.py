from . import test_tools
from . import test_mandate
from . import test_debit
from . import test_ui
from . import test_report
from . import test_service
from . import test_dunning
from . import test_billing_ui
