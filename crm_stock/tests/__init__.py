from . import test_crm_stock
