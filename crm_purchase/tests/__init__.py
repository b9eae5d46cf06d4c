from . import test_crm_purchase
