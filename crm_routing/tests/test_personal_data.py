"""crm_routing's part of the GDPR data export of crm_core (issue 24): the visits."""

import io
import json
import zipfile

from odoo.tests import tagged

from .common import RouteCommon


@tagged("post_install", "-at_install")
class TestRoutingPersonalData(RouteCommon):
    def test_visits_in_the_export(self):
        customer = self.customers[0]
        route = self.env["crm.route"].create(
            {
                "name": "Besuchstour",
                "user_id": self.user.id,
                "stop_ids": [(0, 0, {"partner_id": customer.id})],
            }
        )
        manager = self.manager
        _name, content = customer.with_user(manager)._crm_personal_data_file()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            data = json.loads(archive.read("personal_data.json"))
        self.assertEqual([row["id"] for row in data["crm_routing.visits"]], route.stop_ids.ids)
        self.assertIn("crm_routing.mileage_log", data)
