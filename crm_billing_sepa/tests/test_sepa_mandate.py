import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IBAN_A, IBAN_A2, IBAN_B, IBAN_BR, IBAN_CH, SepaCase


@tagged("post_install", "-at_install")
class TestSettings(SepaCase):
    def test_creditor_identifier_validated(self):
        settings = self.env["res.config.settings"].create({})
        settings.crm_sepa_creditor_identifier = "DE98 ZZZ0 9999 9999 99"
        settings.execute()
        self.assertEqual(self.company.crm_sepa_creditor_identifier, "DE98ZZZ09999999999")
        with self.assertRaisesRegex(ValidationError, "not a valid SEPA creditor identifier"):
            self.company.crm_sepa_creditor_identifier = "DE99ZZZ09999999999"
        with self.assertRaisesRegex(ValidationError, "lead days"):
            self.company.crm_sepa_lead_days = 0

    def test_defaults(self):
        company = self.env["res.company"].create({"name": "Fresh"})
        self.assertEqual(company.crm_sepa_default_scheme, "CORE")
        self.assertEqual(company.crm_sepa_dd_version, "pain.008.001.08")
        self.assertEqual(company.crm_sepa_ct_version, "pain.001.001.09")
        self.assertTrue(company.crm_sepa_batch_booking)
        self.assertEqual(company.crm_sepa_lead_days, 1)


@tagged("post_install", "-at_install")
class TestMandate(SepaCase):
    def test_reference_sequence_and_uniqueness(self):
        partner, bank, mandate = self.make_customer("Ref Kunde", mandate_state="draft")
        self.assertTrue(mandate.name.startswith("MDT-"))
        self.assertEqual(mandate.sequence_type, "FRST")
        mandate.name = "KD-4711"  # editable while draft
        mandate.action_activate()
        with self.assertRaisesRegex(UserError, "cannot change"):
            mandate.name = "KD-4712"
        with self.assertRaisesRegex(ValidationError, "35 characters"):
            self.env["crm.sepa.mandate"].create(
                {"partner_id": partner.id, "bank_account_id": bank.id, "name": "Ä" * 3}
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["crm.sepa.mandate"].create(
                {"partner_id": partner.id, "bank_account_id": bank.id, "name": "KD-4711"}
            ).flush_recordset()
        # another creditor (company) may use the same reference
        other = self.env["res.company"].create({"name": "Other creditor"})
        self.env["crm.sepa.mandate"].create(
            {
                "partner_id": partner.id,
                "bank_account_id": bank.id,
                "name": "KD-4711",
                "company_id": other.id,
            }
        ).flush_recordset()

    def test_iban_required_and_sepa_only(self):
        partner = self.env["res.partner"].create({"name": "Brasil Ltda"})
        bank = self.env["res.partner.bank"].create(
            {"acc_number": IBAN_BR, "partner_id": partner.id}
        )
        with self.assertRaisesRegex(ValidationError, "outside the SEPA area"):
            self.env["crm.sepa.mandate"].create(
                {"partner_id": partner.id, "bank_account_id": bank.id}
            )
        with self.assertRaisesRegex(ValidationError, "Debtor Bank Account"):
            self.env["crm.sepa.mandate"].create({"partner_id": partner.id})
        stranger = self.env["res.partner"].create({"name": "Stranger"})
        with self.assertRaisesRegex(ValidationError, "does not belong"):
            self.env["crm.sepa.mandate"].create(
                {"partner_id": stranger.id, "bank_account_id": self.make_customer("X")[1].id}
            )
        swiss = self.env["res.partner"].create({"name": "Swiss AG"})
        swiss_bank = self.env["res.partner.bank"].create(
            {"acc_number": IBAN_CH, "partner_id": swiss.id}
        )
        self.env["crm.sepa.mandate"].create(
            {"partner_id": swiss.id, "bank_account_id": swiss_bank.id}
        )

    def test_activation_needs_signature(self):
        partner, bank, _m = self.make_customer("Sig", mandate_state=False)
        mandate = self.env["crm.sepa.mandate"].create(
            {"partner_id": partner.id, "bank_account_id": bank.id}
        )
        with self.assertRaisesRegex(ValidationError, "signature date"):
            mandate.action_activate()
        with self.assertRaisesRegex(ValidationError, "future"):
            mandate.signature_date = datetime.date.today() + datetime.timedelta(days=3)

    def test_bank_account_locked_while_active(self):
        _partner, bank, mandate = self.make_customer("Lock")
        with self.assertRaisesRegex(UserError, "active SEPA mandate"):
            bank.unlink()
        with self.assertRaisesRegex(UserError, "cannot be archived"):
            bank.active = False
        mandate.action_revoke("customer asked")
        self.assertEqual(mandate.state, "revoked")
        bank.active = False  # allowed now

    def test_amendment_same_bank_and_other_bank(self):
        partner, bank, mandate = self.make_customer("Amend")
        self.assertFalse(mandate.original_iban)
        bank.acc_number = IBAN_A2  # same bank (BLZ 12030000)
        self.assertEqual(mandate.original_iban, IBAN_A)
        self.assertFalse(mandate.amendment_smnda)
        # a second change before any debit: the bank still knows the first account
        other = self.env["res.partner.bank"].create(
            {"acc_number": IBAN_B, "partner_id": partner.id}
        )
        mandate.bank_account_id = other
        self.assertEqual(mandate.original_iban, IBAN_A)
        self.assertTrue(mandate.amendment_smnda)
        # back to the account the bank knows: nothing to report
        bank.acc_number = IBAN_A
        mandate.bank_account_id = bank
        self.assertFalse(mandate.original_iban)

    @freeze_time("2026-03-02")
    def test_expiry_cron(self):
        _p, _b, unused = self.make_customer("Unused", signature_date=datetime.date(2022, 1, 10))
        _p, _b, recent = self.make_customer("Recent", signature_date=datetime.date(2022, 1, 10))
        recent._write_state({"last_debit_date": datetime.date(2024, 1, 10)})
        _p, _b, old_debit = self.make_customer(
            "Old debit", signature_date=datetime.date(2021, 1, 1)
        )
        old_debit._write_state({"last_debit_date": datetime.date(2023, 3, 1)})
        _p, _b, draft = self.make_customer(
            "Draft", mandate_state="draft", signature_date=datetime.date(2020, 1, 1)
        )
        self.env["crm.sepa.mandate"]._cron_expire()
        self.assertEqual(unused.state, "expired")
        self.assertEqual(old_debit.state, "expired")
        self.assertEqual(recent.state, "active")
        self.assertEqual(draft.state, "draft")
        cron = self.env.ref("crm_billing_sepa.ir_cron_crm_sepa_mandate_expire")
        self.assertEqual(cron.code, "model._cron_expire()")

    def test_form_in_three_languages(self):
        for code in ("de_DE", "cs_CZ"):
            self.env["res.lang"]._activate_lang(code)
        expected = {
            "de_DE": "SEPA-Lastschriftmandat",
            "cs_CZ": "Mandát k inkasu SEPA",
            "en_US": "SEPA Direct Debit Mandate",
        }
        for lang, title in expected.items():
            partner, _bank, mandate = self.make_customer(f"Form {lang}")
            partner.lang = lang
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html("crm_billing_sepa.report_mandate", mandate.ids)[0]
                .decode()
            )
            self.assertIn(title, html)
            self.assertIn(mandate.name, html)
            self.assertIn("DE98ZZZ09999999999", html)
            self.assertIn(IBAN_A, html.replace(" ", ""))

    def test_user_access(self):
        partner, bank, mandate = self.make_customer("Access")
        Mandate = self.env["crm.sepa.mandate"].with_user(self.crm_user)
        self.assertEqual(Mandate.search([("id", "=", mandate.id)]), mandate)
        with self.assertRaises(AccessError):
            mandate.with_user(self.crm_user).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.sepa.batch"].with_user(self.crm_user).create_debit_batches()
        # partners the user cannot see hide their mandates
        private = self.env["res.partner"].create(
            {
                "name": "Hidden",
                "company_id": self.env["res.company"].create({"name": "Elsewhere"}).id,
            }
        )
        hidden_bank = self.env["res.partner.bank"].create(
            {"acc_number": IBAN_B, "partner_id": private.id, "company_id": private.company_id.id}
        )
        hidden = self.env["crm.sepa.mandate"].create(
            {"partner_id": private.id, "bank_account_id": hidden_bank.id}
        )
        self.assertFalse(Mandate.search([("id", "=", hidden.id)]))
        self.assertEqual(Mandate.search([("id", "in", [hidden.id, mandate.id])]), mandate)
        with self.assertRaisesRegex(AccessError, "SEPA mandates of Hidden"):
            hidden.with_user(self.crm_user).read(["name"])
        mandate.with_user(self.crm_user).read(["name"])
