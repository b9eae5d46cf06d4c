from odoo.exceptions import AccessError, UserError
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
            return cls.make_documents(
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


@tagged("post_install", "-at_install")
class TestScanNeedToKnow(ScanCommon):
    """Who may read a scan's original, its OCR text and its evidence: the CRM users of its
    company. An internal user without CRM rights and a CRM user of another company see
    none of it - not through the document, its attachments, the filed copy, the full-text
    search or the suggestions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Scan Firma B2"})
        cls.user_b = new_test_user(
            cls.env,
            login="scan_need_b",
            groups="crm_core.group_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.plain = new_test_user(cls.env, login="scan_plain", groups="base.group_user")
        cls.doc = cls.upload([("vertraulich.png", cls.letter_png())], process_now=True)

    def test_filed_document_readable_by_crm_user_of_its_company(self):
        self.assertEqual(self.doc.state, "done", self.doc.failure_reason)
        doc = self.doc.with_user(self.user)
        self.assertIn("Kundennummer", doc.ocr_text)
        self.assertTrue(doc.attachment_id.with_user(self.user).raw)
        self.assertTrue(doc.chronicle_entry_id.attachment_ids.with_user(self.user).raw)

    def test_outsiders_see_nothing(self):
        attachments = (
            self.doc.attachment_id
            | self.doc.searchable_attachment_id
            | self.doc.chronicle_entry_id.attachment_ids
        )
        self.assertTrue(attachments)
        for user in (self.plain, self.user_b):
            with self.subTest(user=user.login):
                Doc = self.Doc.with_user(user)
                with self.assertRaises(AccessError):
                    self.doc.with_user(user).read(["ocr_text"])
                if user == self.plain:
                    with self.assertRaises(AccessError):
                        Doc.search([("text_search", "=", "Kundennummer")])
                else:
                    self.assertFalse(Doc.search([("text_search", "=", "Kundennummer")]))
                for attachment in attachments:
                    with self.assertRaises(AccessError):
                        attachment.with_user(user).read(["raw"])
                self.assertFalse(
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("id", "in", attachments.ids)])
                )
                with self.assertRaises(AccessError):
                    self.doc.suggestion_ids.with_user(user).read(["evidence"])

    def test_second_company_user_searches_only_its_own(self):
        self.assertFalse(
            self.Doc.with_user(self.user_b).search([("text_search", "=", "Kundennummer")])
        )
        self.assertFalse(
            self.env["crm.scan.suggestion"]
            .with_user(self.user_b)
            .search([("document_id", "=", self.doc.id)])
        )

    def test_upload_into_another_company_refused(self):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user_b)
            .create({"name": "b.png", "raw": self.letter_png(), "res_model": "crm.scan.upload"})
        )
        with self.assertRaises(UserError):
            wizard = (
                self.env["crm.scan.upload"]
                .with_user(self.user_b)
                .create(
                    {"attachment_ids": [(6, 0, attachment.ids)], "company_id": self.env.company.id}
                )
            )
            wizard.action_upload()
        # nor over RPC
        with self.assertRaises(UserError):
            self.Doc.with_user(self.user_b).with_company(self.company_b)._create_from_files(
                [("b.png", self.letter_png())], "upload", self.env.company
            )
