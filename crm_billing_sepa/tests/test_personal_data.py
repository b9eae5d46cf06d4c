"""crm_billing_sepa's part of the GDPR data export of crm_core (issue 24): mandates,
debits and dunning letters."""

import datetime
import io
import json
import zipfile

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user

from .common import SepaCase


@tagged("post_install", "-at_install")
class TestSepaPersonalData(SepaCase):
    def test_mandates_in_the_export(self):
        customer = self.env["res.partner"].create({"name": "SEPA Export GmbH", "is_company": True})
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "DE02120300000000202051", "partner_id": customer.id}
        )
        mandate = self.env["crm.sepa.mandate"].create(
            {
                "partner_id": customer.id,
                "bank_account_id": bank.id,
                "signature_date": datetime.date(2025, 6, 1),
            }
        )
        exporter = new_test_user(
            self.env,
            login="sepa_gdpr_mgr",
            groups="crm_core.group_manager,crm_billing_sepa.group_sepa_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        _name, content = customer.with_user(exporter)._crm_personal_data_file()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            data = json.loads(archive.read("personal_data.json"))
        self.assertEqual([row["id"] for row in data["crm_billing_sepa.mandates"]], mandate.ids)
        self.assertEqual(data["crm_billing_sepa.debits_and_transfers"], [])
        self.assertEqual(data["crm_billing_sepa.dunning_letters"], [])
