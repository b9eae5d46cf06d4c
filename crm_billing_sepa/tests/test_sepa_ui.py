import base64
import datetime

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from ..tools import pain
from .common import IBAN_A, OWN_IBAN


@tagged("post_install", "-at_install")
class TestSepaTour(HttpCase):
    def test_mandate_debit_download_tour(self):
        env = self.env
        company = env.company
        eur = env.ref("base.EUR")
        eur.active = True
        journal = env["account.journal"].create(
            {"name": "SEPA Bank", "type": "bank", "code": "SEPAT", "bank_acc_number": OWN_IBAN}
        )
        company.crm_sepa_creditor_identifier = "DE98ZZZ09999999999"
        company.crm_sepa_journal_id = journal
        partner = env["res.partner"].create({"name": "Tour Lastschrift AG", "is_company": True})
        env["res.partner.bank"].create({"acc_number": IBAN_A, "partner_id": partner.id})
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "currency_id": eur.id,
                "invoice_date": datetime.date.today() - datetime.timedelta(days=20),
                "invoice_date_due": datetime.date.today() - datetime.timedelta(days=5),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Wartung", "price_unit": 123.45, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()
        self.start_tour(f"/odoo/contacts/{partner.id}", "crm_sepa_tour", login="admin")
        mandate = env["crm.sepa.mandate"].search([("partner_id", "=", partner.id)])
        self.assertEqual(mandate.state, "active")
        batch = invoice.crm_sepa_line_ids.batch_id
        self.assertEqual(len(batch), 1)
        self.assertEqual(invoice.payment_state, "in_payment")
        data = pain.read_payment_file(base64.b64decode(batch.file))
        self.assertEqual(data["total"], 12345)
        self.assertEqual(data["groups"][0]["transactions"][0]["mandate_ref"], mandate.name)
