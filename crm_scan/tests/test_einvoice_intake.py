"""Received e-invoices (issue 18): an XRechnung (CII or UBL) or a ZUGFeRD/Factur-X PDF
handed in through any intake path is read from its XML (no OCR), becomes a draft vendor
bill through Odoo's own document import and is filed to the supplier (by VAT id, else by
the payee's IBAN); the original stays byte for byte."""

import hashlib

from odoo.tests import tagged

from . import einvoices
from .common import IntakeCommon


def german_iban(account):
    """A valid German IBAN of bank 370 400 44 and `account` (check digits by ISO 7064)."""
    bban = f"37040044{account:010d}"
    check = 98 - int(f"{bban}131400") % 97
    return f"DE{check:02d}{bban}"


@tagged("post_install", "-at_install")
class TestEinvoiceIntake(IntakeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "account.edi.xml.cii" not in cls.env:
            cls.skipTest(cls, "no e-invoice decoder installed (account_edi_ubl_cii)")
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Lausitzer Papier GmbH",
                "is_company": True,
                "country_id": cls.env.ref("base.de").id,
                "vat": "DE287451942",
                "supplier_rank": 1,
            }
        )
        cls.paid_supplier = cls.env["res.partner"].create(
            {"name": "Bautzener Bürobedarf KG", "is_company": True, "supplier_rank": 1}
        )
        cls.env["res.partner.bank"].create(
            {"partner_id": cls.paid_supplier.id, "acc_number": "DE80 8505 0300 3120 4789 64"}
        )

    def process(self, path, files):
        docs = self.intake(path, files)
        self.run_processing()
        return docs

    def assert_filed(self, doc, data, partner, number, net):
        self.assertEqual(doc.state, "done", doc.failure_reason)
        self.assertEqual(doc.partner_id, partner)
        self.assertEqual(doc.page_count, 0, "read from the XML, not by OCR")
        self.assertFalse(doc.searchable_attachment_id)
        self.assertEqual(doc.document_type_id.code, "invoice")
        bill = doc.move_id.sudo()
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "draft"))
        self.assertEqual(bill.partner_id, partner)
        self.assertEqual(bill.ref, number)
        self.assertEqual(bill.amount_untaxed, net)
        self.assertEqual(doc.amount, bill.amount_total)
        self.assertIn(number, doc.ocr_text)
        # the original as received, on the document; a copy of it on the bill
        original = doc.attachment_id.sudo()
        self.assertEqual(original.raw, data)
        self.assertEqual(hashlib.sha256(original.raw).hexdigest(), doc.original_checksum)
        self.assertEqual(original.res_model, "crm.scan.document")
        on_bill = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
        )
        self.assertEqual(on_bill.mapped("raw"), [data], "one copy of the original on the bill")
        self.assertTrue(doc.chronicle_entry_id)
        self.assertEqual(doc.chronicle_entry_id.partner_id, partner)

    def test_xrechnung_cii_through_every_path(self):
        for path in self.PATHS:
            with self.subTest(path):
                number = f"LP-2026-{path}"
                data = einvoices.cii(
                    number, "Lausitzer Papier GmbH", "DE287451942", "DE05850503003120478956", 250
                )
                (doc,) = self.process(path, {f"{number}.xml": data})
                self.assertEqual(doc.file_kind, "xml")
                self.assert_filed(doc, data, self.supplier, number, 250)

    def test_xrechnung_ubl_and_zugferd_pdf(self):
        ubl = einvoices.ubl(
            "LP-UBL-7", "Lausitzer Papier GmbH", "DE287451942", "DE05850503003120478956", 80
        )
        pdf = einvoices.zugferd_pdf(
            einvoices.cii(
                "LP-ZF-8", "Lausitzer Papier GmbH", "DE287451942", "DE05850503003120478956", 120
            )
        )
        doc_ubl, doc_pdf = self.process("rpc", {"LP-UBL-7.xml": ubl, "LP-ZF-8.pdf": pdf})
        self.assert_filed(doc_ubl, ubl, self.supplier, "LP-UBL-7", 80)
        self.assertEqual(doc_pdf.file_kind, "pdf")
        self.assert_filed(doc_pdf, pdf, self.supplier, "LP-ZF-8", 120)

    def test_supplier_by_iban(self):
        """An unknown VAT id, but the payee account is a known supplier's: filed to it, and
        the partner Odoo's import made of the VAT id is dropped again."""
        data = einvoices.cii(
            "BB-1", "BBK Vertrieb", "DE287451934", "DE80 8505 0300 3120 4789 64", 40
        )
        (doc,) = self.process("wizard", {"BB-1.xml": data})
        self.assert_filed(doc, data, self.paid_supplier, "BB-1", 40)
        self.assertFalse(self.env["res.partner"].search([("vat", "=", "DE287451934")]))

    def test_supplier_by_buyer_reference_through_every_path(self):
        """Neither the VAT id (unknown: Odoo's import makes a partner of it) nor the payee
        account (unknown) decides, the buyer reference (BT-10) does: the reference agreed
        with the supplier - its Leitweg-ID / buyer reference of crm_billing_sepa, or its
        creditor number in our company. Filed to it through upload, RPC, mail and the hot
        folder, the partner Odoo's import made is dropped again, the original stays byte
        for byte."""
        by_number = self.env["res.partner"].create(
            {"name": "Elbe Gebäudereinigung GmbH", "is_company": True, "supplier_rank": 1}
        )
        # the creditor number our company gave it (assigned with the supplier role)
        creditor_number = by_number.crm_creditor_number
        self.assertTrue(creditor_number)
        suppliers = [(by_number, creditor_number, "ER-1")]
        if "crm_einvoice_buyer_reference" in by_number._fields:  # crm_billing_sepa
            from odoo.addons.crm_billing_sepa.tools import leitweg_id  # noqa: PLC0415

            base = "14612000-SMDI"
            leitweg = f"{base}-{leitweg_id.check_digits(base)}"
            by_leitweg_id = self.env["res.partner"].create(
                {
                    "name": "Landesamt für Digitales Sachsen",
                    "is_company": True,
                    "crm_einvoice_public": True,
                    "crm_einvoice_buyer_reference": leitweg,
                }
            )
            # as the sender writes it: other letter case, the one Leitweg-ID
            suppliers.append((by_leitweg_id, leitweg.lower(), "LD-1"))
        seen = []
        for supplier, reference, prefix in suppliers:
            for path in self.PATHS:
                with self.subTest(supplier=supplier.name, path=path):
                    number = f"{prefix}-{path}"
                    # an account nobody has yet: the IBAN cannot decide
                    iban = german_iban(len(seen) + 5320130)
                    seen.append(iban)
                    self.assertFalse(
                        self.env["res.partner.bank"].search([("sanitized_acc_number", "=", iban)])
                    )
                    data = einvoices.cii(
                        number,
                        supplier.name,
                        "DE287451934",
                        iban,
                        75,
                        buyer_reference=reference,
                    )
                    (doc,) = self.process(path, {f"{number}.xml": data})
                    self.assert_filed(doc, data, supplier, number, 75)
                    self.assertEqual(doc.recognized["buyer_references"], [reference])
                    self.assertFalse(
                        self.env["res.partner"].search([("vat", "=", "DE287451934")]),
                        "the partner Odoo's import made of the unknown VAT id is dropped",
                    )
        # a reference that names two partners decides nothing: a person chooses
        other = self.env["res.partner"].create({"name": "Zweite Firma KG", "is_company": True})
        if "crm_einvoice_buyer_reference" in other._fields:
            other.crm_einvoice_buyer_reference = creditor_number
        else:  # without crm_billing_sepa a creditor number is the one kind of reference
            return
        data = einvoices.cii(
            "AMB-1",
            "Unbekannt GmbH",
            "DE287451934",
            german_iban(9990001),
            5,
            buyer_reference=creditor_number,
        )
        (doc,) = self.process("rpc", {"AMB-1.xml": data})
        self.assertEqual(doc.state, "needs_review")
        self.assertNotIn(doc.partner_id, by_number | other)

    def test_unknown_supplier_waits_for_review(self):
        data = einvoices.cii(
            "UN-1", "Oberlausitzer Neuware AG", "DE287451934", "DE58850503003120478972", 10
        )
        (doc,) = self.process("wizard", {"UN-1.xml": data})
        self.assertEqual(doc.state, "needs_review")
        self.assertEqual(doc.reason_code, "einvoice_new_partner")
        bill = doc.move_id.sudo()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(doc.partner_id, bill.partner_id)
        self.assertIn("Oberlausitzer Neuware AG", doc.failure_reason)
        # a retry takes the bill made before; the reviewer chooses the supplier
        doc.with_user(self.user).action_retry()
        self.run_processing()
        self.assertEqual(doc.move_id, bill)
        self.assertEqual(doc.state, "needs_review")
        doc.with_user(self.user).partner_id = self.supplier
        doc.with_user(self.user).action_confirm()
        self.assertEqual(doc.state, "done")
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertEqual(doc.move_id, bill)
        self.assertEqual(len(bill.attachment_ids.filtered(lambda a: a.raw == data)), 1)

    def test_xml_that_is_no_einvoice_fails_with_the_reason(self):
        data = b'<?xml version="1.0"?>\n<order><item>Papier</item></order>\n'
        (doc,) = self.process("rpc", {"order.xml": data})
        self.assertEqual(doc.state, "failed")
        self.assertEqual(doc.reason_code, "unsupported")
        self.assertIn("XML", doc.failure_reason)
        self.assertFalse(doc.move_id)
        self.assertEqual(doc.attachment_id.sudo().raw, data)
