"""Identifiers as people paste them (finding 8 of issue 17): an invisible character, a
full-width letter or a label such as "IBAN:" never lets a value past its check. Every way
in is tried: the ORM as a CRM user (form and RPC call the same create/write), Odoo's import
with the customer template, the vCard import, and the number model itself."""

import base64

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_open

from odoo.addons.base.tests.common import BaseCommon, new_test_user

from .test_crm_import_template import OPTIONS

ZWSP, SHY, BOM, LRE, PDF = "\u200b", "\u00ad", "\ufeff", "\u202a", "\u202c"
IBAN = "DE89370400440532013000"
PASTED_IBANS = (
    f"DE89{ZWSP}3704 0044 0532 0130 00",
    f"DE89 3704 0044 0532 0130 00{SHY}",
    f"{BOM}DE89 3704 0044 0532{ZWSP}0130 00",
    f"{LRE}DE89 3704 0044 0532 0130 00{PDF}",
    "IBAN: DE89 3704 0044 0532 0130 00",
    "IBAN DE89370400440532013000",
    "\uff24\uff25\uff18\uff19 3704 0044 0532 0130 00",  # full-width DE89
)


@tagged("post_install", "-at_install")
class TestIdentifierEntry(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="identifier_user",
            groups="crm_core.group_user,account.group_account_invoice",
        )
        cls.partner = cls.env["res.partner"].create({"name": "Zeilen GmbH", "is_company": True})
        cls.Bank = cls.env["res.partner.bank"].with_user(cls.user)

    def test_pasted_iban_is_validated_and_gets_its_bank(self):
        for number in PASTED_IBANS:
            with self.subTest(number=number):
                partner = self.partner.copy()
                account = self.Bank.create({"acc_number": number, "partner_id": partner.id})
                self.assertEqual(account.acc_number, "DE89 3704 0044 0532 0130 00")
                self.assertEqual(account.sanitized_acc_number, IBAN)
                self.assertEqual(account.acc_type, "iban")
                self.assertEqual(account.bank_id.bic, "COBADEFFXXX")

    def test_pasted_invalid_iban_is_refused(self):
        for number in (
            f"DE89{ZWSP}3704 0044 0532 0130 01",
            f"DE89 3704 0044 0532 0130 01{SHY}",
            "IBAN: DE89 3704 0044 0532 0130 01",
        ):
            with (
                self.subTest(number=number),
                self.assertRaisesRegex(ValidationError, "Zeilen GmbH.*check digits"),
            ):
                self.Bank.create({"acc_number": number, "partner_id": self.partner.id})

    def test_write_and_sanitized_number_are_checked_too(self):
        account = self.Bank.create(
            {"acc_number": "DE62370400440532013001", "partner_id": self.partner.id}
        )
        account.write({"acc_number": f"IBAN:{ZWSP} DE89 3704 0044 0532 0130 00"})
        self.assertEqual(account.acc_number, "DE89 3704 0044 0532 0130 00")
        with self.assertRaisesRegex(ValidationError, "check digits"):
            account.write({"acc_number": f"DE89{SHY}370400440532013001"})
        # Odoo takes sanitized_acc_number for the number: the same check
        with self.assertRaisesRegex(ValidationError, "check digits"):
            self.Bank.create(
                {
                    "sanitized_acc_number": f"DE89{ZWSP}370400440532013001",
                    "partner_id": self.partner.id,
                }
            )
        other = self.Bank.create(
            {
                "sanitized_acc_number": f"DE89{ZWSP}370400440532013000",
                "partner_id": self.partner.copy().id,
            }
        )
        self.assertEqual(other.bank_id.bic, "COBADEFFXXX")

    def test_import_template_checks_pasted_iban(self):
        with file_open("crm_core/static/xls/crm_customers_import_template.csv", "rb") as f:
            data = f.read()
        # a wrong IBAN hidden behind a zero-width space: the import stops and names the row
        wrong = f"DE89{ZWSP}370400440532013001".encode()
        self.env["crm.partner.number"].search(
            [("name", "in", ["10001", "10002", "70002"])]
        ).unlink()
        manager = new_test_user(
            self.env,
            login="identifier_manager",
            groups="crm_core.group_manager,account.group_account_invoice",
        )
        importer = (
            self.env["base_import.import"]
            .with_user(manager)
            .create(
                {
                    "res_model": "res.partner",
                    "file": data.replace(IBAN.encode(), wrong),
                    "file_type": "text/csv",
                    "file_name": "customers.csv",
                }
            )
        )
        fields = importer.parse_preview(dict(OPTIONS))["headers"]
        result = importer.execute_import(fields, fields, dict(OPTIONS))
        self.assertFalse(result["ids"])
        self.assertIn("check digits", str(result["messages"]))
        # the same with an "IBAN:" label before a right one: imported, checked, with bank
        importer.file = data.replace(IBAN.encode(), f"IBAN: {IBAN[:4]}{SHY}{IBAN[4:]}".encode())
        result = importer.execute_import(fields, fields, dict(OPTIONS))
        self.assertEqual(result["messages"], [])
        account = self.env["res.partner"].search([("ref", "=", "K-10001")]).bank_ids
        self.assertEqual(account.sanitized_acc_number, IBAN)
        self.assertEqual(account.bank_id.bic, "COBADEFFXXX")

    def test_partner_identifiers_are_cleaned(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.user)
            .create(
                {
                    "name": "Leerzeichen AG",
                    "vat": f"USt-IdNr.: DE{ZWSP}123456789",
                    "phone": f"Tel.: +49 351{ZWSP} 4445566",
                    "email": f"mailto:anna{SHY}@leerzeichen.example",
                    "ref": f"K-4711{BOM}",
                }
            )
        )
        self.assertEqual(partner.vat, "DE123456789")
        self.assertEqual(partner.phone, "+49 351 4445566")
        self.assertEqual(partner.email, "anna@leerzeichen.example")
        self.assertEqual(partner.email_normalized, "anna@leerzeichen.example")
        self.assertEqual(partner.ref, "K-4711")
        # the phone number is found by caller identification
        self.assertIn(
            partner.id, self.env["crm.partner.identifier"]._lookup_phone("03514445566", "DE")
        )
        partner.write({"email": f"{LRE}anna@leerzeichen.example{PDF}", "vat": "VAT DE 123456789"})
        self.assertEqual(partner.email, "anna@leerzeichen.example")
        self.assertEqual(partner.vat, "DE 123456789")

    def test_debtor_number_with_invisible_character_is_the_same_number(self):
        first = self.env["res.partner"].create(
            {"name": "Erster Kunde", "crm_debtor_number": "55001"}
        )
        self.assertEqual(first.crm_debtor_number, "55001")
        with self.assertRaisesRegex(ValidationError, "55001.*Erster Kunde"):
            self.env["res.partner"].create(
                {"name": "Zweiter Kunde", "crm_debtor_number": f"55001{ZWSP}"}
            )
        # the number model itself: the database's unique index refuses the same number
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["crm.partner.number"].create(
                {"partner_id": self.partner.id, "kind": "debtor", "name": f"{SHY}55001"}
            )

    def test_vcard_import_finds_the_contact_behind_invisible_characters(self):
        anna = self.env["res.partner"].create(
            {"name": "Anna Weich", "email": "anna@weich.example", "phone": "+49 351 1112233"}
        )
        card = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Weich\r\nN:Weich;Anna;;;\r\n"
            f"EMAIL;TYPE=work:anna{SHY}@weich.example\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A. Weich\r\nN:Weich;A.;;;\r\n"
            f"TEL;TYPE=work:+49{ZWSP} 351 1112233\r\nEND:VCARD\r\n"
        )
        wizard = (
            self.env["crm.vcard.import"]
            .with_user(self.user)
            .create({"file": base64.b64encode(card.encode()), "filename": "anna.vcf"})
        )
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("partner_id"), anna)
        self.assertEqual(wizard.line_ids.mapped("action"), ["update", "update"])
