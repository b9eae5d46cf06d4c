"""The invoice PDF of an invoice paid by SEPA direct debit carries the pre-notification
(mandate reference, creditor identifier, collection date, amount) in the customer's language,
amount and date written the way that language writes them, under the DIN 5008 layout and the
standard one; on the DIN 5008 page it sits in the letter's body: below the address window,
inside the margins (clear of the folding and punch marks' strip), its words read back by
OCR from the PDF (wkhtmltopdf draws this report's glyphs as outlines: pdftotext reads
nothing). Both
story companies: the Dresden one on SKR03 (l10n_de) and the Brno one on the Czech chart,
whose SEPA debits are in euros; its CZK invoices get no pre-notification (issue 18)."""

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.report_layouts import DIN5008, LAYOUTS, PAPER, ReportLayoutsMixin

from .common import CREDITOR_ID, IBAN_A, SepaCase

REPORT = "account.account_invoices"
DUE = datetime.date(2030, 3, 20)  # a TARGET2 day far ahead: the debit keeps the due date


class PrenotificationReportMixin(ReportLayoutsMixin):
    creditor_id = CREDITOR_ID
    iban = IBAN_A
    ocr_lang = "deu"

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

    def render_pdf(self, layout, invoice=None):
        """The invoice PDF with the company printing on `layout` (see render_on_layout)."""
        invoice = invoice or self.invoice
        self.env.ref(layout)  # installed
        self.company.write(
            {
                "external_report_layout_id": self.env.ref(layout).id,
                "paperformat_id": self.env.ref(PAPER[layout]).id,
            }
        )
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, res_ids=invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
        return pdf

    def render_text(self, layout, invoice=None):
        """The text of the invoice report as rendered for the PDF on `layout` (in the
        customer's language, as account.report_invoice renders it), whitespace folded.
        wkhtmltopdf draws this report's glyphs as outlines (the PDF has no fonts, so
        pdftotext reads nothing): the PDF itself is read by OCR in assert_placement."""
        invoice = invoice or self.invoice
        self.render_pdf(layout, invoice)  # the same company settings
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, invoice.ids)[0]
        html = html.replace(b"<br>", b"\n").replace(b"<br/>", b"\n")
        return " ".join(lxml_html.fromstring(html).text_content().split())

    def assert_texts(self, address, words, not_words):
        """On both layouts: the address lines in order, the words, none of not_words."""
        for layout in LAYOUTS:
            with self.subTest(layout=layout):
                text = self.render_text(layout)
                self.assertIn(self.invoice.name, text)
                position = 0
                for part in address:
                    found = text.find(part, position)
                    self.assertGreaterEqual(found, 0, f"{part!r} missing on {layout}: {text}")
                    position = found + len(part)
                for word in words:
                    self.assertIn(word, text, f"{word!r} missing on {layout}")
                for word in not_words:
                    self.assertNotIn(word, text, f"{word!r} on {layout}")
                self.assertEqual(text.count(self.creditor_id), 1, text)

    def ocr_words(self, pdf):
        """[(page, text, x0, y0, x1, y1)] in mm from the page's top-left corner: the PDF
        rasterised by poppler (150 dpi) and read by tesseract."""
        if not (shutil.which("pdftoppm") and shutil.which("tesseract")):
            self.fail("pdftoppm (poppler-utils) and tesseract are needed to read the PDF")
        words = []
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["pdftoppm", "-r", "150", "-gray", "-png", "-", f"{tmp}/p"],
                input=pdf,
                check=True,
                capture_output=True,
            )
            for page, image in enumerate(sorted(Path(tmp).glob("p-*.png")), start=1):
                tsv = subprocess.run(
                    ["tesseract", str(image), "-", "-l", self.ocr_lang, "tsv"],
                    check=True,
                    capture_output=True,
                ).stdout.decode()
                for row in tsv.splitlines()[1:]:
                    cols = row.split("\t")
                    if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
                        x, y, w, h = (int(v) * 25.4 / 150 for v in cols[6:10])
                        words.append((page, cols[11].strip(), x, y, x + w, y + h))
        return words

    def assert_placement(self, address_word, prenote_words):
        """On the DIN 5008 page (read back by OCR) the pre-notification's lines lie below
        the address window (below 90 mm: 45 mm header, 45 mm address field, and below the
        recipient's last line), right of the 20 mm strip of the folding and punch marks and
        inside the right margin; no other text shares their lines' band."""
        words = self.ocr_words(self.render_pdf(DIN5008))
        text = " ".join(w[1] for w in words)
        anchors = [w for w in words if w[1].rstrip(",.") in prenote_words]
        self.assertGreaterEqual(
            len({w[1].rstrip(",.") for w in anchors}), len(prenote_words) - 1, text
        )
        address = [w for w in words if w[1] == address_word and w[0] == 1]
        self.assertTrue(address, f"{address_word!r} (the address window) not on page 1: {text}")
        address_bottom = max(w[5] for w in address)
        # the lines of the pre-notification: the words whose vertical centre lies within
        # the band of an anchor word
        bands = {(w[0], w[3] - 1, w[5] + 1) for w in anchors}
        lines = [
            w
            for w in words
            for page, top, bottom in bands
            if w[0] == page and top <= (w[3] + w[5]) / 2 <= bottom
        ]
        for page, word, x0, y0, x1, _y1 in lines:
            if page == 1:
                self.assertGreater(y0, max(address_bottom, 90), f"{word!r} in the address window")
            self.assertGreaterEqual(x0, 20, f"{word!r} in the marks' strip ({x0:.1f} mm)")
            self.assertLessEqual(x1, 205, f"{word!r} beyond the right margin ({x1:.1f} mm)")
        # their words read back: text printed over them would not read
        self.assertGreaterEqual(len(anchors), 2, text)


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
        self.assert_texts(
            address=("Sächsische Holzwaren GmbH", "Bautzner Straße 17", "01099 Dresden"),
            words=(
                "Wir ziehen am 20.03.2030 1.234,56 € von Ihrem Konto IBAN",
                f"Mandat {self.mandate.name}",
                f"Gläubiger-ID {CREDITOR_ID}",
            ),
            not_words=("We will debit", "creditor identifier", "EUR 1,234.56", "2030-03-20"),
        )
        self.assert_placement("Bautzner", {"Wir", "ziehen", "Mandat", "Gläubiger-ID"})


@tagged("post_install", "-at_install")
class TestInvoicePrenotificationCzech(PrenotificationReportMixin, SepaCase, HttpCase):
    chart_template = "cz"
    country_code = "CZ"  # the company's country and its currency (CZK)
    creditor_id = "CZ58ZZZ25596641"
    ocr_lang = "ces"
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
        self.assert_texts(
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
        self.assert_placement("Masarykova", {"Dne", "inkasujeme", "mandát", "věřitele"})

    def test_czk_invoice_has_no_prenotification(self):
        """SEPA debits are in euros: a CZK invoice of the same customer with its mandate
        says nothing about a debit, neither on the record nor on the PDF."""
        czk = self.make_invoice(self.customer, 500.0, due=DUE, currency=self.company.currency_id)
        self.assertTrue(czk.crm_sepa_direct_debit)
        self.assertFalse(czk.crm_sepa_prenotification)
        self.assertTrue(self.invoice.with_context(lang="cs_CZ").crm_sepa_prenotification)
        text = self.render_text(DIN5008, czk)
        self.assertIn(czk.name, text)
        self.assertNotIn(self.mandate.name, text)
        self.assertNotIn(self.creditor_id, text)
