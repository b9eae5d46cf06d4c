from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.models.account_document_import_mixin import extract_pdf_embedded_files

from .common_einvoice import EinvoiceCase


@tagged("post_install", "-at_install")
class TestEinvoiceDownload(EinvoiceCase, HttpCase):
    """The e-invoice downloads on the invoice: Odoo's download route with our file types,
    the print menu, who may download."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.make_invoice(cls.public)
        cls.crm_user = new_test_user(
            cls.env,
            login="einvoice_crm_user",
            groups="crm_core.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_zugferd_pdf_embeds_a_valid_factur_x(self):
        document = self.invoice._get_invoice_legal_documents("crm_facturx")
        self.assertEqual(document["filetype"], "application/pdf")
        self.assertTrue(document["content"].startswith(b"%PDF"))
        embedded = dict(extract_pdf_embedded_files(document["filename"], document["content"]))
        self.assertEqual(list(embedded), ["factur-x.xml"])
        report = self.validator.validate(embedded["factur-x.xml"])
        self.assertFalse(report.errors, str(report))
        self.assertIn(b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", document["content"])

    def test_zugferd_pdf_imports_as_vendor_bill(self):
        """Odoo's own import reads our ZUGFeRD PDF back (the receiving side)."""
        document = self.invoice._get_invoice_legal_documents("crm_facturx")
        attachment = self.env["ir.attachment"].create(
            {"name": document["filename"], "raw": document["content"]}
        )
        journal = self.company_data["default_journal_purchase"]
        bill = journal._create_document_from_attachment(attachment.ids)
        self.assertEqual(bill.ref, self.invoice.name)
        self.assertEqual(bill.amount_total, self.invoice.amount_total)

    def test_download_route_for_a_billing_user(self):
        self.authenticate(self.billing_user.login, self.billing_user.login)
        for kind, mimetype in (
            ("xrechnung_ubl", "application/xml"),
            ("xrechnung_cii", "application/xml"),
        ):
            action = self.invoice.with_user(self.billing_user).action_crm_einvoice_download(kind)
            response = self.url_open(action["url"])
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], mimetype)
            self.assertFalse(self.validator.validate(response.content).errors)
        # several invoices: one ZIP
        other = self.make_invoice(self.business)
        url = (self.invoice + other).action_crm_einvoice_download("xrechnung_ubl")["url"]
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_print_menu_offers_the_einvoices(self):
        keys = [
            item["key"]
            for item in self.invoice.with_user(self.billing_user).get_extra_print_items()
        ]
        self.assertIn("crm_einvoice_xrechnung_ubl", keys)
        self.assertIn("crm_einvoice_xrechnung_cii", keys)
        self.assertIn("crm_einvoice_facturx", keys)
        self.assertNotIn("crm_einvoice_isdoc", keys)
        draft = self.make_invoice(self.business, post=False)
        with self.assertRaisesRegex(UserError, "only of posted customer invoices"):
            draft.action_crm_einvoice_download("xrechnung_ubl")

    def test_who_may_download(self):
        # a CRM user without accounting rights
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.crm_user)._get_invoice_legal_documents("crm_xrechnung_ubl")
        # a billing user of another company: Odoo's company rule
        other = self.setup_other_company(name="Prager Filiale")["company"]
        outsider = new_test_user(
            self.env,
            login="einvoice_outsider",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with self.assertRaises(AccessError):
            self.invoice.with_user(outsider)._get_invoice_legal_documents("crm_xrechnung_cii")
