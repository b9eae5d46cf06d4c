"""A letter photographed and uploaded on a phone and an iPad, and the same upload on a
desktop (issue 20)."""

import base64

from odoo.tests import HttpCase, tagged

from ..models.crm_scan_document import KANBAN_STATE_ORDER
from . import pages


class PhoneUploadMixin:
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own by default

    def test_kanban_opens_on_what_needs_review(self):
        """A phone shows the kanban's first column: the documents to review, not the filed
        ones (PostgreSQL's alphabetical order of the state keys put "Filed" first)."""
        # (the web client's kanban asks with read_group_expand, which applies group_expand)
        Document = self.env["crm.scan.document"].with_context(read_group_expand=True)
        groups = Document.formatted_read_group([], ["state"], ["__count"])
        states = [group["state"] for group in groups]
        self.assertIn("needs_review", states, "the demo has documents to review")
        self.assertIn("done", states, "the demo has filed documents")
        self.assertEqual(states, [s for s in KANBAN_STATE_ORDER if s in states])
        self.assertEqual(states[0], "needs_review")

    def test_phone_upload_tour(self):
        partner = {"name": "Foto Kunde GmbH", "street": "Lindenweg 3", "zip": "01099",
                   "city": "Dresden"}  # fmt: skip
        image = pages.render_page(pages.letter(partner, "77124", None), height=900, noise=0.01)
        attachment = self.env["ir.attachment"].create(
            {"name": "brief_foto.png", "datas": base64.b64encode(pages.to_png(image)),
             "public": True}
        )  # fmt: skip
        self.env["ir.model.data"].create(
            {"module": "crm_scan", "name": "tour_phone_photo", "model": "ir.attachment",
             "res_id": attachment.id}
        )  # fmt: skip
        self.start_tour(
            "/odoo/action-crm_scan.crm_scan_upload_action", "crm_scan_phone_upload_tour",
            login="admin",
        )  # fmt: skip
        doc = self.env["crm.scan.document"].search([("name", "=", "brief_foto")])
        self.assertEqual(len(doc), 1)
        self.assertEqual(doc.attachment_id.raw[:8], b"\x89PNG\r\n\x1a\n", "the photo as sent")


@tagged("post_install", "-at_install")
class TestPhoneUpload(PhoneUploadMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestTabletUpload(PhoneUploadMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestDesktopUpload(PhoneUploadMixin, HttpCase):
    """The same upload form on a desktop (1440x900): the daily tours run at all three sizes."""

    browser_size = "1440x900"
