"""The customer import template with the e-invoice settings (issue 18), through Odoo's own
import (base_import): format, Peppol address, public authority with its Leitweg-ID, buyer
and order reference; a wrong Leitweg-ID names the customer and the field."""

from odoo.tests import tagged
from odoo.tools.misc import file_open

from odoo.addons.base.tests.common import BaseCommon, new_test_user
from odoo.addons.crm_core.tests.test_crm_import_template import OPTIONS

TEMPLATE = "crm_billing_sepa/static/xls/crm_customers_einvoice_import_template"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestEinvoiceImportTemplate(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the template's sample numbers may already be taken (e.g. by demo customers)
        cls.env["crm.partner.number"].search(
            [("name", "in", ["10001", "10002", "10003", "70002"])]
        ).unlink()
        cls.env.company._crm_ensure_classes()
        cls.user = new_test_user(
            cls.env,
            login="einvoice_import_user",
            groups="crm_core.group_manager,account.group_account_invoice",
        )

    def _import(self, data, file_type, file_name):
        importer = (
            self.env["base_import.import"]
            .with_user(self.user)
            .create(
                {
                    "res_model": "res.partner",
                    "file": data,
                    "file_type": file_type,
                    "file_name": file_name,
                }
            )
        )
        preview = importer.parse_preview(dict(OPTIONS))
        self.assertFalse(preview.get("error"), preview.get("error"))
        headers, matches = preview["headers"], preview["matches"]
        # every column is recognised without mapping anything by hand
        fields = ["/".join(matches.get(i, ["?"])) for i in range(len(headers))]
        self.assertEqual(fields, headers)
        return importer.execute_import(fields, headers, dict(OPTIONS))

    def _read(self, ext):
        with file_open(f"{TEMPLATE}.{ext}", "rb") as f:
            return f.read()

    def test_offered_next_to_the_plain_template(self):
        templates = [t["template"] for t in self.env["res.partner"].get_import_templates()]
        self.assertIn("/crm_core/static/xls/crm_customers_import_template.csv", templates)
        self.assertIn(f"/{TEMPLATE}.csv", templates)
        self.assertIn(f"/{TEMPLATE}.xlsx", templates)

    def test_csv_and_xlsx_templates(self):
        for ext, mimetype in (("csv", "text/csv"), ("xlsx", XLSX)):
            with self.subTest(ext), self.env.cr.savepoint() as savepoint:
                result = self._import(self._read(ext), mimetype, f"customers.{ext}")
                self.assertEqual(result["messages"], [])
                self.assertEqual(len(result["ids"]), 5)
                Partner = self.env["res.partner"]
                mueller = Partner.search([("ref", "=", "K-10001")])
                self.assertEqual(mueller.invoice_edi_format, "xrechnung")
                self.assertEqual(
                    (mueller.peppol_eas, mueller.peppol_endpoint), ("9930", "DE129273398")
                )
                self.assertEqual(mueller.crm_einvoice_buyer_reference, "EK-10001")
                self.assertTrue(mueller.crm_einvoice_order_required)
                self.assertFalse(mueller.crm_einvoice_public)
                priklad = Partner.search([("ref", "=", "K-10002")])
                self.assertEqual(priklad.invoice_edi_format, "facturx")
                school = Partner.search([("ref", "=", "K-10003")])
                self.assertTrue(school.crm_einvoice_public)
                self.assertEqual(school.crm_einvoice_buyer_reference, "14612000-SCHULAMT-76")
                self.assertEqual(
                    (school.peppol_eas, school.peppol_endpoint), ("0204", "14612000-SCHULAMT-76")
                )
                self.assertFalse(school.crm_einvoice_missing)
                savepoint.rollback()

    def test_wrong_leitweg_id_names_customer_and_field(self):
        data = self._read("csv").replace(b"1,14612000-SCHULAMT-76,", b"1,14612000-SCHULAMT-77,")
        count = self.env["res.partner"].search_count([])
        result = self._import(data, "text/csv", "customers.csv")
        errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors, result["messages"])
        for error in errors:
            self.assertIn("Landeshauptstadt Dresden, Amt für Schulen", error)
            self.assertIn("Buyer Reference", error)
            self.assertIn("14612000-SCHULAMT-77", error)
        self.assertEqual(self.env["res.partner"].search_count([]), count)
