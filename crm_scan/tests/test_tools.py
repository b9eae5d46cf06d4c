import datetime
import io

from PyPDF2 import PdfWriter

from odoo.tests import BaseCase, tagged

from ..tools import filetype, layout, letter, matching, ocr, recognition
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
        self.assertEqual(found["numbers_labelled"], [["10042", "plain"]])
        self.assertEqual(
            found["invoices"], [["RE-2026-0815", "plain"], ["INV/2026/00012", "pattern"]]
        )
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
        self.assertEqual(found["numbers_labelled"], [["K-5531", "plain"]])
        self.assertEqual(found["dates"], [datetime.date(2026, 3, 3)])
        self.assertEqual(found["invoices"], [["2026001", "plain"]])

    def test_whose_number_it_is(self):
        """The label says whose a number is: the writer's ("Unsere Kundennummer", "Naše
        zákaznické číslo") or the reader's ("Ihre Kundennummer", "Vaše číslo zákazníka");
        an invoice named "Ihre Rechnung" is the reader's."""
        text = (
            "Unsere Kundennummer: 10042\nIhre Kundennummer: 10019\nKd.-Nr. 777\n"
            "Naše zákaznické číslo: 55501\nVaše číslo zákazníka: 4711\n"
            "Ihre Rechnung Nr. INV/2026/00012 vom 3.5.2026\nRechnung Nr. RE-2026-0815"
        )
        found = recognition.extract(text)
        self.assertEqual(
            found["numbers_labelled"],
            [["10042", "own"], ["10019", "yours"], ["777", "plain"], ["55501", "own"],
             ["4711", "yours"]],
        )  # fmt: skip
        self.assertEqual(
            found["invoices"], [["INV/2026/00012", "yours"], ["RE-2026-0815", "plain"]]
        )

    def test_phones_and_domains(self):
        text = "Tel. 089 1234567   0351 4567890\nwww.Mueller-Bau.de, info@mueller-bau.de, x@gmx.de"
        self.assertEqual(recognition.find_phones(text), ["+49891234567"])
        self.assertEqual(
            recognition.find_phones(text, bare=True), ["+49891234567", "+493514567890"]
        )
        self.assertEqual(recognition.find_domains(text), ["mueller-bau.de"])
        # no phone numbers inside IBANs or invoice numbers, not even bare ones
        iban = "IBAN DE89 3704 0044 0532 0130 00, INV/2026/00012"
        self.assertEqual(recognition.find_phones(iban, bare=True), [])

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
        norm = matching.normalize_address_text("Lindenweg 12, 80331 München")
        self.assertEqual(matching.address_similarity(norm, "Lindenweg 12", "80331", "München"), 1)
        self.assertEqual(matching.address_similarity(norm, "Ring 1", "10115", "Berlin"), 0)
        # another house number; the town alone
        self.assertEqual(matching.address_similarity(norm, "Lindenweg 120", "80331", "München"),
                         0.85)  # fmt: skip
        self.assertEqual(matching.address_similarity(norm, "Ring 1", "80999", "München"), 0)
        norm = matching.normalize_address_text("Königsbrücker Str. 96 · 01099 Dresden")
        self.assertEqual(
            matching.address_similarity(norm, "Königsbrücker Straße 96", "01099", "Dresden"), 1
        )

    def test_names_know_legal_forms_and_ocr_slips(self):
        similarity = matching.name_similarity
        self.assertEqual(similarity("Müller Bau GmbH", "MÜLLER BAU GMBH"), 1.0)
        self.assertEqual(similarity("Novák Stavby s.r.o.", "NOVÁK STAVBY, spol. s r.o."), 1.0)
        self.assertGreaterEqual(similarity("Müller Bau GmbH", "Mülller Bau GrnbH"), 0.8)
        for other in ("Müller Bau KG", "Müller Haustechnik GmbH", "Bau GmbH"):
            self.assertLess(similarity("Müller Bau GmbH", other), matching.NAME_MATCH, other)
        self.assertLess(similarity("Schmidt Elektro GmbH", "Schmitt Elektro GmbH"), 0.8)
        self.assertLess(similarity("Novák Stavby s.r.o.", "Novák Stavby a.s."), 0.8)
        self.assertEqual(
            matching.company_prefix("Müller Bau GmbH Lindenweg 12 80331 München"),
            "Müller Bau GmbH",
        )
        self.assertTrue(matching.is_company_name("Dvořák Doprava v.o.s."))
        self.assertFalse(matching.is_company_name("Hans Müller"))

    def test_writer_named_otherwise_caps_the_score(self):
        items = [
            matching.evidence(1, "address", "Lindenweg 12", 1.0),
            matching.evidence(1, "name", "Müller Bau", 0.7),
            matching.evidence(1, "number", "10042"),  # confirms only
        ]
        free = matching.rank(items)
        self.assertGreater(free[0]["score"], 0.9)
        capped = matching.rank(items, writers=set())
        self.assertTrue(capped[0]["conflict"])
        self.assertLessEqual(capped[0]["score"], matching.CONFLICT_CAP)
        # a confirming piece alone names nobody
        self.assertEqual(matching.rank([matching.evidence(2, "number_token", "4711")]), [])
        # a partner the letter places at another address: capped, and said so
        elsewhere = matching.rank(items, elsewhere={1})
        self.assertTrue(elsewhere[0]["elsewhere"])
        self.assertLessEqual(elsewhere[0]["score"], matching.ELSEWHERE_CAP)
        self.assertFalse(free[0]["elsewhere"])

    def test_our_people_taken_out_of_a_name(self):
        ours = ["Sabine Krause", "Elbtal Handel GmbH"]
        self.assertEqual(matching.without_names("Sabine Krause Hans Weber", ours), "Hans Weber")
        self.assertEqual(matching.without_names("SABINE KRAUSE", ours), "")
        # every word of the name must stand there; a customer named like a part stays
        self.assertEqual(matching.without_names("Krause Bau GmbH", ours), "Krause Bau GmbH")
        self.assertEqual(matching.without_names("Elbtal Bau GmbH", ours), "Elbtal Bau GmbH")


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
        self.assertEqual(found["numbers_labelled"], [["10042", "plain"]])
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


def _words(items, height=40):
    """Tesseract-like words: items are (left, top, text) lines split on spaces; a word is
    20 px per letter wide and gaps are one letter."""
    words = []
    for line_no, (left, top, text) in enumerate(items):
        x = left
        for word in text.split(" "):
            words.append([line_no, 1, 1, x, top, 20 * len(word), height, 95, word])
            x += 20 * len(word) + 20
    return words


@tagged("post_install", "-at_install")
class TestLayout(BaseCase):
    """Zones of a DIN 5008 letter from word boxes, as tesseract's TSV gives them (A4 at
    300 dpi: 2480 x 3508 pixels)."""

    PAGE = [
        (240, 140, "Müller Bau GmbH"),
        (240, 560, "Müller Bau GmbH · Lindenweg 12 · 80331 München"),
        (240, 640, "Elbtal Handel GmbH"),
        (1480, 640, "Kundennummer: 10042"),
        (240, 700, "Königsbrücker Straße 96"),
        (1480, 700, "Telefon: 089 1234567"),
        (240, 760, "01099 Dresden"),
        (290, 1200, "Reklamation Lieferung"),
        (290, 1300, "wir beziehen uns auf Ihre Lieferung vom 3.5.2026."),
        (290, 1400, "Mit freundlichen Grüßen"),
        (290, 1560, "Hans Weber"),
        (290, 1620, "Müller Bau GmbH"),
        (240, 3250, "Müller Bau GmbH"),
        (1200, 3250, "IBAN DE89 3704 0044 0532 0130 00"),
    ]

    def classify(self, items):
        words = _words(items)
        for word in words[4:14]:  # the return line is set smaller
            word[6] = 28
        return layout.classify([{"page": 1, "size": [2480, 3508], "words": words}])

    def test_zones(self):
        cells = self.classify(self.PAGE)
        zones = {}
        for cell in cells:
            zones.setdefault(cell.zone, []).append(cell.text)
        self.assertEqual(zones[layout.HEAD][0], "Müller Bau GmbH")
        self.assertIn("Kundennummer: 10042", zones[layout.HEAD])  # the information block
        self.assertEqual(zones[layout.RETURN], ["Müller Bau GmbH · Lindenweg 12 · 80331 München"])
        self.assertEqual(
            zones[layout.WINDOW],
            ["Elbtal Handel GmbH", "Königsbrücker Straße 96", "01099 Dresden"],
        )
        self.assertEqual(zones[layout.SIGNATURE], ["Hans Weber", "Müller Bau GmbH"])
        self.assertEqual(
            zones[layout.FOOT], ["Müller Bau GmbH", "IBAN DE89 3704 0044 0532 0130 00"]
        )
        self.assertIn("Reklamation Lieferung", zones[layout.BODY])
        texts = layout.zone_texts(cells)
        # a label and its value beside it are one row
        self.assertIn("Kundennummer: 10042", texts[layout.HEAD])
        names = layout.name_candidates(cells)
        self.assertIn("Müller Bau GmbH", names)
        self.assertIn("Lindenweg 12", names)  # a segment of the return line

    def test_letter_spaced_name_is_one_word(self):
        words = []
        x = 240
        for char in "MÜLLER":
            words.append([0, 1, 1, x, 140, 30, 40, 95, char])
            x += 45
        x += 90
        for char in "BAU":
            words.append([0, 1, 1, x, 140, 30, 40, 95, char])
            x += 45
        [cell] = layout.classify([{"page": 1, "size": [2480, 3508], "words": words}])
        self.assertEqual(cell.text, "MÜLLER BAU")

    def test_our_own_document(self):
        """Our name in the letterhead, a customer in the address field: the address field
        is the party."""
        items = [(240, 140, "Elbtal Handel GmbH")] + [
            (240, 640, "Müller Bau GmbH"),
            (240, 700, "Lindenweg 12"),
            (240, 760, "80331 München"),
            (290, 1200, "Rechnung Nr. INV/2026/00012"),
            (240, 3250, "Elbtal Handel GmbH · Königsbrücker Straße 96 · 01099 Dresden"),
        ]
        words = _words(items)
        own = {key: set() for key in ("ibans", "vats", "registrations", "phones", "emails",
                                      "domains")}  # fmt: skip
        own.update(names=["Elbtal Handel GmbH"], staff=[], addresses=[])
        analysis = letter.analyse(
            "\n".join(t for _x, _y, t in items),
            [{"page": 1, "size": [2480, 3508], "words": words}],
            own,
        )
        self.assertEqual(analysis["direction"], letter.OUTGOING)
        self.assertIn("Müller Bau GmbH", analysis["party"]["names"])
        self.assertEqual(analysis["invoices"], [["INV/2026/00012", "own_document"]])

    def test_letter_to_us_with_a_misread_address_field(self):
        """A fax in standard resolution: OCR reads the address field so badly that only
        "01099 Dresden" is left of it, and our name lands in the head beside the writer's
        letterhead (as in bench/scan_recognition.py, seed 11). Our postcode and town in the
        address field, and another company's name in the head, say the letter is to us,
        not our own document come back."""
        items = [
            (240, 140, "HOFMANN METALLBAU GMBH & Co. KG"),
            (240, 300, "Hofmann Metallbau GmbH & Co. KG · Mühlenweg 81 · 20427 Hamburg"),
            (240, 600, "-Elbtal Handel GmbH. N"),
            (1480, 600, "Telefon: +49 40 2342587"),
            (240, 700, "Königsbrücker Straße. nn"),
            (240, 900, "01099 Dresden 2"),
            (240, 960, "a"),
            (290, 1400, "Reklamation Lieferung"),
            (240, 3250, "Hofmann Metallbau GmbH & Co. KG · Mühlenweg 81 · 20427 Hamburg"),
        ]
        own = {key: set() for key in ("ibans", "vats", "registrations", "phones", "emails",
                                      "domains")}  # fmt: skip
        own.update(names=["Elbtal Handel GmbH"], staff=[],
                   addresses=[("Königsbrücker Straße 96", "01099", "Dresden")])  # fmt: skip
        analysis = letter.analyse(
            "\n".join(t for _x, _y, t in items),
            [{"page": 1, "size": [2480, 3508], "words": _words(items)}],
            own,
        )
        self.assertEqual(analysis["direction"], letter.INCOMING)
        self.assertIn("HOFMANN METALLBAU GMBH & Co. KG", analysis["party"]["writers"])


@tagged("post_install", "-at_install")
class TestCzechPhones(BaseCase):
    def test_czech_numbers_have_no_trunk_prefix(self):
        self.assertEqual(recognition.find_phones("tel.: 602 111 222"), ["+420602111222"])
        self.assertEqual(recognition.find_phones("602 111 222 · www.x.cz", bare=True),
                         ["+420602111222"])  # fmt: skip
        # no phone number in a postcode, an IČO or an account number
        self.assertEqual(
            recognition.find_phones("IČO: 25596641, č. ú. 123456789/0800, 110 00 Praha 1",
                                    bare=True), [],
        )  # fmt: skip
