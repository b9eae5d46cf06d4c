"""New Purchase Order (res.partner.action_crm_new_purchase_order) over JSON-2 with wrong
ids: another company's customer, a deleted one, several, strings - a 4xx-style error naming
the method (crm_core's ArgumentError), never a server error."""

import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNewPurchaseOrderOverJson2(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company2 = env["res.company"].create({"name": "Einkauf Zwei"})
        user = new_test_user(
            env,
            login="crm_purchase_json2",
            groups="purchase.group_purchase_user,crm_core.group_user",
        )
        key = (
            env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope="rpc", name="probe", expiration_date=datetime.now() + timedelta(days=1)
            )
        )
        cls.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        Partner = env["res.partner"]
        cls.customer = Partner.create({"name": "Lieferant Eins", "is_company": True})
        cls.foreign = Partner.create(
            {"name": "Lieferant Fremd", "is_company": True, "company_id": company2.id}
        )
        deleted = Partner.create({"name": "Lieferant Weg", "is_company": True})
        cls.deleted_id = deleted.id
        deleted.unlink()

    def call(self, ids):
        response = self.url_open(
            "/json/2/res.partner/action_crm_new_purchase_order",
            data=json.dumps({"ids": ids}),
            headers=self.headers,
        )
        return response.status_code, response.json()

    def test_wrong_ids_are_clear_errors(self):
        status, action = self.call([self.customer.id])
        self.assertEqual(status, 200, action)
        self.assertEqual(action["res_model"], "purchase.order")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        for ids in (
            [self.foreign.id],
            [self.deleted_id],
            [self.customer.id, self.foreign.id],
            [],
            ["abc"],
            "abc",
            [2**70],
        ):
            status, body = self.call(ids)
            self.assertTrue(400 <= status < 500, (ids, status, body))
            self.assertTrue(body["name"].endswith(".ArgumentError"), (ids, body["name"]))
            self.assertIn("res.partner.action_crm_new_purchase_order", body["message"])
        # another company's customer is refused like a missing one (no hint it exists)
        status, foreign = self.call([self.foreign.id])
        status, deleted = self.call([self.deleted_id])
        self.assertEqual(
            foreign["message"].replace(str(self.foreign.id), "N"),
            deleted["message"].replace(str(self.deleted_id), "N"),
        )
