from . import test_crm_purchase
from . import test_rpc
from . import test_rpc_probe
