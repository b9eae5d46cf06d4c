"""crm_core's public methods for integrations (readme: "Public API"): each does its job with
right arguments and answers wrong ones with an ArgumentError naming the method and the
argument (finding 7 of issue 17: a NUL byte or broken base64 in a vCard file gave a
traceback). Called as a CRM user, as integrations are."""

import base64

import vobject
from schwifty import IBAN

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.boundary import ArgumentError
from .common import CrmCoreAccountCommon

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana Nováková\r\nN:Nováková;Jana;;;\r\n"
    "ORG:Pivovar Test s.r.o.\r\nEMAIL;TYPE=work:jana@pivovar-test.example\r\n"
    "TEL;TYPE=work:+420 377 061 111\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Petr\x00 Dvořák\r\nN:Dvořák;Petr\x00;;;\r\n"
    "TEL:+420 777\x00 000 111\r\nNOTE:Zavolat\x0b zítra\x1b\r\nEND:VCARD\r\n"
)


IBAN_OWN = str(IBAN.generate("DE", bank_code="37040044", account_code="0532013099"))


def b64(text):
    return base64.b64encode(text.encode()).decode()


@tagged("post_install", "-at_install")
class TestPublicApi(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer(
            "Schnittstelle GmbH",
            customer_rank=1,
            phone="+49 351 4445566",
            email="info@schnittstelle.example",
            vat="DE123456789",
            ref="K-815",
            # (an IBAN of its own: the demo data has the usual example IBAN)
            bank_ids=[(0, 0, {"acc_number": IBAN_OWN})],
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.crm_user)

    def assertArgumentError(self, call, where, argument):
        with self.assertRaises(ArgumentError) as error:
            call()
        self.assertIn(where, str(error.exception))
        self.assertIn(argument, str(error.exception))

    # -- vCard ---------------------------------------------------------------------------------
    def test_import_vcard(self):
        Import = self.env["crm.vcard.import"].with_user(self.crm_user)
        result = Import.import_vcard(b64(CARDS), filename="kontakte.vcf")
        self.assertEqual([card["action"] for card in result["cards"]], ["create", "create"])
        self.assertEqual(result["partner_ids"], [])  # a preview only
        result = Import.import_vcard(b64(CARDS), apply=True)
        partners = self.env["res.partner"].browse(result["partner_ids"])
        self.assertEqual(
            sorted(partners.mapped("name")),
            ["Jana Nováková", "Petr Dvořák", "Pivovar Test s.r.o."],  # with Jana's company
        )
        self.assertNotIn("\x00", "".join(partners.mapped("name")))
        self.assertEqual(partners.filtered("is_company").child_ids.name, "Jana Nováková")
        # the same file again: both are found, proposed for update
        result = Import.import_vcard(b64(CARDS))
        self.assertEqual([card["action"] for card in result["cards"]], ["update", "update"])
        where = "crm.vcard.import.import_vcard"
        for value in ("not base64!", "", None, 42, b64("x")[:-1]):
            self.assertArgumentError(lambda v=value: Import.import_vcard(v), where, "file")
        self.assertArgumentError(
            lambda: Import.import_vcard(b64(CARDS), country=2**31 - 1), where, "country"
        )
        self.assertArgumentError(
            lambda: Import.import_vcard(b64(CARDS), filename="a\nb"), where, "filename"
        )
        self.assertArgumentError(
            lambda: Import.import_vcard(b64(CARDS), apply="yes"), where, "apply"
        )
        # no card in it: said so, nothing created
        with self.assertRaisesRegex(UserError, "not a vCard file"):
            Import.import_vcard(b64("hello\x00world"))

    def test_import_wizard_refuses_broken_base64_with_a_message(self):
        """The import screen's way (create the wizard with the file, then Preview), as an
        integration may also call it."""
        Import = self.env["crm.vcard.import"].with_user(self.crm_user)
        wizard = Import.create({"file": "not base64!", "filename": "kaputt.vcf"})
        with self.assertRaisesRegex(UserError, "kaputt.vcf cannot be read"):
            wizard.action_preview()
        wizard = Import.create({"file": b64(CARDS), "filename": "ok.vcf"})
        wizard.action_preview()
        self.assertEqual(wizard.card_count, 2)
        wizard.action_import()
        self.assertTrue(self.env["res.partner"].search([("name", "=", "Petr Dvořák")]))

    def test_vcard_export(self):
        text = self.Partner.crm_vcard_export([self.customer.id])
        card = vobject.readOne(text)
        self.assertEqual(card.fn.value, "Schnittstelle GmbH")
        where = "res.partner.crm_vcard_export"
        for value in ([], None, "1", [0], [2**31 - 1], [self.customer.id, "x"]):
            self.assertArgumentError(
                lambda v=value: self.Partner.crm_vcard_export(v), where, "partner_ids"
            )

    # -- numbers, lookups, ABC analysis, labels, import --------------------------------------
    def test_assign_numbers(self):
        partner = self.env["res.partner"].create({"name": "Neukunde AG", "is_company": True})
        result = self.Partner.crm_assign_numbers([partner.id], "creditor")
        self.assertEqual(result, {partner.id: partner.crm_creditor_number})
        self.assertTrue(partner.crm_creditor_number)
        where = "res.partner.crm_assign_numbers"
        self.assertArgumentError(
            lambda: self.Partner.crm_assign_numbers([partner.id], "Debtor"), where, "kind"
        )
        self.assertArgumentError(
            lambda: self.Partner.crm_assign_numbers("all", "debtor"), where, "partner_ids"
        )

    def test_find_partners(self):
        customer = self.customer
        number = customer.crm_debtor_number
        for kind, value in (
            ("phone", "0351 444 55 66"),
            ("phone", "+49 (351) 4445566"),
            ("email", "INFO@schnittstelle.example"),
            ("vat", "DE 123 456 789"),
            ("iban", f"IBAN: {IBAN_OWN[:4]} {IBAN_OWN[4:12]}\u200b{IBAN_OWN[12:]}"),
            ("debtor", f"{number}\u200b"),
            ("ref", "k-815"),
        ):
            with self.subTest(kind=kind, value=value):
                self.assertEqual(self.Partner.crm_find_partners(value, kind), [customer.id])
        self.assertEqual(self.Partner.crm_find_partners("unbekannt@example.com", "email"), [])
        where = "res.partner.crm_find_partners"
        self.assertArgumentError(lambda: self.Partner.crm_find_partners("x", "fax"), where, "kind")
        self.assertArgumentError(
            lambda: self.Partner.crm_find_partners("0351\x00", "phone"), where, "value"
        )
        self.assertArgumentError(
            lambda: self.Partner.crm_find_partners("0351", "phone", limit=0), where, "limit"
        )
        self.assertArgumentError(
            lambda: self.Partner.crm_find_partners("0351", "phone", region="DEU"), where, "region"
        )

    def test_run_abc_analysis(self):
        self._post(self.customer, 1000.0)
        Company = self.env["res.company"]
        self.assertGreaterEqual(Company.with_user(self.crm_manager).crm_run_abc_analysis(), 1)
        self.assertEqual(self.customer.crm_class_id.name, "A")
        # ranked by the revenue of the period up to a date: nothing then, the last class
        self.assertEqual(
            Company.with_user(self.crm_manager).crm_run_abc_analysis(
                partner_ids=[self.customer.id], date="2020-01-31"
            ),
            1,
        )
        self.assertEqual(self.customer.crm_class_id.name, "C")
        with self.assertRaises(AccessError):
            Company.with_user(self.crm_user).crm_run_abc_analysis()
        where = "res.company.crm_run_abc_analysis"
        Manager = Company.with_user(self.crm_manager)
        self.assertArgumentError(
            lambda: Manager.crm_run_abc_analysis(date="31.01.2026"), where, "date"
        )
        self.assertArgumentError(
            lambda: Manager.crm_run_abc_analysis(company="1"), where, "company"
        )
        other = Company.create({"name": "Fremde Firma"})
        with self.assertRaisesRegex(AccessError, "Fremde Firma"):
            Manager.crm_run_abc_analysis(company=other.id)

    def test_render_labels(self):
        Wizard = self.env["crm.label.wizard"].with_user(self.crm_user)
        pdf = base64.b64decode(Wizard.render_labels([self.customer.id], sender_line="Absender"))
        self.assertTrue(pdf.startswith(b"%PDF"))
        where = "crm.label.wizard.render_labels"
        self.assertArgumentError(
            lambda: Wizard.render_labels([self.customer.id], preset="A4"), where, "preset"
        )
        self.assertArgumentError(
            lambda: Wizard.render_labels([self.customer.id], font_size=100), where, "font_size"
        )
        self.assertArgumentError(
            lambda: Wizard.render_labels([self.customer.id], start_position=0),
            where,
            "start_position",
        )
        with self.assertRaisesRegex(UserError, "Start position 30 does not exist"):
            Wizard.render_labels([self.customer.id], start_position=30)

    def test_load_refuses_malformed_rows(self):
        Partner = self.env["res.partner"].with_user(self.crm_user)
        result = Partner.load(["name", "email"], [["Zeilen KG", "zeilen@example.com"]])
        self.assertEqual(len(result["ids"]), 1)
        where = "res.partner.load"
        for data in ([["nur ein Feld"]], [{"name": "x"}], [["a", {"b": 1}]], "rows", None):
            self.assertArgumentError(
                lambda d=data: Partner.load(["name", "email"], d), where, "data"
            )
        for fields in ([], "name", [1], ["na\nme"]):
            self.assertArgumentError(lambda f=fields: Partner.load(f, []), where, "fields")
