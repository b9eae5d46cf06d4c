"""crm_scan's part of the GDPR data export of crm_core (issue 24): the scans filed to the
customer with their original files, byte for byte."""

import io
import json
import zipfile

from odoo.tests import tagged

from odoo.addons.crm_core.tools import state

from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestScanPersonalData(ScanCommon):
    def test_scans_and_originals_in_the_export(self):
        content = b"%PDF-1.4 original of the customer"
        [document] = self.upload([("brief.pdf", content)])
        with state.changing(document, "partner_id"):
            document.sudo().write({"partner_id": self.customer.id})
        _name, archive_bytes = self.customer.with_user(self.manager)._crm_personal_data_file()
        with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
            data = json.loads(archive.read("personal_data.json"))
            path = f"files/scans/{document.id}_brief.pdf"
            self.assertIn(path, archive.namelist())
            self.assertEqual(archive.read(path), content)
        self.assertEqual([row["id"] for row in data["crm_scan.documents"]], [document.id])
        self.assertIn(path, data["files"])
