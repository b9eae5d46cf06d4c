from odoo.tests import new_test_user, tagged
from odoo.tests.common import HttpCase

from odoo.addons.crm_core.tests.rpc_probe import (
    FAULT_ACCESS,
    FAULT_USER,
    NONEXISTENT_ID,
    RpcProbe,
)


@tagged("post_install", "-at_install")
class TestDeliveryButtonFromOutside(RpcProbe, HttpCase):
    """The delivery notes' button of the customer record called over JSON-2 and XML-RPC
    with wrong ids and by an inventory user of another company."""

    def test_wrong_ids_and_another_company(self):
        env = self.env
        company2 = env["res.company"].create({"name": "Probe Sklad s.r.o."})
        user = new_test_user(
            env, login="probe_stock", groups="stock.group_stock_user,crm_core.group_user"
        )
        customers = env["res.partner"].create(
            [{"name": f"Probe Lieferkunde {i}", "is_company": True} for i in range(2)]
        )
        customer2 = env["res.partner"].create(
            {"name": "Probe Odběratel", "is_company": True, "company_id": company2.id}
        )
        button, where = "action_crm_open_deliveries", "res.partner.action_crm_open_deliveries"
        for ids in ([], customers.ids):
            self.assertRefused(user, "res.partner", button, ids, 422, FAULT_USER, [where])
        self.assertRefused(user, "res.partner", button, [NONEXISTENT_ID], 404)
        body = self.assertRefused(user, "res.partner", button, customer2.ids, 403, FAULT_ACCESS)
        self.assertNotIn("Probe Odběratel", str(body))
        status, action = self.json2(user, "res.partner", button, ids=customers[:1].ids)
        self.assertEqual((status, action.get("res_model")), (200, "stock.picking"), action)
