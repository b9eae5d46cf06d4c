import base64
import io

from PyPDF2 import PdfWriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from . import pages
from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestScanDocument(ScanCommon):
    def run_cron(self):
        # the cron runs as the scheduler runs it: its own cursor, _commit_progress after
        # each document (test mode: the cursor wraps the test transaction)
        with self.enter_registry_test_mode():
            self.env.ref("crm_scan.ir_cron_crm_scan_process").sudo().method_direct_trigger()
        self.env.invalidate_all()

    def test_upload_ocr_and_automatic_filing(self):
        data = self.letter_png(noise=0.005, angle=0.8)
        doc = self.upload([("brief.png", data)], user=self.user)
        self.assertEqual(doc.state, "queued")
        self.assertEqual(doc.attachment_id.raw, data)
        self.run_cron()
        self.assertEqual(doc.state, "done", doc.failure_reason)
        self.assertEqual(doc.partner_id, self.customer)
        self.assertGreaterEqual(doc.score, 0.8)
        self.assertEqual(doc.document_type_id.code, "invoice")
        # the original is unchanged, the searchable PDF sits beside it
        self.assertEqual(doc.attachment_id.raw, data)
        self.assertTrue(doc.searchable_attachment_id.raw.startswith(b"%PDF"))
        self.assertIn("Kundennummer", doc.ocr_text)
        kinds = {e["kind"] for e in doc.suggestion_ids[0].evidence}
        # "Kundennummer" without "Unsere" confirms a customer named otherwise (on a
        # supplier's invoice it is our number there)
        self.assertTrue({"number", "iban", "name", "phone"} <= kinds, (kinds, doc.recognized))
        self.assertIn("10042", doc.evidence_html)
        # attached to the customer and logged in its chronicle by the uploading user
        entry = doc.chronicle_entry_id
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.type_id.code, "scan")
        self.assertEqual(entry.user_id, self.user)
        self.assertEqual(entry.attachment_ids, doc.searchable_attachment_id)
        self.assertEqual(self.customer.crm_scan_document_count, 1)
        # the look-alike "Müller Bau KG" is another company: no suggestion
        self.assertNotIn(self.lookalike, doc.suggestion_ids.partner_id)
        self.assertEqual(doc.suggestion_ids[0].partner_id, self.customer)

    def test_upload_several_files_by_drop(self):
        """What the list view sends when files are dropped on it."""
        tiff = pages.to_tiff([pages.render_page(["Blatt"], width=300, height=100)] * 2)
        action = self.Doc.with_user(self.user).action_upload_files(
            [["a.png", base64.b64encode(self.letter_png()).decode()],
             ["b.tif", base64.b64encode(tiff).decode()]]
        )  # fmt: skip
        docs = self.Doc.search(action["domain"], order="id")
        self.assertEqual(docs.mapped("file_kind"), ["png", "tiff"])
        self.assertEqual(docs.attachment_id.mapped("raw")[1], tiff)
        self.assertEqual(set(docs.mapped("state")), {"queued"})
        with self.assertRaises(UserError):
            self.Doc.with_user(self.user).action_upload_files([["x.pdf", "not base64!"]])
        # a zero-byte file is a document that says so
        action = self.Doc.with_user(self.user).action_upload_files([["empty.pdf", ""]])
        empty = self.Doc.browse(action["res_id"])
        self.assertEqual(empty.state, "failed")
        self.assertIn("empty", empty.failure_reason)

    def test_resubmission(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_scan.resubmission_days", "7")
        doc = self.upload([("brief.png", self.letter_png())], process_now=True)
        self.assertEqual(doc.state, "done", doc.failure_reason)
        self.assertTrue(doc.chronicle_entry_id.resubmission_ids)

    def test_review_queue_and_choice(self):
        # no identifiers, the customer's name at another address (a namesake or a move)
        data = self.letter_png(
            partner=dict(self.customer_data, street="Postfach 9", zip="99999", city="Erfurt",
                         email="", phone=""),
            number=None,
            iban=None,
            subject="Sehr geehrte Damen und Herren",
        )  # fmt: skip
        doc = self.upload([("brief.png", data)], user=self.user, process_now=True)
        self.assertEqual(doc.state, "needs_review", doc.failure_reason)
        self.assertLess(doc.score, 0.8)
        # the reason says why: the letter gives another address than the customer's
        self.assertEqual(doc.reason_code, "elsewhere", doc.failure_reason)
        self.assertIn(self.customer.zip, doc.failure_reason)
        self.assertEqual(doc.document_type_id.code, "letter")
        suggested = doc.suggestion_ids.partner_id
        self.assertIn(self.customer, suggested)
        # "Müller Bau KG" is another company than the "Müller Bau GmbH" of the letter
        self.assertNotIn(self.lookalike, suggested)
        self.assertFalse(doc.chronicle_entry_id)
        # the user picks the customer from the ranked suggestions
        choice = doc.suggestion_ids.filtered(lambda s: s.partner_id == self.customer)
        choice.with_user(self.user).action_choose()
        self.assertEqual(doc.state, "done")
        self.assertEqual(doc.partner_id, self.customer)
        self.assertEqual(doc.filed_user_id, self.user)
        self.assertEqual(doc.chronicle_entry_id.partner_id, self.customer)
        with self.assertRaises(UserError):
            doc.action_retry()

    def test_review_reason_says_why(self):
        """The reason the review queue shows names what keeps the best match from being
        filed: another writer named, another address given, a second partner, or just
        too little evidence."""
        conflict = {"kind": "conflict", "value": "Müller Bau OHG", "weight": 0}
        elsewhere = {"kind": "elsewhere", "value": "Lindenweg 12, 80331, München", "weight": 0}
        address = {"kind": "address", "value": "Lindenweg 12", "weight": 0.6}
        name = {"kind": "name", "value": "Müller Bau GmbH", "weight": 0.75}
        cases = [
            ([address, conflict], 0.5, False, "other_writer", "Müller Bau OHG"),
            ([name, elsewhere], 0.7, False, "elsewhere", "80331"),
            ([name], 0.6, True, "runner_up", "Müller Bau KG"),
            ([name], 0.75, False, "low_confidence", "75%"),
        ]
        for evidence, score, runner_up, code, shown in cases:
            with self.subTest(code=code):
                attachment = self.env["ir.attachment"].create({"name": "r.png", "raw": b"\x89PNG"})
                doc = self.make_documents(
                    {"name": code, "attachment_id": attachment.id, "state": "processing",
                     "partner_id": self.customer.id, "score": score}
                )  # fmt: skip
                suggestions = [{"document_id": doc.id, "partner_id": self.customer.id,
                                "score": 0.75, "sequence": 0, "evidence": evidence}]  # fmt: skip
                if runner_up:
                    suggestions.append(dict(suggestions[0], partner_id=self.lookalike.id,
                                            score=0.7, sequence=1, evidence=[name]))  # fmt: skip
                self.env["crm.scan.suggestion"].create(suggestions)
                doc._auto_file()
                self.assertEqual(doc.state, "needs_review")
                self.assertEqual(doc.reason_code, code)
                self.assertIn(shown, doc.failure_reason)
                self.assertIn("Müller Bau GmbH", doc.failure_reason)

    def test_manual_type_override(self):
        doc = self.upload([("brief.png", self.letter_png())])
        contract = self.env.ref("crm_scan.crm_scan_document_type_contract")
        doc.with_user(self.user).document_type_id = contract
        self.assertTrue(doc.type_manual)
        doc.action_process_now()
        self.assertEqual(doc.document_type_id, contract)

    def test_failures_do_not_stop_the_batch(self):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.encrypt("secret")
        encrypted = io.BytesIO()
        writer.write(encrypted)
        blank = pages.to_png(pages.render_page([], width=400, height=300))
        docs = self.upload(
            [
                ("kaputt.pdf", b"%PDF-1.4\n1 0 obj garbage"),
                ("geheim.pdf", encrypted.getvalue()),
                ("notiz.docx", b"PK\x03\x04 not a scan"),
                ("leer.png", blank),
                ("gut.png", self.letter_png()),
            ]
        )
        by_name = {d.name: d for d in docs}
        self.assertEqual(by_name["notiz"].state, "failed")  # failed at intake already
        self.run_cron()
        self.assertIn("damaged", by_name["kaputt"].failure_reason)
        self.assertIn("password", by_name["geheim"].failure_reason)
        self.assertIn("ZIP archive", by_name["notiz"].failure_reason)
        self.assertIn("No text", by_name["leer"].failure_reason)
        self.assertEqual(by_name["gut"].state, "done", by_name["gut"].failure_reason)
        for doc in docs:
            self.assertTrue(doc.attachment_id.raw, "the original is never lost")
        # a failed one can be processed again
        by_name["leer"].action_retry()
        self.assertEqual(by_name["leer"].state, "queued")

    def test_mandate_reference_links_the_mandate(self):
        """A signed SEPA mandate sent back on paper: its reference names the mandate; the
        scan is filed to the customer and attached to the mandate."""
        if "crm.sepa.mandate" not in self.env:
            self.skipTest("SEPA billing (crm_billing_sepa) is not installed")
        mandate = self.env["crm.sepa.mandate"].create(
            {
                "name": "MDT-2026-00042",
                "partner_id": self.customer.id,
                "bank_account_id": self.customer.bank_ids[:1].id,
            }
        )
        data = self.letter_png(
            number=None,
            iban=None,
            subject="SEPA-Lastschriftmandat",
            extra=["Mandatsreferenz: MDT-2026-00042"],
        )
        doc = self.upload([("mandat.png", data)], user=self.user, process_now=True)
        self.assertEqual(doc.state, "done", doc.failure_reason)
        self.assertEqual(doc.partner_id, self.customer)
        self.assertEqual(doc.mandate_record, mandate)
        self.assertIn("mandate", {e["kind"] for e in doc.suggestion_ids[0].evidence})
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.sepa.mandate"), ("res_id", "=", mandate.id)]
        )
        self.assertEqual(len(attachments), 1)
        self.assertTrue(attachments.raw.startswith(b"%PDF"))
        # a mandate of another customer is not linked when the user files elsewhere
        doc2 = self.upload([("mandat2.png", data)])
        doc2._write_processing(
            {"state": "needs_review", "mandate_record": f"crm.sepa.mandate,{mandate.id}"}
        )
        doc2.with_user(self.user).partner_id = self.lookalike
        doc2.action_confirm()
        self.assertFalse(doc2.mandate_record)

    def test_long_file_in_parts_is_resumable(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_scan.pages_per_step", "2")
        images = [
            pages.render_page(
                [f"Seite {n} von 3", "Unsere Kundennummer: 10042"], width=900, height=250
            )
            for n in (1, 2, 3)
        ]
        doc = self.upload([("lang.pdf", pages.to_pdf(images, dpi=100))])
        doc.sudo()._process_step()
        self.assertEqual((doc.state, doc.page_count, doc.pages_done), ("processing", 3, 2))
        self.assertIn("Seite 2", doc.ocr_text)
        self.assertNotIn("Seite 3", doc.ocr_text)
        doc.sudo()._process_step()
        self.assertEqual(doc.pages_done, 3)
        self.assertIn(doc.state, ("done", "needs_review"))
        self.assertIn("Seite 3", doc.ocr_text)
        self.assertEqual(doc.partner_id, self.customer)
        self.assertEqual(self.env["crm.scan.document"].search([("text_search", "=", "Seite")]), doc)

    def test_missing_language(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_scan.languages", "deu+xyz")
        doc = self.upload([("brief.png", self.letter_png())], process_now=True)
        self.assertEqual(doc.state, "failed")
        self.assertIn("xyz", doc.failure_reason)

    def test_full_text_search(self):
        docs = self.make_documents(
            [
                {
                    "name": f"doc {n}",
                    "attachment_id": self.env["ir.attachment"]
                    .create({"name": f"d{n}.png", "raw": b"\x89PNG x"})
                    .id,
                    "state": "done",
                    "ocr_text": text,
                    "partner_id": partner.id,
                }
                for n, (text, partner) in enumerate(
                    [
                        ("Zahlungserinnerung für Rechnung 4711", self.customer),
                        ("Dodací list č. 55, Praha", self.lookalike),
                        ("Lieferschein 4711", self.customer),
                    ]
                )
            ]
        )
        search = self.Doc.search
        self.assertEqual(search([("text_search", "=", "zahlungserinnerung")]), docs[0])
        self.assertEqual(search([("text_search", "ilike", "4711")]), docs[2] | docs[0])
        self.assertEqual(search([("text_search", "=", "dodací list")]), docs[1])
        self.assertEqual(search([("text_search", "=", '"list č"')]), docs[1])
        # from the customer record
        action = self.customer.action_crm_scan_documents()
        self.assertEqual(
            search(action["domain"] + [("text_search", "=", "4711")]), docs[2] | docs[0]
        )
        # the stored tsvector follows every write of the text
        docs[1]._write_processing({"ocr_text": "Mahnung 99"})
        self.assertEqual(search([("text_search", "=", "dodací")]), self.Doc)
        self.assertEqual(search([("text_search", "=", "mahnung")]), docs[1])

    def test_full_text_of_a_huge_file(self):
        """More distinct words than a tsvector holds (OCR noise of hundreds of pages):
        the text is kept whole, the words of its first 300,000 characters are found."""
        text = " ".join(f"wort{n}x" for n in range(200_000))
        doc = self.make_documents(
            {
                "name": "huge",
                "attachment_id": self.env["ir.attachment"]
                .create({"name": "huge.png", "raw": b"\x89PNG x"})
                .id,
                "ocr_text": text,
            }
        )
        self.assertEqual(len(doc.ocr_text), len(text))
        self.assertEqual(self.Doc.search([("text_search", "=", "wort7x")]), doc)
        self.assertEqual(self.Doc.search([("text_search", "=", "wort199999x")]), self.Doc)

    def test_cockpit_count_is_the_list_it_opens(self):
        """The Scans button of a customer and of its contact person counts the documents
        the list then shows (the customer's and its contacts')."""
        contact = self.env["res.partner"].create(
            {"name": "Anna Müller", "parent_id": self.customer.id}
        )
        attachment = self.env["ir.attachment"].create({"name": "c.png", "raw": b"\x89PNG c"})
        self.make_documents(
            [
                {"name": "an den Kunden", "attachment_id": attachment.id, "state": "done",
                 "partner_id": self.customer.id},
                {"name": "an die Ansprechpartnerin", "attachment_id": attachment.id,
                 "state": "needs_review", "partner_id": contact.id},
            ]
        )  # fmt: skip
        for partner in (self.customer, contact):
            partner = partner.with_user(self.user)
            action = partner.action_crm_scan_documents()
            listed = self.Doc.with_user(self.user).search_count(action["domain"])
            self.assertEqual(partner.crm_scan_document_count, listed, partner.name)
            self.assertEqual(listed, 2)
