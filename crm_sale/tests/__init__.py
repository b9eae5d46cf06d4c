from . import test_crm_sale
from . import test_payment_alerts
from . import test_ui
from . import test_rpc
from . import test_rpc_probe
