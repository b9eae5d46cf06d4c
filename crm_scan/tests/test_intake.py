import os
import tempfile
import time
from email.message import EmailMessage

from odoo.tests import tagged

from . import pages
from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestIntake(ScanCommon):
    def test_mail_gateway_each_attachment_a_document(self):
        msg = EmailMessage()
        msg["From"] = "Scanner Büro <scanner@example.com>"
        msg["To"] = "scan@example.com"
        msg["Subject"] = "Scan 2026-03-12"
        msg["Message-Id"] = "<scan-4711@example.com>"
        msg.set_content("Scanned with the office scanner.")
        letter = self.letter_png()
        tiff = pages.to_tiff(
            [pages.render_page([f"Blatt {n}"], width=500, height=200) for n in (1, 2)]
        )
        msg.add_attachment(letter, maintype="image", subtype="png", filename="scan1.png")
        msg.add_attachment(tiff, maintype="image", subtype="tiff", filename="scan2.tif")
        thread_id = self.env["mail.thread"].message_process("crm.scan.document", msg.as_bytes())
        docs = self.Doc.search([("source", "=", "email")], order="id")
        self.assertEqual(len(docs), 2)
        self.assertEqual(docs[0].id, thread_id)
        self.assertEqual(docs.attachment_id.mapped("name"), ["scan1.png", "scan2.tif"])
        self.assertEqual(docs[0].attachment_id.raw, letter)
        self.assertEqual(docs[1].attachment_id.raw, tiff)
        self.assertEqual(set(docs.mapped("state")), {"queued"})
        self.assertIn("scanner@example.com", docs[1].message_ids[0].body)
        docs.action_process_now()
        self.assertEqual(docs[0].partner_id, self.customer)
        self.assertEqual(docs[0].state, "done", docs[0].failure_reason)
        self.assertEqual(docs[1].page_count, 2)

    def test_mail_without_attachment(self):
        msg = EmailMessage()
        msg["From"] = "scanner@example.com"
        msg["To"] = "scan@example.com"
        msg["Subject"] = "leer"
        msg["Message-Id"] = "<scan-empty@example.com>"
        msg.set_content("nothing attached")
        thread_id = self.env["mail.thread"].message_process("crm.scan.document", msg.as_bytes())
        doc = self.Doc.browse(thread_id)
        self.assertEqual(doc.state, "failed")
        self.assertIn("no attachment", doc.failure_reason)

    def test_hot_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            params = self.env["ir.config_parameter"].sudo()
            params.set_param("crm_scan.hot_folder", folder)
            files = {
                "scan1.png": self.letter_png(),
                "scan2.png": pages.to_png(pages.render_page(["Hallo"], width=300, height=100)),
                "readme.txt": b"not a scan",
                "busy.png": b"still being written",
            }
            for name, data in files.items():
                path = os.path.join(folder, name)
                with open(path, "wb") as handle:
                    handle.write(data)
                if name != "busy.png":
                    old = time.time() - 60
                    os.utime(path, (old, old))
            # a file of the same name already archived is not overwritten
            os.makedirs(os.path.join(folder, "archive"))
            with open(os.path.join(folder, "archive", "scan1.png"), "wb") as handle:
                handle.write(b"earlier")
            with self.enter_registry_test_mode():
                cron = self.env.ref("crm_scan.ir_cron_crm_scan_hot_folder").sudo()
                cron.method_direct_trigger()
            self.env.invalidate_all()
            docs = self.Doc.search([("source", "=", "folder")], order="id")
            self.assertEqual(
                sorted(docs.mapped("attachment_id.name")), ["readme.txt", "scan1.png", "scan2.png"]
            )
            self.assertEqual(sorted(os.listdir(folder)), ["archive", "busy.png", "error"])
            self.assertEqual(
                sorted(os.listdir(os.path.join(folder, "archive"))),
                ["scan1-1.png", "scan1.png", "scan2.png"],
            )
            self.assertEqual(os.listdir(os.path.join(folder, "error")), ["readme.txt"])
            with open(os.path.join(folder, "archive", "scan1-1.png"), "rb") as handle:
                self.assertEqual(handle.read(), files["scan1.png"])
            failed = docs.filtered(lambda d: d.state == "failed")
            self.assertEqual(failed.attachment_id.name, "readme.txt")
