"""Label sheet geometry and rendering (crm_core/tools/label_sheet.py), checked against the
manufacturers' published dimensions and against what a PDF reader finds on the page."""

import tempfile

from odoo.tests import BaseCase, tagged

from ..tools import label_sheet
from ..tools.address_block import address_block
from .pdf_text import pdf_pages, pdf_text, pdf_words

MM = 72 / 25.4

# Published sheet dimensions (mm): columns, rows, label w x h, first label's left/top edge,
# horizontal and vertical pitch. Written out here independently of the presets.
PUBLISHED = {
    "avery_l7160": (3, 7, 63.5, 38.1, 7.21, 15.15, 66.04, 38.1),
    "avery_l7163": (2, 7, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1),
    "avery_3474": (3, 8, 70.0, 37.0, 0.0, 0.5, 70.0, 37.0),
    "avery_3490": (3, 8, 70.0, 36.0, 0.0, 4.5, 70.0, 36.0),
    "herma_4360": (3, 8, 70.0, 36.0, 0.0, 4.5, 70.0, 36.0),
    "herma_5051": (4, 11, 48.3, 25.4, 8.4, 8.8, 48.3, 25.4),
}


@tagged("post_install", "-at_install")
class TestLabelSheet(BaseCase):
    def test_presets_match_published_geometry(self):
        self.assertEqual(set(label_sheet.PRESETS), set(PUBLISHED))
        for key, (cols, rows, w, h, left, top, px, py) in PUBLISHED.items():
            sheet = label_sheet.PRESETS[key]
            with self.subTest(sheet=key):
                self.assertEqual((sheet.page_width, sheet.page_height), (210.0, 297.0))
                self.assertEqual((sheet.columns, sheet.rows), (cols, rows))
                self.assertAlmostEqual(sheet.label_width, w)
                self.assertAlmostEqual(sheet.label_height, h)
                self.assertEqual(sheet.check(), [])
                # last label ends inside the page, margins symmetric within 0.1 mm
                _page, x, y = sheet.position(sheet.per_sheet - 1)
                self.assertAlmostEqual(x + w + left, 210.0, delta=0.1)
                self.assertAlmostEqual(y + h + top, 297.0, delta=0.1)
                self.assertEqual(sheet.position(0), (0, left, top))
                self.assertEqual(sheet.position(1), (0, left + px, top))
                self.assertEqual(sheet.position(cols), (0, left, top + py))
                self.assertEqual(sheet.position(sheet.per_sheet), (1, left, top))

    def test_labels_land_inside_their_label_on_every_preset(self):
        for key, (cols, rows, w, h, left, top, px, py) in PUBLISHED.items():
            sheet = label_sheet.PRESETS[key]
            start = 2
            count = sheet.per_sheet + 3  # spills onto a second sheet
            blocks = [[f"L{n}", "Musterstraße 1", "12345 Musterstadt"] for n in range(count)]
            pdf = label_sheet.render_labels(sheet, blocks, start=start, sender="Absender")
            pages = pdf_pages(pdf)
            with self.subTest(sheet=key):
                self.assertEqual(len(pages), 2)
                self.assertAlmostEqual(pages[0][0], 210 * MM, delta=0.5)
                self.assertAlmostEqual(pages[0][1], 297 * MM, delta=0.5)
                firsts = {
                    text: (page, x0, y0, x1, y1)
                    for page, text, x0, y0, x1, y1 in pdf_words(pdf)
                    if text.startswith("L")
                }
                for n in range(count):
                    slot = n + start - 1
                    page, slot_on_page = divmod(slot, cols * rows)
                    row, col = divmod(slot_on_page, cols)
                    lx, ly = (left + col * px) * MM, (top + row * py) * MM
                    got_page, x0, y0, x1, y1 = firsts[f"L{n}"]
                    self.assertEqual(got_page, page + 1, f"label {n}")
                    self.assertGreaterEqual(x0, lx - 0.5, f"label {n}")
                    self.assertLessEqual(x1, lx + w * MM + 0.5, f"label {n}")
                    self.assertGreaterEqual(y0, ly - 0.5, f"label {n}")
                    self.assertLessEqual(y1, ly + h * MM + 0.5, f"label {n}")

    def test_umlauts_and_czech_letters_are_embedded(self):
        text = "Müller Grüße Řeřicha Žluťoučký kůň Ďábelské ódy"
        pdf = label_sheet.render_labels(label_sheet.PRESETS["avery_l7163"], [[text]])
        self.assertIn(text, pdf_text(pdf))
        self.assertIn(b"/FontFile2", pdf)  # the TrueType font is embedded

    def test_long_lines_shrink_then_cut(self):
        sheet = label_sheet.PRESETS["herma_5051"]
        long_name = "Sehr lange Firmenbezeichnung mit noch längerem Zusatz GmbH & Co. KG"
        pdf = label_sheet.render_labels(sheet, [[long_name, "Straße 1", "12345 Ort"]])
        words = pdf_words(pdf)
        right = (8.4 + 48.3 - 2.5) * MM
        self.assertTrue(words)
        self.assertTrue(all(x1 <= right + 0.5 for _p, _t, _x0, _y0, x1, _y1 in words))

    def test_bad_geometry_and_start_are_refused(self):
        sheet = label_sheet.LabelSheet("bad", 210, 297, 3, 8, 75, 36, 0, 0, 75, 36)
        self.assertIn("beyond the page width", " ".join(sheet.check()))
        with self.assertRaisesRegex(ValueError, "page width"):
            label_sheet.render_labels(sheet, [["x"]])
        with self.assertRaisesRegex(ValueError, "between 1 and 21"):
            label_sheet.render_labels(label_sheet.PRESETS["avery_l7160"], [["x"]], start=22)

    def test_missing_font_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaisesRegex(label_sheet.LabelFontError, "fonts-dejavu-core"):
                label_sheet.render_labels(
                    label_sheet.PRESETS["avery_l7160"], [["x"]], font_dirs=(empty,)
                )


@tagged("post_install", "-at_install")
class TestAddressBlock(BaseCase):
    DE_FORMAT = "%(street)s\n%(street2)s\n%(zip)s %(city)s\n%(country_name)s"
    US_FORMAT = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"

    def test_din5008_domestic(self):
        lines = address_block(
            ["Müller GmbH", "Eva Muster"],
            {"street": "Hauptstraße 5", "street2": "", "zip": "10115", "city": "Berlin"},
            "DE",
            "Deutschland",
            self.DE_FORMAT,
            "DE",
        )
        self.assertEqual(lines, ["Müller GmbH", "Eva Muster", "Hauptstraße 5", "10115 Berlin"])

    def test_din5008_from_abroad_has_country_in_capitals(self):
        lines = address_block(
            ["Müller GmbH"],
            {"street": "Hauptstraße 5", "zip": "10115", "city": "Berlin"},
            "DE",
            "Germany",
            self.DE_FORMAT,
            "CZ",
        )
        self.assertEqual(lines[-1], "GERMANY")
        self.assertEqual(lines[-2], "10115 Berlin")

    def test_foreign_country_uses_its_format(self):
        lines = address_block(
            ["ACME Inc."],
            {"street": "1 Main St", "zip": "94105", "city": "San Francisco", "state_code": "CA"},
            "US",
            "Vereinigte Staaten",
            self.US_FORMAT,
            "DE",
        )
        self.assertEqual(
            lines, ["ACME Inc.", "1 Main St", "San Francisco CA 94105", "VEREINIGTE STAATEN"]
        )

    def test_czech_recipient_from_germany(self):
        lines = address_block(
            ["Příklad s.r.o.", "Jiří Dvořák"],
            {"street": "Václavské náměstí 1", "zip": "110 00", "city": "Praha 1"},
            "CZ",
            "Tschechien",
            self.DE_FORMAT,
            "DE",
        )
        self.assertEqual(
            lines,
            [
                "Příklad s.r.o.",
                "Jiří Dvořák",
                "Václavské náměstí 1",
                "110 00 Praha 1",
                "TSCHECHIEN",
            ],
        )

    def test_postcode_first_where_odoo_has_no_format(self):
        """Odoo 19 gives CZ (and PL, SK, HU...) the generic US-style format; the post there
        wants the postcode before the town."""
        generic = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"
        lines = address_block(
            ["Příklad s.r.o."],
            {"street": "Náměstí 1", "zip": "602 00", "city": "Brno"},
            "CZ",
            "Česko",
            generic,
            "CZ",
        )
        self.assertEqual(lines, ["Příklad s.r.o.", "Náměstí 1", "602 00 Brno"])
        us = address_block(
            ["ACME"],
            {"street": "1 Main St", "zip": "10001", "city": "New York", "state_code": "NY"},
            "US",
            "USA",
            generic,
            "US",
        )
        self.assertEqual(us, ["ACME", "1 Main St", "New York NY 10001"])
