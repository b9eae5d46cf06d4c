import base64
import datetime
import io
import zipfile

from dateutil.relativedelta import relativedelta

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_core.tools.formats import datev as extf


@tagged("post_install", "-at_install")
class TestExportUi(HttpCase):
    def test_accountant_exports_last_month_to_datev_tour(self):
        """An accountant of the German company (SKR03) exports last month's bookings."""
        env = self.env
        company = env["res.company"].create(
            {
                "name": "Tour Steuer GmbH",
                "country_id": env.ref("base.de").id,
                "currency_id": env.ref("base.EUR").id,
            }
        )
        env["account.chart.template"].try_loading("de_skr03", company=company, install_demo=False)
        company.write({"crm_datev_consultant_number": 29098, "crm_datev_client_number": 55})
        accountant = new_test_user(
            env,
            login="tour_accountant",
            groups="account.group_account_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        customer = env["res.partner"].create({"name": "Tour Kunde AG", "is_company": True})
        day = datetime.date.today().replace(day=1) - relativedelta(months=1, days=-9)
        invoice = (
            env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        Command.create({"name": "Beratung", "price_unit": 100.0, "quantity": 2})
                    ],
                }
            )
        )
        invoice.action_post()
        self.start_tour(
            "/odoo/action-crm_billing_sepa.crm_datev_export_action",
            "crm_datev_tour",
            login=accountant.login,
        )
        export = env["crm.datev.export"].search([("company_id", "=", company.id)])
        self.assertEqual(export.state, "done")
        self.assertEqual(export.exported_by_id, accountant)
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(export.file))) as archive:
            bookings = archive.read(f"EXTF_Buchungsstapel_{day:%Y-%m}.csv")
        self.assertEqual(extf.check(bookings), [])
        self.assertIn(b'"' + invoice.name.encode() + b'"', bookings)
