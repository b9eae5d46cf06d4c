"""New Quotation (res.partner.action_crm_new_quotation) over JSON-2 with wrong ids (see
crm_core's NewDocumentWrongIds)."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.rpc_probe import NewDocumentWrongIds


@tagged("post_install", "-at_install")
class TestNewQuotationOverJson2(NewDocumentWrongIds, HttpCase):
    METHOD = "action_crm_new_quotation"
    RES_MODEL = "sale.order"
    GROUPS = "sales_team.group_sale_salesman,crm_core.group_user"
    LOGIN = "crm_sale_json2"
