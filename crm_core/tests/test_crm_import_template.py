"""The customer import template (CSV and XLSX) through Odoo's own import (base_import), with
our fields: debtor/creditor numbers, bank accounts with IBAN, birthday, tags, contact persons."""

import datetime

from odoo.tests import tagged
from odoo.tools.misc import file_open

from odoo.addons.base.tests.common import BaseCommon, new_test_user

OPTIONS = {
    "has_headers": True,
    "separator": ",",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": False,
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {"category_id": True},
}


@tagged("post_install", "-at_install")
class TestImportTemplate(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="import_user", groups="crm_core.group_user")
        # the template's sample numbers may already be taken (e.g. by demo customers)
        cls.env["crm.partner.number"].search([("name", "in", ["10001", "10002", "70002"])]).unlink()

    def _import(self, data, file_type, file_name, user=None):
        env = self.env(user=user or self.env.user)
        importer = env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": data,
                "file_type": file_type,
                "file_name": file_name,
            }
        )
        preview = importer.parse_preview(dict(OPTIONS))
        self.assertFalse(preview.get("error"), preview.get("error"))
        headers = preview["headers"]
        matches = preview["matches"]
        # every column of the template is recognised without mapping anything by hand
        self.assertEqual(
            len(matches), len(headers), {h: matches.get(i) for i, h in enumerate(headers)}
        )
        fields = ["/".join(matches[i]) for i in range(len(headers))]
        self.assertEqual(fields, headers)
        return importer.execute_import(fields, headers, dict(OPTIONS))

    def _check_imported(self):
        mueller = self.env["res.partner"].search([("ref", "=", "K-10001")])
        self.assertEqual(mueller.name, "Müller & Söhne GmbH")
        self.assertEqual(mueller.crm_debtor_number, "10001")
        self.assertEqual(mueller.bank_ids.sanitized_acc_number, "DE89370400440532013000")
        self.assertEqual(mueller.bank_ids.acc_holder_name, "Müller & Söhne GmbH")
        self.assertEqual(mueller.category_id.name, "Stammkunde")
        eva = mueller.child_ids.filtered(lambda c: c.name == "Eva Muster")
        self.assertEqual(eva.crm_birthday, datetime.date(1980, 3, 14))
        self.assertEqual(eva.function, "Einkauf")
        self.assertEqual(eva.city, "Berlin")
        priklad = self.env["res.partner"].search([("ref", "=", "K-10002")])
        self.assertEqual(priklad.country_id.code, "CZ")
        self.assertEqual(
            (priklad.crm_debtor_number, priklad.crm_creditor_number), ("10002", "70002")
        )
        self.assertEqual(sorted(priklad.category_id.mapped("name")), ["Stammkunde", "Tschechien"])
        self.assertEqual(priklad.bank_ids.acc_type, "iban")
        found = self.env["res.partner"].search([("crm_debtor_number", "=", "10002")])
        self.assertEqual(found.commercial_partner_id, priklad)  # the company and its person

    def test_csv_template(self):
        with file_open("crm_core/static/xls/crm_customers_import_template.csv", "rb") as f:
            data = f.read()
        result = self._import(data, "text/csv", "customers.csv")
        self.assertEqual(result["messages"], [])
        self.assertEqual(len(result["ids"]), 4)
        self._check_imported()

    def test_xlsx_template(self):
        with file_open("crm_core/static/xls/crm_customers_import_template.xlsx", "rb") as f:
            data = f.read()
        result = self._import(
            data,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "customers.xlsx",
        )
        self.assertEqual(result["messages"], [])
        self._check_imported()

    def test_bad_row_is_reported_and_nothing_imported(self):
        with file_open("crm_core/static/xls/crm_customers_import_template.csv", "rb") as f:
            data = f.read().replace(b",10002,70002,", b",10001,70002,")
        count = self.env["res.partner"].search_count([])
        result = self._import(data, "text/csv", "customers.csv")
        self.assertTrue(result["messages"])
        message = result["messages"][0]
        self.assertEqual(message["type"], "error")
        self.assertIn(
            "Debtor number 10001 of Příklad s.r.o. is already used by", message["message"]
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_person_rows_keep_the_company_number(self):
        """Regression: the empty debtor number of a person row deleted its company's."""
        company = self.env["res.partner"].create(
            [
                {"name": "Firma", "is_company": True, "crm_debtor_number": "12121"},
            ]
        )
        self.env["res.partner"].create(
            [{"name": "Person", "parent_id": company.id, "crm_debtor_number": False}]
        )
        self.assertEqual(company.crm_debtor_number, "12121")

    def test_template_offered_in_import_screen(self):
        templates = self.env["res.partner"].get_import_templates()
        paths = [t["template"] for t in templates]
        self.assertIn("/crm_core/static/xls/crm_customers_import_template.xlsx", paths)
        self.assertIn("/crm_core/static/xls/crm_customers_import_template.csv", paths)
