import hashlib

from odoo.tests import tagged

from . import corpus
from .common import IntakeCommon


def sha256(data):
    return hashlib.sha256(data).hexdigest()


@tagged("post_install", "-at_install")
class TestOriginals(IntakeCommon):
    """The original of a scan is stored byte for byte as received, on every intake path;
    what is derived from it (OCR input, searchable PDF, preview) are other files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = corpus.originals(cls.customer_data, "10042")

    def assertOriginalsKept(self, docs, files):
        for doc, (name, data) in zip(docs, files.items(), strict=True):
            self.assertEqual(doc.attachment_id.name, name)
            self.assertEqual(sha256(doc.attachment_id.raw), sha256(data), name)
            self.assertEqual(doc.original_checksum, sha256(data), name)
            self.assertEqual(doc.original_size, len(data), name)
            self.assertTrue(doc.original_verified, name)

    def test_originals_kept_on_every_path(self):
        for path in self.PATHS:
            with self.subTest(path=path):
                docs = self.intake(path, self.files)
                self.assertOriginalsKept(docs, self.files)

    def test_multipage_tiff_read_whole_and_kept(self):
        """The 3-page A4 TIFF at 300 dpi: every page read at its own resolution, the
        customer number on page 2 counts, the original is unchanged after processing."""
        for path in ("email", "folder"):
            with self.subTest(path=path):
                files = {"three_pages.tif": self.files["three_pages.tif"]}
                [doc] = self.intake(path, files)
                self.run_processing()
                self.assertEqual(doc.page_count, 3)
                self.assertEqual(doc.pages_done, 3)
                self.assertIn("Seite 3 von 3", doc.ocr_text)
                self.assertIn("10042", doc.ocr_text)
                self.assertEqual(doc.state, "done", doc.failure_reason)
                self.assertEqual(doc.partner_id, self.customer)
                self.assertOriginalsKept([doc], files)
                # the derived files are other attachments
                self.assertTrue(doc.searchable_attachment_id.raw.startswith(b"%PDF"))
                self.assertNotEqual(doc.searchable_attachment_id, doc.attachment_id)
                self.assertTrue(doc.preview)
                self.assertNotEqual(sha256(doc.preview), doc.original_checksum)

    def test_every_kind_processed_from_its_original(self):
        docs = self.intake("rpc", self.files)
        self.run_processing()
        for doc in docs:
            self.assertEqual(doc.state, "done", (doc.name, doc.failure_reason, doc.ocr_text))
            self.assertEqual(doc.partner_id, self.customer, doc.name)
        self.assertOriginalsKept(docs, self.files)
        by_name = {doc.attachment_id.name: doc for doc in docs}
        self.assertEqual(by_name["three_pages.tif"].page_count, 3)
        self.assertEqual(by_name["scanned.pdf"].page_count, 2)
        # the full A4 page was read, not a 1920-pixel copy: its last line is there
        self.assertIn("Mit freundlichen", by_name["a4_300dpi.png"].ocr_text)

    def test_unreadable_page_never_filed_automatically(self):
        """A file whose pages could not all be read waits for review with the reason, even
        when the pages that were read name the customer exactly."""
        files = {"damaged.tif": corpus.damaged_tiff(self.customer_data, "10042")}
        [doc] = self.intake("rpc", files)
        self.run_processing()
        self.assertEqual(doc.page_count, 3)
        self.assertEqual(doc.state, "needs_review")
        self.assertEqual(doc.unread_pages, "2")
        self.assertIn("2", doc.failure_reason)
        self.assertIn("Seite 3 von 3", doc.ocr_text)
        self.assertFalse(doc.chronicle_entry_id)
        self.assertOriginalsKept([doc], files)

    def test_original_cannot_be_changed_or_removed(self):
        from odoo.exceptions import UserError  # noqa: PLC0415

        [doc] = self.intake("rpc", {"a4.png": self.files["a4_300dpi.png"]})
        original = doc.attachment_id.with_user(self.manager)
        for vals in ({"raw": b"changed"}, {"datas": "Y2hhbmdlZA=="}, {"res_id": 1}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                original.write(vals)
        with self.assertRaises(UserError):
            original.unlink()
        self.assertTrue(doc.original_verified)
