"""New Purchase Order (res.partner.action_crm_new_purchase_order) over JSON-2 with wrong ids
(see crm_core's NewDocumentWrongIds)."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.rpc_probe import NewDocumentWrongIds


@tagged("post_install", "-at_install")
class TestNewPurchaseOrderOverJson2(NewDocumentWrongIds, HttpCase):
    METHOD = "action_crm_new_purchase_order"
    RES_MODEL = "purchase.order"
    GROUPS = "purchase.group_purchase_user,crm_core.group_user"
    LOGIN = "crm_purchase_json2"
