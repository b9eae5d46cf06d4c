from odoo.tests import new_test_user, tagged
from odoo.tests.common import HttpCase

from odoo.addons.crm_core.tests.rpc_probe import (
    FAULT_ACCESS,
    FAULT_USER,
    NONEXISTENT_ID,
    RpcProbe,
)

BUTTONS = ["action_crm_new_purchase_order", "action_crm_open_purchase_orders"]


def refusal(button):
    """(status, fault) of a button on a supplier the user may not read or that does not
    exist: New Purchase Order checks its ids itself (crm_core's _crm_check_button_ids, a 422
    that does not tell which), the open button leaves it to Odoo (404 missing, 403 access)."""
    if button.startswith("action_crm_new_"):
        return {"missing": (422, FAULT_USER), "foreign": (422, FAULT_USER)}
    return {"missing": (404, None), "foreign": (403, FAULT_ACCESS)}


@tagged("post_install", "-at_install")
class TestPurchaseButtonsFromOutside(RpcProbe, HttpCase):
    """The purchase buttons of the supplier record called over JSON-2 and XML-RPC with
    wrong ids, by a buyer of another company and by a user without purchase rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company2 = env["res.company"].create({"name": "Probe Nákup s.r.o."})
        cls.buyer = new_test_user(
            env, login="probe_buyer", groups="purchase.group_purchase_user,crm_core.group_user"
        )
        cls.office = new_test_user(env, login="probe_p_office", groups="crm_core.group_user")
        cls.suppliers = env["res.partner"].create(
            [{"name": f"Probe Lieferant {i}", "is_company": True} for i in range(2)]
        )
        cls.supplier2 = env["res.partner"].create(
            {"name": "Probe Dodavatel", "is_company": True, "company_id": company2.id}
        )

    def test_wrong_ids_and_another_company(self):
        for button in BUTTONS:
            where = f"res.partner.{button}"
            for ids in ([], self.suppliers.ids):
                self.assertRefused(self.buyer, "res.partner", button, ids, 422, FAULT_USER, [where])
            self.assertRefused(
                self.buyer, "res.partner", button, [NONEXISTENT_ID], *refusal(button)["missing"]
            )
            body = self.assertRefused(
                self.buyer, "res.partner", button, self.supplier2.ids, *refusal(button)["foreign"]
            )
            self.assertNotIn("Probe Dodavatel", str(body))
        self.assertRefused(
            self.office, "res.partner", "action_crm_new_purchase_order", self.suppliers[:1].ids, 403
        )
