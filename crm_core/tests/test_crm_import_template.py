"""The customer import template (CSV and XLSX) through Odoo's own import (base_import), with
our fields: debtor/creditor numbers, bank accounts with IBAN, birthday, tags, contact persons,
roles, A/B/C class and user-defined (x_crm_*) fields; errors name the partner and the field."""

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
        cls.user = new_test_user(
            cls.env,
            login="import_user",
            # Odoo copies the accounting fields (credit limit, ...) of a company to its
            # persons: importing persons takes invoicing rights, as in plain Odoo
            groups="crm_core.group_user,account.group_account_invoice",
        )
        # the template's sample numbers may already be taken (e.g. by demo customers)
        cls.env["crm.partner.number"].search([("name", "in", ["10001", "10002", "70002"])]).unlink()
        cls.env.company._crm_ensure_classes()
        cls.manager = new_test_user(
            cls.env,
            login="import_manager",
            groups="crm_core.group_manager,account.group_account_invoice",
        )

    @classmethod
    def _template(cls, replace=()):
        with file_open("crm_core/static/xls/crm_customers_import_template.csv", "rb") as f:
            data = f.read()
        for old, new in replace:
            assert old in data, old
            data = data.replace(old, new)
        return data

    @classmethod
    def _add_columns(cls, data, header, values):
        """The CSV with more columns: header, then one value per data row."""
        lines = data.decode().splitlines()
        lines[0] += "," + ",".join(header)
        for i, row_values in enumerate(values, start=1):
            lines[i] += "," + ",".join(row_values)
        return ("\n".join(lines) + "\n").encode()

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
        # roles and classes (a class from the import counts as set by hand)
        self.assertEqual(mueller.crm_role_ids.mapped("code"), ["customer"])
        self.assertEqual(sorted(priklad.crm_role_ids.mapped("code")), ["customer", "supplier"])
        self.assertEqual((mueller.crm_class_id.name, priklad.crm_class_id.name), ("A", "B"))
        self.assertTrue(mueller.crm_class_manual)
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

    def test_custom_fields_import(self):
        Field = self.env["crm.custom.field"]
        branch = Field.create({"name": "Branche", "field_type": "char"})
        size = Field.create(
            {
                "name": "Betriebsgröße",
                "field_type": "selection",
                "selection_values": "klein\nmittel\ngroß",
            }
        )
        staff = Field.create({"name": "Mitarbeiter", "field_type": "integer"})
        since = Field.create({"name": "Kunde seit", "field_type": "date"})
        names = [f.technical_name for f in (branch, size, staff, since)]
        self.assertTrue(all(name.startswith("x_crm_") for name in names), names)
        data = self._add_columns(
            self._template(),
            names,
            [["Maschinenbau", "groß", "250", "1999-04-01"], ["", "", "", ""]]
            + [["Brauerei", "mittel", "40", ""], ["", "", "", ""]],
        )
        result = self._import(data, "text/csv", "customers.csv")
        self.assertEqual(result["messages"], [])
        mueller = self.env["res.partner"].search([("ref", "=", "K-10001")])
        priklad = self.env["res.partner"].search([("ref", "=", "K-10002")])
        self.assertEqual(mueller[names[0]], "Maschinenbau")
        self.assertEqual(
            dict(mueller._fields[names[1]]._description_selection(self.env))[mueller[names[1]]],
            "groß",
        )
        self.assertEqual((mueller[names[2]], priklad[names[2]]), (250, 40))
        self.assertEqual(mueller[names[3]], datetime.date(1999, 4, 1))
        self.assertFalse(priklad[names[3]])

    def _import_errors(self, data, user=None):
        count = self.env["res.partner"].search_count([])
        result = self._import(data, "text/csv", "customers.csv", user=user)
        self.assertFalse(result["ids"])
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        return [m["message"] for m in result["messages"] if m["type"] == "error"]

    def test_bad_roles_classes_and_custom_values_name_partner_and_field(self):
        staff = self.env["crm.custom.field"].create(
            {"name": "Mitarbeiter", "field_type": "integer"}
        )
        base = self._add_columns(
            self._template(), [staff.technical_name], [["250"], [""], ["viele"], [""]]
        )
        errors = self._import_errors(base)
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("Příklad s.r.o.", errors[0])
        self.assertIn("Mitarbeiter", errors[0])
        self.assertIn("viele", errors[0])
        errors = self._import_errors(self._template([(b",Customer,A,", b",Kundschaft,A,")]))
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("Müller & Söhne GmbH", errors[0])
        self.assertIn("Roles", errors[0])
        self.assertIn("Kundschaft", errors[0])
        errors = self._import_errors(self._template([(b",B,10002,", b",Z,10002,")]))
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("Příklad s.r.o.", errors[0])
        self.assertIn("Class", errors[0])
        self.assertIn("'Z'", errors[0])

    def test_only_managers_import_classes(self):
        errors = self._import_errors(self._template(), user=self.user)
        self.assertTrue(errors)
        self.assertIn("Müller & Söhne GmbH", errors[0])
        self.assertIn("Only CRM managers can set the class", errors[0])
        # without the class column a CRM user imports the rest; a manager imports classes
        result = self._import(self._template(), "text/csv", "customers.csv", user=self.manager)
        self.assertEqual(result["messages"], [])
        self.assertEqual(
            self.env["res.partner"].search([("ref", "=", "K-10001")]).crm_class_id.name, "A"
        )

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
