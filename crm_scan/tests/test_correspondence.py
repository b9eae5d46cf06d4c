from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestScansInCorrespondence(ScanCommon):
    def test_filed_scan_in_the_correspondence(self):
        """A filed scan is listed under its customer on the date it bears (its row stands
        for the chronicle entry of the filing and the entry's attachment); one waiting for
        review is not; a user of another company sees neither."""
        attachment = self.env["ir.attachment"].create({"name": "brief.png", "raw": b"\x89PNG x"})
        doc, waiting = self.make_documents(
            [
                {
                    "name": "Lieferschein 4711",
                    "attachment_id": attachment.id,
                    "state": "needs_review",
                    "partner_id": self.customer.id,
                    "document_date": "2026-02-27",
                },
                {
                    "name": "Noch offen",
                    "attachment_id": attachment.copy().id,
                    "state": "needs_review",
                    "partner_id": self.customer.id,
                },
            ]
        )
        doc.action_confirm()
        self.assertEqual(doc.state, "done")
        Correspondence = self.env["crm.chronicle.correspondence"].with_user(self.user)
        rows = Correspondence.search([("partner_id", "=", self.customer.id)])
        [row] = rows.filtered(lambda r: r.kind == "scan")
        self.assertEqual(
            (row.res_model, row.res_id, str(row.date), row.name, row.company_id),
            (doc._name, doc.id, "2026-02-27 00:00:00", doc.name, doc.company_id),
        )
        # no entry, no attachment of its own
        self.assertFalse(rows.filtered(lambda r: r.kind == "attachment"))
        self.assertFalse(rows.filtered(lambda r: r.kind == "entry" and doc.name in r.name))
        self.assertNotIn(waiting.id, rows.mapped("res_id"))
        self.assertEqual(row.action_open()["res_id"], doc.id)
        other = self.env["res.company"].create({"name": "Andere Firma"})
        stranger = new_test_user(
            self.env,
            login="scan_stranger",
            groups="crm_core.group_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(
            Correspondence.with_user(stranger).search([("partner_id", "=", self.customer.id)])
        )
