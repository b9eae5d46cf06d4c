import hashlib

from odoo.tests import tagged

from . import corpus
from .common import IntakeCommon

# what each hostile file must end as: its state and words of its reason
EXPECTED = {
    "bomb.png": ("failed", "megapixels"),
    "truncated.pdf": ("failed", "damaged"),
    "encrypted.pdf": ("failed", "password"),
    "empty.pdf": ("failed", "empty"),
    "big.tif": ("needs_review", "No customer"),
    "text.pdf": ("failed", "text file"),
    "archive.pdf": ("failed", "ZIP archive"),
}


@tagged("post_install", "-at_install")
class TestHostileFiles(IntakeCommon):
    """Oversized, corrupt, encrypted, zero-byte and mislabelled files, handed in through
    every intake path: each becomes a document in a clear state with a translated reason,
    its original kept; nothing crashes and the queue goes on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = corpus.hostile()
        cls.good = cls.letter_png()

    def check_path(self, path):
        files = dict(self.files, **{"zz_good.png": self.good})
        docs = self.intake(path, files)
        self.run_processing()
        for doc, (name, data) in zip(docs, files.items(), strict=True):
            self.assertEqual(
                hashlib.sha256(doc.attachment_id.raw or b"").hexdigest(),
                hashlib.sha256(data).hexdigest(),
                f"{path} {name}: the original is kept",
            )
            if name == "zz_good.png":
                # the queue went on past the hostile files
                self.assertEqual(doc.state, "done", doc.failure_reason)
                self.assertEqual(doc.partner_id, self.customer)
                continue
            if name == "bomb.png":
                # no preview ever decodes it: every copy of it is a plain file
                copies = self.env["ir.attachment"].search(
                    [
                        ("checksum", "=", doc.attachment_id.checksum),
                        ("res_model", "in", ("crm.scan.document", "crm.scan.upload")),
                        ("res_id", "in", [d.id for d in docs]),
                    ]
                )
                self.assertEqual(set(copies.mapped("mimetype")), {"application/octet-stream"})
            state, words = EXPECTED[name]
            self.assertEqual(doc.state, state, f"{path} {name}: {doc.failure_reason}")
            self.assertIn(words, doc.failure_reason or "", f"{path} {name}")

    def test_upload_dialog(self):
        self.check_path("wizard")

    def test_drop_and_rpc(self):
        self.check_path("rpc")

    def test_scan_to_email(self):
        self.check_path("email")

    def test_hot_folder(self):
        self.check_path("folder")

    def test_reason_translated(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.user.lang = "de_DE"
        docs = self.intake("rpc", {"archive.pdf": self.files["archive.pdf"]})
        self.assertIn("ZIP-Archiv", docs[0].with_context(lang="de_DE").failure_reason)
        self.assertIn("ZIP archive", docs[0].with_context(lang="en_US").failure_reason)
