"""The printable mandate form as the customer gets it: a PDF written by wkhtmltopdf (with the
test server running, so that it loads the report styles) and read back with pdftotext."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.pdf_text import pdf_text

from .common import CREDITOR_ID, IBAN_A, SepaCase


@tagged("post_install", "-at_install")
class TestMandatePdf(SepaCase, HttpCase):
    def render(self, mandate):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_billing_sepa.crm_sepa_mandate_report_action", mandate.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return " ".join(pdf_text(pdf).split())

    def test_mandate_form_pdf_in_the_customers_language(self):
        for code in ("de_DE", "cs_CZ"):
            self.env["res.lang"]._activate_lang(code)
        expected = {
            "de_DE": ("SEPA-Lastschriftmandat", "Gläubiger-Identifikationsnummer"),
            "cs_CZ": ("Mandát k inkasu SEPA", "Identifikátor věřitele"),
            "en_US": ("SEPA Direct Debit Mandate", "Creditor identifier"),
        }
        for lang, (title, label) in expected.items():
            partner, _bank, mandate = self.make_customer(f"Kunde Šťastný {lang}")
            partner.lang = lang
            text = self.render(mandate)
            self.assertIn(title, text)
            self.assertIn(label, text)
            self.assertIn(mandate.name, text)
            self.assertIn(CREDITOR_ID, text)
            self.assertIn(f"Kunde Šťastný {lang}", text)
            self.assertIn(IBAN_A, text.replace(" ", ""))
        # the B2B wording: no refund right
        _partner, _bank, b2b = self.make_customer("Firma B2B", scheme="B2B")
        self.assertIn("business-to-business", self.render(b2b))
