from . import test_crm_stock
from . import test_rpc_probe
