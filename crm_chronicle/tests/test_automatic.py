from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestAutomaticEntries(ChronicleCommon):
    def _entries(self, partner, code):
        return self.Entry.search(
            [("commercial_partner_id", "=", partner.id), ("type_id.code", "=", code)]
        )

    def test_posted_invoice_and_credit_note_by_an_accountant_without_crm_rights(self):
        accountant = new_test_user(
            self.env, login="chron_acc", groups="account.group_account_invoice"
        )
        self.assertFalse(accountant.has_group("crm_core.group_user"))
        product = self.env["product.product"].create({"name": "Beratung", "list_price": 100})
        invoice = (
            self.env["account.move"]
            .with_user(accountant)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100.0})
                    ],
                }
            )
        )
        self.assertFalse(self._entries(self.customer, "invoice"))  # drafts are not logged
        invoice.action_post()
        [entry] = self._entries(self.customer, "invoice")
        self.assertEqual(entry._get_source(), invoice)
        self.assertIn(invoice.name, entry.name)
        self.assertEqual(entry.user_id, accountant)
        self.assertEqual(entry.company_id, invoice.company_id)
        action = entry.action_open_source()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", invoice.id))
        reversal = (
            self.env["account.move.reversal"]
            .with_user(accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Storno"})
        )
        reversal.refund_moves()
        credit_note = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        credit_note.action_post()
        [entry] = self._entries(self.customer, "credit_note")
        self.assertEqual(entry._get_source(), credit_note)

    def test_emails_sent_and_received(self):
        Entry = self.Entry
        before = Entry.search_count([])
        # an internal note is no e-mail to the customer
        self.customer.message_post(body="<p>intern</p>", subtype_xmlid="mail.mt_note")
        self.assertEqual(Entry.search_count([]), before)
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user)
            .create({"name": "angebot.pdf", "raw": b"%PDF-1.4"})
        )
        sent = self.customer.with_user(self.user).message_post(
            body="<p>Anbei das Angebot</p>",
            subject="Angebot 4711",
            partner_ids=(self.contact | self.user.partner_id).ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            attachment_ids=attachment.ids,
        )
        [entry] = self._entries(self.customer, "email")
        self.assertEqual(entry.partner_id, self.contact)  # not the internal recipient
        self.assertEqual(entry.name, "E-mail sent: Angebot 4711")
        self.assertEqual(entry._get_source(), sent)
        self.assertEqual(entry.user_id, self.user)
        self.assertIn("Anbei das Angebot", entry.description)
        self.assertEqual(entry.attachment_ids, attachment)
        action = entry.action_open_source()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.customer.id))
        # what the mail gateway does with an incoming e-mail
        received = self.customer.message_post(
            body="<p>Danke, wir bestellen.</p>",
            subject="Re: Angebot 4711",
            message_type="email",
            author_id=self.contact.id,
        )
        entry = self._entries(self.customer, "email") - entry
        self.assertEqual(entry.name, "E-mail received: Re: Angebot 4711")
        self.assertEqual(entry.partner_id, self.contact)
        self.assertEqual(entry._get_source(), received)
        # messages in the chronicle's own chatter do not log again
        entry.message_post(
            body="x",
            partner_ids=self.contact.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.assertEqual(Entry.search_count([]), before + 2)

    def test_new_bank_account(self):
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": self.customer.id}
        )
        [entry] = self._entries(self.customer, "bank_account")
        # masked as on the contact sheet: the full number is the bank account's own
        self.assertEqual(entry.name, "New bank account **** **** **** **** **30 00 (Commerzbank)")
        self.assertNotIn("0532", entry.name)
        self.assertEqual(entry._get_source(), bank)

    def test_correspondence_lists_every_document_by_kind(self):
        entry = self.Entry.crm_log(self.contact, "letter", "Brief vom Januar")
        private = self.Entry.crm_log(self.customer, "note", "Privat")
        private.private = True
        product = self.env["product.product"].create({"name": "Wartung"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 5})],
            }
        )
        invoice.action_post()
        message = self.customer.message_post(
            body="<p>Hallo</p>",
            subject="Termin",
            partner_ids=self.contact.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "vertrag.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": self.customer.id,
            }
        )
        action = self.contact.with_user(self.user).action_open_crm_correspondence()
        Correspondence = self.env["crm.chronicle.correspondence"].with_user(self.user)
        rows = Correspondence.search(action["domain"])
        found = {(row.kind, row.res_model, row.res_id) for row in rows}
        self.assertIn(("entry", "crm.chronicle.entry", entry.id), found)
        # a CRM user without rights on invoices sees none (nor the entry logging it)
        self.assertNotIn(("invoice", "account.move", invoice.id), found)
        self.assertFalse(rows.filtered(lambda r: invoice.name in r.name))
        self.assertIn(("email", "res.partner", self.customer.id), found)
        self.assertIn(("attachment", "ir.attachment", attachment.id), found)
        self.assertNotIn(("entry", "crm.chronicle.entry", private.id), found)
        self.assertEqual(len(rows), len(set(rows.ids)))
        emails = Correspondence.search(action["domain"] + [("kind", "=", "email")])
        self.assertEqual(emails.mapped("name"), ["Termin"])
        self.assertTrue(message)
        # an accountant's list holds the invoice, which opens
        accountant = new_test_user(
            self.env, login="chron_acc2", groups="crm_core.group_user,account.group_account_invoice"
        )
        rows = Correspondence.with_user(accountant).search(action["domain"])
        invoice_row = rows.filtered(lambda r: r.kind == "invoice")
        self.assertEqual(invoice_row.res_id, invoice.id)
        opened = invoice_row.action_open()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("account.move", invoice.id))
        with self.assertRaises(AccessError):
            invoice_row.with_user(self.user).read(["name"])
