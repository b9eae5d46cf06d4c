"""The invoice PDF of an invoice paid by SEPA direct debit carries the pre-notification
(mandate reference, creditor identifier, collection date, amount) in the customer's language,
amount and date written the way that language writes them, under the DIN 5008 layout and the
standard one; on the DIN 5008 page it sits in the letter's body: below the address window,
inside the margins (clear of the folding and punch marks' strip), over no other text. Both
story companies: the Dresden one on SKR03 (l10n_de) and the Brno one on the Czech chart,
whose SEPA debits are in euros; its CZK invoices get no pre-notification (issue 18)."""

import datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.pdf_text import pdf_words
from odoo.addons.crm_core.tests.report_layouts import DIN5008, ReportLayoutsMixin

from .common import CREDITOR_ID, IBAN_A, SepaCase

MM = 72 / 25.4  # points per millimetre
REPORT = "account.account_invoices"
DUE = datetime.date(2030, 3, 20)  # a TARGET2 day far ahead: the debit keeps the due date


class PrenotificationReportMixin(ReportLayoutsMixin):
    creditor_id = CREDITOR_ID
    iban = IBAN_A

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"crm_sepa_creditor_identifier": cls.creditor_id, **cls.company_vals})
        cls.customer, _bank, cls.mandate = cls.make_customer(cls.customer_vals["name"], cls.iban)
        cls.customer.write({**cls.customer_vals, "is_company": True})
        cls.invoice = cls.make_invoice(cls.customer, 1234.56, due=DUE)

    def setUp(self):
        super().setUp()
        self.load_languages(["crm_billing_sepa", "account"])

    def assert_clear_of_the_address_window(self, address_word):
        """On the DIN 5008 page the pre-notification's words lie below the address window
        (45 mm header + 45 mm address field, and below the recipient's last line), at least
        20 mm from the left edge (the marks' strip) and 5 mm from the right one, and no word
        of the page overlaps them."""
        self.render_on_layout(REPORT, self.invoice, DIN5008, self.company)
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, res_ids=self.invoice.ids)
        )
        words = pdf_words(pdf)
        pages = {page for page, *_rest in words}
        prenote = [
            w
            for w in words
            if w[1].startswith(self.mandate.name) or w[1].startswith(self.creditor_id)
        ]
        self.assertEqual(len(prenote), 2, f"mandate and creditor id once each: {prenote}")
        lines = {(w[0], round(w[3])) for w in prenote}
        text_words = [w for w in words if (w[0], round(w[3])) in lines]
        address = [w for w in words if w[1] == address_word and w[0] == 1]
        self.assertTrue(address, f"{address_word!r} (the address window) not on page 1")
        address_bottom = max(w[5] for w in address)
        width = 210 * MM
        for page, text, x0, y0, x1, y1 in text_words:
            if page == 1:
                self.assertGreater(y0, max(address_bottom, 90 * MM), f"{text!r} in the window")
            self.assertGreaterEqual(x0, 20 * MM, f"{text!r} in the left margin")
            self.assertLessEqual(x1, width - 5 * MM, f"{text!r} beyond the right margin")
            for other in words:
                if other[0] != page or (other[0], round(other[3])) in lines:
                    continue
                overlaps = not (
                    other[4] <= x0 or x1 <= other[2] or other[5] <= y0 or y1 <= other[3]
                )
                self.assertFalse(overlaps, f"{text!r} overlaps {other[1]!r}")
        self.assertTrue(pages)


@tagged("post_install", "-at_install")
class TestInvoicePrenotificationGerman(PrenotificationReportMixin, SepaCase, HttpCase):
    chart_template = "de_skr03"
    company_vals = {
        "name": "Elbtal Handel Prüf GmbH",
        "street": "Königsbrücker Straße 96",
        "zip": "01099",
        "city": "Dresden",
    }
    customer_vals = {
        "name": "Sächsische Holzwaren GmbH",
        "street": "Bautzner Straße 17",
        "zip": "01099",
        "city": "Dresden",
        "lang": "de_DE",
    }

    def test_invoice_prints_the_prenotification_in_german(self):
        self.customer.country_id = self.env.ref("base.de")
        texts = self.assert_report_on_layouts(
            REPORT,
            self.invoice,
            self.company,
            title=self.invoice.name,
            address=("Sächsische Holzwaren GmbH", "Bautzner Straße 17", "01099 Dresden"),
            words=(
                "Wir ziehen am 20.03.2030 1.234,56 € von Ihrem Konto IBAN",
                f"Mandat {self.mandate.name}",
                f"Gläubiger-ID {CREDITOR_ID}",
            ),
            not_words=("We will debit", "creditor identifier", "EUR 1,234.56", "2030-03-20"),
        )
        for text in texts.values():
            self.assertEqual(" ".join(text.split()).count(CREDITOR_ID), 1)
        self.assert_clear_of_the_address_window("Bautzner")


@tagged("post_install", "-at_install")
class TestInvoicePrenotificationCzech(PrenotificationReportMixin, SepaCase, HttpCase):
    chart_template = "cz"
    country_code = "CZ"  # the company's country and its currency (CZK)
    creditor_id = "CZ58ZZZ25596641"
    iban = "CZ6508000000192000145399"
    company_vals = {
        "name": "Elbtal Obchod Prüf s.r.o.",
        "street": "Údolní 53",
        "zip": "602 00",
        "city": "Brno",
    }
    customer_vals = {
        "name": "Dřevovýroba Horák s.r.o.",
        "street": "Masarykova 8",
        "zip": "602 00",
        "city": "Brno",
        "lang": "cs_CZ",
    }

    def test_invoice_prints_the_prenotification_in_czech(self):
        self.customer.country_id = self.env.ref("base.cz")
        self.assertEqual(self.company.currency_id.name, "CZK")
        self.assertEqual(self.invoice.currency_id.name, "EUR")
        self.assert_report_on_layouts(
            REPORT,
            self.invoice,
            self.company,
            title=self.invoice.name,
            address=("Dřevovýroba Horák s.r.o.", "Masarykova 8", "602 00 Brno"),
            words=(
                "Dne 20.03.2030 inkasujeme 1 234,56 € z vašeho účtu IBAN",
                f"mandát {self.mandate.name}",
                f"identifikátor věřitele {self.creditor_id}",
            ),
            not_words=(
                "We will debit",
                "Wir ziehen",
                "Brno 602 00",
                "EUR 1,234.56",
                "2030-03-20",
            ),
        )
        self.assert_clear_of_the_address_window("Masarykova")

    def test_czk_invoice_has_no_prenotification(self):
        """SEPA debits are in euros: a CZK invoice of the same customer with its mandate
        says nothing about a debit, neither on the record nor on the PDF."""
        czk = self.make_invoice(self.customer, 500.0, due=DUE, currency=self.company.currency_id)
        self.assertTrue(czk.crm_sepa_direct_debit)
        self.assertFalse(czk.crm_sepa_prenotification)
        self.assertTrue(self.invoice.with_context(lang="cs_CZ").crm_sepa_prenotification)
        text = self.render_on_layout(REPORT, czk, DIN5008, self.company)
        self.assertNotIn(self.mandate.name, text)
        self.assertNotIn(self.creditor_id, text)
