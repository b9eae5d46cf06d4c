import datetime
import io

from PyPDF2 import PdfWriter

from odoo.tests import BaseCase, tagged

from ..tools import filetype, matching, ocr, recognition
from . import corpus, pages

PARTNER = {
    "name": "Müller Bau GmbH",
    "street": "Lindenweg 12",
    "zip": "80331",
    "city": "München",
    "email": "info@mueller-bau.de",
    "phone": "+49 89 1234567",
}


@tagged("post_install", "-at_install")
class TestRecognition(BaseCase):
    def test_identifiers(self):
        text = (
            "Müller Bau GmbH, Lindenweg 12, 80331 München\n"
            "Tel. +49 89 1234567  E-Mail: Info@Mueller-Bau.de\n"
            "IBAN: DE89 3704 0044 0532 0130 00   USt-IdNr.: DE 136 695 976   HRB 12345\n"
            "Kundennummer: 10042   Rechnung Nr. RE-2026-0815   INV/2026/00012\n"
            "Datum: 12.03.2026, geliefert am 5. März 2026\n"
            "Mandatsreferenz: MAND-0001\n"
            "Summe 1.234,56 EUR   IČO: 25596641   Celkem 12 345,00 Kč\n"
        )
        found = recognition.extract(text)
        self.assertEqual(found["ibans"], ["DE89370400440532013000"])
        self.assertEqual(found["vats"], ["DE136695976"])
        self.assertIn("HRB 12345", found["registrations"])
        self.assertIn("25596641", found["registrations"])
        self.assertEqual(found["emails"], ["info@mueller-bau.de"])
        self.assertEqual(found["phones"], ["+49891234567"])
        self.assertEqual(found["numbers_labelled"], ["10042"])
        self.assertEqual(found["invoices"], ["RE-2026-0815", "INV/2026/00012"])
        self.assertEqual(found["mandates"], ["MAND-0001"])
        self.assertEqual(found["dates"], [datetime.date(2026, 3, 12), datetime.date(2026, 3, 5)])
        self.assertEqual(found["amounts"], [(1234.56, "EUR"), (12345.0, "CZK")])

    def test_rejects_invalid(self):
        text = "IBAN DE89 3704 0044 0532 0130 01  USt-IdNr. DE136695977  IČO: 25596642"
        found = recognition.extract(text)
        self.assertEqual(found["ibans"], [])
        self.assertEqual(found["vats"], [])
        self.assertEqual(found["registrations"], [])

    def test_ocr_confusions_in_iban(self):
        # OCR reads a zero as O and glues the next word on
        found = recognition.find_ibans("IBAN: DE89 3704 OO44 0532 0130 00BIC COBADEFF")
        self.assertEqual(found, ["DE89370400440532013000"])
        # ... or reads a speck as a colon
        found = recognition.find_ibans("IBAN: DE89:3704 0044 0532 0130 00")
        self.assertEqual(found, ["DE89370400440532013000"])

    def test_czech(self):
        text = "Zákaznické číslo: K-5531\nDatum: 3. března 2026\nFaktura č. 2026001"
        found = recognition.extract(text)
        self.assertEqual(found["numbers_labelled"], ["K-5531"])
        self.assertEqual(found["dates"], [datetime.date(2026, 3, 3)])
        self.assertEqual(found["invoices"], ["2026001"])

    def test_classify(self):
        keywords = {"invoice": ["Rechnung", "Faktura"], "letter": ["Sehr geehrte"]}
        self.assertEqual(recognition.classify("RECHNUNG Nr. 5", keywords)[0], "invoice")
        self.assertEqual(recognition.classify("sehr geehrte Frau", keywords)[0], "letter")
        self.assertEqual(recognition.classify("nichts", keywords), (None, 0))


@tagged("post_install", "-at_install")
class TestMatching(BaseCase):
    def test_rank_and_confidence(self):
        items = [
            matching.evidence(1, "number_labelled", "10042"),
            matching.evidence(1, "name", "Müller Bau GmbH", 0.9),
            matching.evidence(2, "name", "Müller Bau KG", 0.6),
            matching.evidence(1, "name", "Müller Bau", 0.5),  # weaker duplicate kind
        ]
        ranked = matching.rank(items)
        self.assertEqual([r["partner_id"] for r in ranked], [1, 2])
        self.assertEqual(len(ranked[0]["evidence"]), 2)
        self.assertGreater(ranked[0]["score"], 0.99)
        self.assertGreater(matching.confidence(ranked), 0.8)

    def test_namesake_does_not_block_an_exact_identifier(self):
        same_name = [
            matching.evidence(1, "number_labelled", "10042"),
            matching.evidence(1, "name", "Richter Bau KG", 1.0),
            matching.evidence(2, "name", "Richter Bau KG", 1.0),
            matching.evidence(2, "address", "München", 0.25),
        ]
        self.assertGreater(matching.confidence(matching.rank(same_name)), 0.95)
        # without the number, two namesakes are a case for review
        ranked = matching.rank([i for i in same_name if i["kind"] != "number_labelled"])
        self.assertLess(matching.confidence(ranked), 0.8)

    def test_two_strong_candidates_lower_confidence(self):
        ranked = matching.rank(
            [matching.evidence(1, "iban", "DE.."), matching.evidence(2, "vat", "DE..")]
        )
        self.assertLess(matching.confidence(ranked), 0.8)
        self.assertEqual(matching.confidence([]), 0.0)

    def test_address(self):
        norm = recognition.normalize("Lindenweg 12, 80331 München")
        self.assertEqual(matching.address_similarity(norm, "Lindenweg 12", "80331", "München"), 1)
        self.assertEqual(matching.address_similarity(norm, "Ring 1", "10115", "Berlin"), 0)


@tagged("post_install", "-at_install")
class TestOcr(BaseCase):
    """Real tesseract and poppler on generated pages."""

    def test_png_letter_with_noise_and_rotation(self):
        image = pages.render_page(
            pages.letter(PARTNER, number="10042", iban="DE89 3704 0044 0532 0130 00"),
            height=900,
            noise=0.01,
            angle=1.2,
        )
        data = pages.to_png(image)
        self.assertEqual(filetype.detect_kind(data), "png")
        self.assertEqual(ocr.inspect(data, "png"), 1)
        [page] = ocr.ocr_pages(data, "png", 1, 1)
        text = page["text"]
        self.assertTrue(page["pdf"].startswith(b"%PDF"))
        self.assertIsNone(page["error"])
        # the layout: each word with its box, block, paragraph and line
        words = [w[-1] for w in page["words"]]
        self.assertIn("Kundennummer:", words)
        found = recognition.extract(text)
        self.assertEqual(found["ibans"], ["DE89370400440532013000"])
        self.assertEqual(found["numbers_labelled"], ["10042"])
        self.assertIn("Müller", text)

    def test_pdf_pages_in_parts_and_merge(self):
        images = [
            pages.render_page([f"**Seite {n}", "Lieferschein"], width=600, height=300)
            for n in (1, 2, 3)
        ]
        data = pages.to_pdf(images, dpi=100)
        self.assertEqual(ocr.inspect(data, "pdf"), 3)
        part1 = ocr.ocr_pages(data, "pdf", 1, 2)
        part2 = ocr.ocr_pages(data, "pdf", 3, 3)
        self.assertEqual(len(part1), 2)
        self.assertIn("Seite 3", part2[0]["text"])
        self.assertEqual([p["page"] for p in part1 + part2], [1, 2, 3])
        merged = ocr.merge_pdfs([p["pdf"] for p in part1 + part2])
        self.assertEqual(ocr.pdf_page_count(merged), 3)

    def test_multipage_tiff(self):
        images = [pages.render_page([f"Blatt {n}"], width=500, height=200) for n in (1, 2)]
        data = pages.to_tiff(images)
        self.assertEqual(filetype.detect_kind(data), "tiff")
        results = ocr.ocr_pages(data, "tiff", 1, 2)
        self.assertIn("Blatt 2", results[1]["text"])

    def test_scan_read_at_its_own_resolution(self):
        """A scanned PDF is read at the resolution of its image (upscaling adds noise and
        time), a born-digital page at 300 dpi."""
        lines = pages.letter(PARTNER, number="10042")
        for dpi in (150, 200, 300):
            scale = dpi / 150
            image = pages.render_page(
                lines, width=round(1240 * scale), height=round(700 * scale),
                size=round(23 * scale), noise=0.003,
            )  # fmt: skip
            data = pages.to_pdf([image], dpi=dpi)
            stats = []
            [page] = ocr.ocr_pages(data, "pdf", 1, 1, lang="deu+eng", stats=stats)
            text, pdf = page["text"], page["pdf"]
            self.assertEqual(stats[0]["dpi"], dpi)
            self.assertEqual(stats[0]["passes"], 1, stats)
            self.assertGreater(stats[0]["confidence"], 80)
            self.assertIn("10042", text)
            self.assertTrue(pdf.startswith(b"%PDF"))
        writer = PdfWriter()
        writer.add_blank_page(300, 200)
        out = io.BytesIO()
        writer.write(out)
        stats = []
        ocr.ocr_pages(out.getvalue(), "pdf", 1, 1, lang="eng", stats=stats)
        self.assertEqual(stats[0]["dpi"], ocr.DPI)
        self.assertEqual(ocr.recognition_dpi(100), ocr.MIN_DPI)
        self.assertEqual(ocr.recognition_dpi(600), ocr.DPI)

    def test_low_confidence_page_read_again_at_300_dpi(self):
        image = pages.render_page(["Kundennummer 10042", "Lieferschein"], width=600,
                                  height=200, noise=0.02)  # fmt: skip
        data = pages.to_pdf([image], dpi=150)
        stats = []
        # no reading is good enough: the page is read twice, the better reading kept
        [page] = ocr.ocr_pages(data, "pdf", 1, 1, lang="deu", stats=stats, retry_confidence=101)
        text = page["text"]
        self.assertEqual(stats[0]["passes"], 2)
        self.assertIn(stats[0]["dpi"], (150, 300))
        self.assertIn("10042", text)
        # a PNG without resolution is read again upscaled from its guessed resolution
        stats = []
        ocr.ocr_pages(
            pages.to_png(image, dpi=None), "png", 1, 1, lang="deu", stats=stats,
            retry_confidence=101,
        )  # fmt: skip
        self.assertEqual(stats[0]["passes"], 2)
        # a good reading is not repeated
        stats = []
        ocr.ocr_pages(data, "pdf", 1, 1, lang="deu", stats=stats)
        self.assertEqual(stats[0]["passes"], 1, stats)

    def test_failures(self):
        with self.assertRaises(ocr.OcrError) as err:
            ocr.inspect(b"%PDF-1.4\nthis is not a pdf", "pdf")
        self.assertEqual(err.exception.code, "corrupt")
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.encrypt("secret")
        out = io.BytesIO()
        writer.write(out)
        with self.assertRaises(ocr.OcrError) as err:
            ocr.inspect(out.getvalue(), "pdf")
        self.assertEqual(err.exception.code, "encrypted")
        self.assertIsNone(filetype.detect_kind(b"PK\x03\x04 a zip file"))
        self.assertEqual(filetype.identify(b"PK\x03\x04 a zip file"), "zip")
        self.assertEqual(filetype.identify("Grüße".encode() * 400), "text")
        self.assertEqual(filetype.identify(b""), "empty")
        with self.assertRaises(ocr.OcrError) as err:
            ocr.inspect(b"GIF89a", None)
        self.assertEqual(err.exception.code, "unsupported")
        self.assertEqual(ocr.missing_languages("deu+xxx+eng"), ["xxx"])

    def test_limits_checked_before_decoding(self):
        """A decompression bomb and a poster-size PDF page are refused from their headers;
        a damaged TIFF frame is one unread page, the others are read."""
        with self.assertRaises(ocr.OcrError) as err:
            ocr.inspect(corpus.decompression_bomb(), "png")
        self.assertEqual(err.exception.code, "oversized")
        self.assertEqual(err.exception.args_["megapixels"], 400)
        with self.assertRaises(ocr.OcrError) as err:
            ocr.inspect(corpus.decompression_bomb(9000, 9000), "png", max_pixels=50_000_000)
        self.assertEqual(err.exception.code, "oversized")
        writer = PdfWriter()
        writer.add_blank_page(14400, 14400)  # 200 x 200 inches
        out = io.BytesIO()
        writer.write(out)
        [page] = ocr.ocr_pages(out.getvalue(), "pdf", 1, 1, lang="eng")
        self.assertEqual(page["error"].code, "oversized")
        self.assertEqual(ocr.render_dpi((595, 842), 300, 80_000_000), 300)
        self.assertLess(ocr.render_dpi((2384, 3370), 300, 80_000_000), 300)  # A0
        damaged = corpus.damaged_tiff(PARTNER, "10042")
        self.assertEqual(ocr.inspect(damaged, "tiff"), 3)
        read = ocr.ocr_pages(damaged, "tiff", 1, 3, lang="deu")
        self.assertEqual([p["error"] and p["error"].code for p in read], [None, "corrupt", None])
        self.assertIn("Seite 3 von 3", read[2]["text"])
