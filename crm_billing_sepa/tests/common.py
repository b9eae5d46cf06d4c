import base64
import datetime

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..tools import pain

CREDITOR_ID = "DE98ZZZ09999999999"
OWN_IBAN = "DE89370400440532013000"
# valid German IBANs at different banks (BLZ 12030000 and 10010010)
IBAN_A = "DE02120300000000202051"
IBAN_A2 = "DE45120300001234567890"  # same bank as IBAN_A
IBAN_B = "DE02100100100006820101"  # another bank
IBAN_CH = "CH9300762011623852957"  # Switzerland: SEPA
IBAN_BR = "BR1800360305000010009795493C1"  # Brazil: outside SEPA


class SepaCase(AccountTestInvoicingCommon):
    """A German EUR company with the generic chart of accounts, a bank journal with an IBAN,
    a creditor identifier, a SEPA manager and a plain CRM user."""

    chart_template = "generic_coa"
    country_code = "DE"  # the company's country and its currency

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.eur = cls.env.ref("base.EUR")
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_journal.bank_acc_number = OWN_IBAN
        cls.company.write(
            {
                "crm_sepa_creditor_identifier": CREDITOR_ID,
                "crm_sepa_journal_id": cls.bank_journal.id,
                "crm_sepa_lead_days": 1,
                "crm_sepa_return_fee": 5.0,
            }
        )
        cls.env.user.group_ids += cls.env.ref("crm_billing_sepa.group_sepa_manager")
        cls.manager = new_test_user(
            cls.env,
            login="sepa_manager",
            groups="crm_billing_sepa.group_sepa_manager,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.crm_user = new_test_user(
            cls.env,
            login="crm_user",
            groups="crm_core.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.today = datetime.date(2026, 3, 2)  # a Monday

    @classmethod
    def make_customer(cls, name, iban=IBAN_A, scheme="CORE", mandate_state="active", **kw):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        bank = cls.env["res.partner.bank"].create({"acc_number": iban, "partner_id": partner.id})
        mandate = cls.env["crm.sepa.mandate"]
        if mandate_state:
            mandate = mandate.create(
                {
                    "partner_id": partner.id,
                    "bank_account_id": bank.id,
                    "signature_date": datetime.date(2025, 6, 1),
                    "scheme": scheme,
                    **kw,
                }
            )
            if mandate_state != "draft":
                mandate.action_activate()
            if mandate_state not in ("draft", "active"):
                mandate._write_state({"state": mandate_state})  # a state reached earlier
        return partner, bank, mandate

    @classmethod
    def make_invoice(cls, partner, amount, due=None, currency=None, post=True):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": datetime.date(2026, 2, 1),
                "invoice_date_due": due or datetime.date(2026, 3, 1),
                "currency_id": (currency or cls.eur).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def read_file(self, batch):
        content = base64.b64decode(batch.file)
        pain.validate(content, batch.version)
        return pain.read_payment_file(content)
