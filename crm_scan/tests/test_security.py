from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user

from .common import ScanCommon


@tagged("post_install", "-at_install")
class TestScanSecurity(ScanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Scan Firma B"})
        cls.user_b = new_test_user(
            cls.env,
            login="scan_user_b",
            groups="crm_core.group_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.partner_b = cls.env["res.partner"].create(
            {"name": "Kunde nur B", "company_id": cls.company_b.id}
        )

        def doc(name, company, partner, state):
            return cls.Doc.create(
                {
                    "name": name,
                    "company_id": company.id,
                    "partner_id": partner.id if partner else False,
                    "state": state,
                    "ocr_text": "Rechnung Geheim",
                    "attachment_id": cls.env["ir.attachment"]
                    .create({"name": name, "raw": b"\x89PNG x"})
                    .id,
                }
            )

        cls.doc_a = doc("A", cls.env.company, cls.customer, "needs_review")
        cls.doc_b = doc("B", cls.company_b, cls.partner_b, "needs_review")
        # a document of company A about a partner that only company B may see
        # (the company check forbids creating it; data from before a partner moved company)
        cls.doc_ab = doc("AB", cls.env.company, None, "done")
        cls.env.cr.execute(
            "UPDATE crm_scan_document SET partner_id = %s WHERE id = %s",
            (cls.partner_b.id, cls.doc_ab.id),
        )
        cls.env.invalidate_all()

    def test_company_and_partner_rules(self):
        Doc = self.Doc.with_user(self.user)
        self.assertEqual(Doc.search([("name", "in", ["A", "B", "AB"])]), self.doc_a)
        with self.assertRaises(AccessError):
            self.doc_b.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            self.doc_ab.with_user(self.user).read(["name"])
        # the review queue respects companies
        queue = self.Doc.with_user(self.user_b).search([("state", "=", "needs_review")])
        self.assertEqual(queue, self.doc_b)
        # and so does the full-text search
        found = self.Doc.with_user(self.user_b).search([("text_search", "=", "geheim")])
        self.assertEqual(found, self.doc_b)

    def test_user_cannot_delete_or_configure(self):
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.scan.document.type"].with_user(self.user).create(
                {"name": "X", "code": "x"}
            )
        with self.assertRaises(AccessError):
            self.doc_a.suggestion_ids.with_user(self.user).create(
                {"document_id": self.doc_a.id, "partner_id": self.customer.id}
            )
        self.doc_a.with_user(self.manager).unlink()
