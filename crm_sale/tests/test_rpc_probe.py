from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import HttpCase

from odoo.addons.crm_core.tests.rpc_probe import (
    FAULT_ACCESS,
    FAULT_USER,
    NONEXISTENT_ID,
    RpcProbe,
)

BUTTONS = ["action_crm_new_quotation", "action_crm_open_quotations", "action_crm_open_sale_orders"]


def refusal(button):
    """(status, fault) of a button on a customer the user may not read or that does not
    exist: New Quotation checks its ids itself (crm_core's _crm_check_button_ids, a 422 that
    does not tell which), the open buttons leave it to Odoo (404 missing, 403 no access)."""
    if button.startswith("action_crm_new_"):
        return {"missing": (422, FAULT_USER), "foreign": (422, FAULT_USER)}
    return {"missing": (404, None), "foreign": (403, FAULT_ACCESS)}


@tagged("post_install", "-at_install")
class TestSaleButtonsFromOutside(RpcProbe, HttpCase):
    """The sales buttons of the customer record called over JSON-2 and XML-RPC with wrong
    ids, by a salesperson of another company and by a user without sales rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company2 = env["res.company"].create({"name": "Probe Obchod s.r.o."})
        cls.salesperson = new_test_user(
            env, login="probe_sales", groups="sales_team.group_sale_salesman,crm_core.group_user"
        )
        cls.salesperson2 = new_test_user(
            env,
            login="probe_sales2",
            groups="sales_team.group_sale_salesman_all_leads,crm_core.group_user",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        cls.office = new_test_user(env, login="probe_office", groups="crm_core.group_user")
        cls.customers = env["res.partner"].create(
            [{"name": f"Probe Kunde {i}", "is_company": True} for i in range(2)]
        )
        cls.customer2 = env["res.partner"].create(
            {"name": "Probe Zákazník", "is_company": True, "company_id": cls.company2.id}
        )
        # a quotation of company 2 for a customer both companies share
        cls.order2 = (
            env["sale.order"]
            .with_company(cls.company2)
            .create({"partner_id": cls.customers[0].id, "company_id": cls.company2.id})
        )

    def test_wrong_ids(self):
        for button in BUTTONS:
            where = f"res.partner.{button}"
            for ids in ([], self.customers.ids):
                self.assertRefused(
                    self.salesperson, "res.partner", button, ids, 422, FAULT_USER, [where]
                )
            self.assertRefused(
                self.salesperson,
                "res.partner",
                button,
                [NONEXISTENT_ID],
                *refusal(button)["missing"],
            )

    def test_another_company(self):
        for button in BUTTONS:
            body = self.assertRefused(
                self.salesperson,
                "res.partner",
                button,
                self.customer2.ids,
                *refusal(button)["foreign"],
            )
            self.assertNotIn("Probe Zákazník", str(body))
        self.assertRefused(
            self.office, "res.partner", "action_crm_new_quotation", self.customers[:1].ids, 403
        )
        # the count of the shared customer: its own company's quotations only
        status, rows = self.json2(
            self.salesperson,
            "res.partner",
            "read",
            ids=self.customers[:1].ids,
            fields=["crm_quotation_count"],
        )
        self.assertEqual((status, rows[0]["crm_quotation_count"]), (200, 0))
        status, rows = self.json2(
            self.salesperson2,
            "res.partner",
            "read",
            ids=self.customers[:1].ids,
            fields=["crm_quotation_count"],
        )
        self.assertEqual((status, rows[0]["crm_quotation_count"]), (200, 1))
        # its correspondence row: the other company's user does not open it (refused like a
        # missing row: crm_chronicle's row check)
        row = self.env["crm.chronicle.correspondence"]._correspondence_row_id(
            "sale_quotation", self.order2.id
        )
        for method in ("action_open", "action_print", "action_send"):
            body = self.assertRefused(
                self.salesperson, "crm.chronicle.correspondence", method, [row], 422, FAULT_USER
            )
            self.assertNotIn(self.order2.name, str(body.get("message")))
        status, body = self.json2(
            self.salesperson2, "crm.chronicle.correspondence", "action_open", ids=[row]
        )
        self.assertEqual((status, body.get("res_id")), (200, self.order2.id), body)
