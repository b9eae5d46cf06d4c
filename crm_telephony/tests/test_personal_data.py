"""crm_telephony's part of the GDPR data export of crm_core (issue 24): the calls."""

import io
import json
import zipfile

from odoo.tests import tagged

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestTelephonyPersonalData(TelephonyCase):
    def test_calls_in_the_export(self):
        call = self.box._monitor_process_line("27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;")
        self.assertEqual(call.commercial_partner_id, self.customer)
        _name, content = self.customer.with_user(self.manager)._crm_personal_data_file()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            data = json.loads(archive.read("personal_data.json"))
        self.assertEqual([row["id"] for row in data["crm_telephony.calls"]], call.ids)
