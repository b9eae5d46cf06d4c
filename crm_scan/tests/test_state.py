from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestStateMachine(ScanCommon):
    """The state of a scanned document and what processing found change only through the
    document's actions, which check what they must; a user's write cannot skip them."""

    def setUp(self):
        super().setUp()
        stranger = {"name": "Unbekannte Handels AG", "street": "Feldweg 1", "zip": "99099",
                    "city": "Erfurt", "email": "", "phone": ""}  # fmt: skip
        self.doc = self.upload([("brief.png", self.letter_png(stranger, number=None, iban=None))])
        self.assertEqual(self.doc.state, "queued")

    def test_state_not_written_directly(self):
        for user in (self.user, self.manager):
            for state in ("done", "needs_review", "failed", "processing"):
                with self.subTest(user=user.login, state=state), self.assertRaises(UserError):
                    self.doc.with_user(user).write({"state": state})
        self.assertEqual(self.doc.state, "queued")

    def test_processing_results_not_written_directly(self):
        attachment = self.env["ir.attachment"].create({"name": "x.png", "raw": b"\x89PNG x"})
        for vals in (
            {"ocr_text": "Kundennummer: 10042"},
            {"score": 1.0},
            {"attachment_id": attachment.id},
            {"original_checksum": "0" * 64},
            {"failure_reason": "ok"},
            {"pages_done": 3},
            {"filed_date": "2026-12-01 10:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.doc.with_user(self.manager).write(vals)

    def test_create_only_through_intake(self):
        """A document made with create() could name any attachment as its original (and
        read it through the document): only the intake creates documents."""
        foreign = self.env["ir.attachment"].create(
            {"name": "salary.pdf", "raw": b"%PDF secret", "res_model": "res.users"}
        )
        for vals in (
            {"name": "x", "attachment_id": foreign.id},
            {"name": "x", "attachment_id": foreign.id, "state": "done"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.Doc.with_user(self.user).create(vals)

    def test_filing_needs_review_and_partner(self):
        doc = self.doc.with_user(self.user)
        with self.assertRaises(UserError):
            doc.action_confirm()  # still queued
        doc.action_process_now()
        self.assertEqual(doc.state, "needs_review", doc.failure_reason)
        doc.partner_id = False
        with self.assertRaises(ValidationError):
            doc.action_confirm()
        doc.partner_id = self.customer
        doc.action_confirm()
        self.assertEqual(doc.state, "done")
        # the customer of a filed document is not changed behind the chronicle's back
        with self.assertRaises(UserError):
            doc.partner_id = self.lookalike
        with self.assertRaises(UserError):
            doc.action_retry()
        # the user may still rename and re-type it
        doc.write({"name": "Brief Müller", "document_type_id": False})

    def test_process_now_only_waiting_documents(self):
        doc = self.doc.with_user(self.user)
        doc.action_process_now()
        state = doc.state
        doc.action_process_now()  # nothing to do: no error, no change
        self.assertEqual(doc.state, state)
