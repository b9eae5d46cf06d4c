"""The chronicle's part of the GDPR data export of crm_core (issue 24)."""

import io
import json
import zipfile

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestChroniclePersonalData(TransactionCase):
    def test_entries_in_the_export(self):
        manager = new_test_user(self.env, login="chr_gdpr_mgr", groups="crm_core.group_manager")
        customer = self.env["res.partner"].create(
            {"name": "Chronik Export GmbH", "is_company": True}
        )
        person = self.env["res.partner"].create({"name": "Eva Export", "parent_id": customer.id})
        self.env["crm.chronicle.entry"].crm_log(customer, "call", "Anruf wegen Angebot")
        self.env["crm.chronicle.entry"].crm_log(person, "visit", "Besuch bei Eva")
        _name, content = customer.with_user(manager)._crm_personal_data_file()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            data = json.loads(archive.read("personal_data.json"))
        subjects = {row["name"] for row in data["crm_chronicle.entries"]}
        self.assertEqual(subjects, {"Anruf wegen Angebot", "Besuch bei Eva"})
        self.assertIn("crm_chronicle.resubmissions", data)
