from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, Form, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user

from ..tools import iban as iban_tools


@tagged("post_install", "-at_install")
class TestIbanTools(BaseCase):
    def test_parse(self):
        info = iban_tools.parse_iban(" de89 3704-0044 0532 0130 00 ")
        self.assertEqual(info.compact, "DE89370400440532013000")
        self.assertEqual(info.formatted, "DE89 3704 0044 0532 0130 00")
        self.assertEqual(info.bic, "COBADEFFXXX")
        self.assertEqual(info.bank_name, "Commerzbank")
        info = iban_tools.parse_iban("CZ6508000000192000145399")
        self.assertEqual((info.country_code, info.bic), ("CZ", "GIBACZPX"))

    def test_errors(self):
        for value, code in (
            ("DE89370400440532013001", "checksum"),
            ("DE8937040044053201300", "length"),
            ("XX89370400440532013000", "country"),
        ):
            with self.assertRaises(iban_tools.IbanError) as error:
                iban_tools.parse_iban(value)
            self.assertEqual(error.exception.code, code, value)
        self.assertFalse(iban_tools.looks_like_iban("0532013000"))
        self.assertTrue(iban_tools.looks_like_iban("de89 3704 0044"))

    def test_normalise_typed_and_pasted(self):
        """What a person pastes from a web page, a PDF or an e-mail signature: invisible
        characters, full-width letters and a label before the number."""
        for value in (
            "DE89\u200b3704 0044 0532 0130 00",  # zero-width space
            "DE89 3704 0044 0532 0130 00\u00ad",  # soft hyphen
            "\ufeffDE89\u200d3704\u20600044\u00a00532 0130 00",  # BOM, ZWJ, word joiner
            "\u202aDE89 3704 0044 0532 0130 00\u202c",  # bidirectional embedding
            "IBAN: DE89 3704 0044 0532 0130 00",
            "iban-nr. de89-3704-0044-0532-0130-00",
            "IBAN DE89370400440532013000",
            "Konto: DE89 3704 0044 0532 0130 00",
            "\uff24\uff25\uff18\uff19 3704 0044 0532 0130 00",  # full-width DE89
            "DE89 3704 0044\n0532 0130 00\t",
        ):
            self.assertEqual(iban_tools.normalise(value), "DE89370400440532013000", repr(value))
            self.assertEqual(iban_tools.parse_iban(value).bic, "COBADEFFXXX", repr(value))

    def test_sepa_facts(self):
        self.assertIsNone(iban_tools.sepa_problem("DE02120300000000202051"))
        self.assertIsNone(iban_tools.sepa_problem("CH9300762011623852957"))
        self.assertIn("outside the SEPA", iban_tools.sepa_problem("BR1800360305000010009795493C1"))
        self.assertIn("invalid", iban_tools.sepa_problem("DE02120300000000202052"))
        self.assertEqual(
            iban_tools.bank_key("DE02120300000000202051"),
            iban_tools.bank_key("DE45120300001234567890"),
        )
        self.assertNotEqual(
            iban_tools.bank_key("DE02120300000000202051"),
            iban_tools.bank_key("DE02100100100006820101"),
        )
        self.assertIsNone(iban_tools.bank_key("no iban"))
        self.assertEqual(iban_tools.bic("DE89 3704 0044 0532 0130 00"), "COBADEFFXXX")
        self.assertIsNone(iban_tools.bic("DE89370400440532013001"))
        parsed, error = iban_tools.parse("DE89370400440532013001")
        self.assertIsNone(parsed)
        self.assertTrue(error)

    def test_mask(self):
        self.assertEqual(
            iban_tools.mask("DE89 3704 0044 0532 0130 00"), "**** **** **** **** **30 00"
        )
        self.assertEqual(iban_tools.mask("DE89370400440532013000"), "**** **** **** **** **30 00")
        self.assertEqual(iban_tools.mask("1234"), "1234")
        self.assertEqual(iban_tools.mask(False), "")


@tagged("post_install", "-at_install")
class TestBankAccounts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="crm_bank_user", groups="crm_core.group_user")
        cls.partner = cls.env["res.partner"].create(
            {"name": "Stahlbau Meier GmbH", "is_company": True}
        )
        cls.Bank = cls.env["res.partner.bank"].with_user(cls.user)

    def test_iban_normalised_and_bank_filled(self):
        account = self.Bank.create(
            {"acc_number": "de89 3704 0044 0532 0130 00", "partner_id": self.partner.id}
        )
        self.assertEqual(account.acc_number, "DE89 3704 0044 0532 0130 00")
        self.assertEqual(account.sanitized_acc_number, "DE89370400440532013000")
        self.assertEqual(account.bank_id.bic, "COBADEFFXXX")
        self.assertEqual(account.bank_id.name, "Commerzbank")
        self.assertEqual(account.bank_id.country.code, "DE")
        # the second account of the same bank reuses the bank
        other = self.Bank.create(
            {"acc_number": "DE62370400440532013001", "partner_id": self.partner.id}
        )
        self.assertEqual(other.bank_id, account.bank_id)
        # a bank given by the user is kept
        bank = self.env["res.bank"].create({"name": "Hausbank", "bic": "HAUSDEFF"})
        kept = self.Bank.create(
            {
                "acc_number": "CZ6508000000192000145399",
                "partner_id": self.partner.id,
                "bank_id": bank.id,
            }
        )
        self.assertEqual(kept.bank_id, bank)
        # found through the normalised number, whatever the spelling
        found = self.env["res.partner.bank"].search(
            [("acc_number", "=", "de89370400440532013000"), ("partner_id", "=", self.partner.id)]
        )
        self.assertEqual(found, account)

    def test_invalid_iban_names_partner(self):
        with self.assertRaisesRegex(
            ValidationError, r"DE89 3704 0044 0532 0130 01.*Stahlbau Meier GmbH.*check digits"
        ):
            self.Bank.create(
                {"acc_number": "DE89 3704 0044 0532 0130 01", "partner_id": self.partner.id}
            )
        account = self.Bank.create(
            {"acc_number": "DE89370400440532013000", "partner_id": self.partner.id}
        )
        with self.assertRaisesRegex(ValidationError, "Stahlbau Meier GmbH.*wrong length"):
            account.acc_number = "DE8937040044053201300"
        self.assertEqual(account.acc_number, "DE89 3704 0044 0532 0130 00")
        # a national account number (no IBAN) is still accepted
        national = self.Bank.create({"acc_number": "0532013000", "partner_id": self.partner.id})
        self.assertEqual(national.acc_type, "bank")

    def test_one_default_per_usage(self):
        first = self.Bank.create(
            {
                "acc_number": "DE89370400440532013000",
                "partner_id": self.partner.id,
                "crm_use_incoming": True,
                "crm_default_incoming": True,
                "crm_use_direct_debit": True,
                "crm_default_direct_debit": True,
            }
        )
        second = self.Bank.create(
            {
                "acc_number": "DE62370400440532013001",
                "partner_id": self.partner.id,
                "crm_use_incoming": True,
                "crm_default_incoming": True,
            }
        )
        self.assertFalse(first.crm_default_incoming)
        self.assertTrue(first.crm_default_direct_debit)
        self.assertTrue(second.crm_default_incoming)
        first.crm_default_incoming = True
        self.assertFalse(second.crm_default_incoming)
        self.assertFalse(second.crm_default_incoming)
        self.assertFalse((first | second).filtered("crm_use_outgoing"))
        second.crm_default_outgoing = True
        self.assertTrue(second.crm_use_outgoing)
        with self.assertRaisesRegex(ValidationError, "Stahlbau Meier GmbH.*Outgoing"):
            second.crm_use_outgoing = False

    def test_partner_form_with_bank_account(self):
        partners = self.env["res.partner"].with_user(self.user)
        with Form(partners.with_context(default_is_company=True)) as form:
            form.name = "Pekárna Novák s.r.o."
            with form.bank_ids.new() as line:
                line.acc_number = "CZ65 0800 0000 1920 0014 5399"
                line.crm_default_incoming = True
        partner = form.record
        self.assertEqual(partner.bank_ids.acc_number, "CZ65 0800 0000 1920 0014 5399")
        self.assertTrue(partner.bank_ids.crm_use_incoming)
        self.assertEqual(partner.bank_ids.bank_id.bic, "GIBACZPX")
        self.assertEqual(partner.crm_bank_count, 1)
