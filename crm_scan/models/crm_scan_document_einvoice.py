import hashlib
import logging

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# where an e-invoice names the account the supplier is paid to: UBL (XRechnung, Peppol),
# CII (XRechnung, ZUGFeRD/Factur-X), ISDOC
PAYEE_IBAN_XPATH = (
    "//*[local-name()='PayeeFinancialAccount']/*[local-name()='ID']"
    " | //*[local-name()='PayeePartyCreditorFinancialAccount']/*[local-name()='IBANID']"
    " | //*[local-name()='PaymentMeans']//*[local-name()='IBAN']"
)
# the buyer reference (BT-10) of UBL and CII: the reference the buyer gave the supplier for
# its e-invoices - a public buyer's Leitweg-ID, a company's own reference for the supplier
BUYER_REFERENCE_XPATH = "//*[local-name()='BuyerReference']"


class CrmScanDocument(models.Model):
    """E-invoices among the documents: an XRechnung (UBL or CII), an ISDOC file or a
    ZUGFeRD/Factur-X PDF is read from its XML, not by OCR. Odoo's own document import (the
    decoders of the installed modules: account_edi_ubl_cii, ISDOC from crm_billing_sepa)
    makes a draft vendor bill from a copy of the original; the document is filed to the
    bill's supplier (by VAT id, Peppol address, name, e-mail or phone as Odoo finds it,
    else by the payee's IBAN, else by the buyer reference agreed with it) and linked to the
    bill. The original stays as received."""

    _inherit = "crm.scan.document"

    def _einvoice_files(self):
        """The e-invoices in the original as Odoo's document import sees them (the file
        itself or the XML embedded in a PDF) that an installed decoder reads."""
        Move = self.env["account.move"]
        files = Move._to_files_data(self.attachment_id.sudo())
        files += Move._unwrap_attachments(files)
        return [
            file_data
            for file_data in files
            if file_data.get("xml_tree") is not None
            and (Move._get_edi_decoder(file_data, new=True) or {}).get("priority", 0) > 0
        ]

    def _import_einvoice(self):
        """Make the draft vendor bill of an e-invoice and file the document. Returns
        whether the document was an e-invoice (then OCR is not needed); never raises."""
        self.ensure_one()
        if self.file_kind not in ("xml", "pdf"):
            return False
        original = self.attachment_id.sudo().raw or b""
        if hashlib.sha256(original).hexdigest() != self.original_checksum:
            return False  # the OCR step names it
        try:
            einvoices = self._einvoice_files()
        except Exception as exc:  # noqa: BLE001 - a damaged file is read by OCR or fails there
            _logger.info("scanned document %s: no e-invoice read: %s", self.id, exc)
            einvoices = []
        if not einvoices:
            if self.file_kind == "xml":
                self._fail("unsupported", what="xml")
                return True
            return False
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        last_partner_id = Partner.search([], order="id desc", limit=1).id
        try:
            bill = self._einvoice_bill()
        except (UserError, ValidationError) as exc:
            self._fail("error", str(exc))
            return True
        partner = bill.commercial_partner_id
        ibans = sorted(
            {
                "".join(node.text.split()).upper()
                for file_data in einvoices
                for node in file_data["xml_tree"].xpath(PAYEE_IBAN_XPATH)
                if node.text and node.text.strip()
            }
        )
        # Odoo's import makes a partner of an unknown supplier with a VAT id (made now, or
        # when the document was read before): a known one paid to the same IBAN is the
        # supplier, else a person checks the new one
        made_before = (self.recognized or {}).get("einvoice_new_partner")
        created = partner if partner.id > last_partner_id or partner.id == made_before else Partner
        references = sorted(
            {
                " ".join(node.text.split())
                for file_data in einvoices
                for node in file_data["xml_tree"].xpath(BUYER_REFERENCE_XPATH)
                if node.text and node.text.strip()
            }
        )
        if not partner or created:
            partner = (
                self._einvoice_partner_by_iban(ibans, bill)
                or self._einvoice_partner_by_reference(references, bill)
                or partner
            )
            if created and partner != created:
                self._einvoice_drop_partner(created)
                created = Partner
        self._write_processing(
            {
                "page_count": 0,
                "pages_done": 0,
                "move_id": bill.id,
                "ocr_text": self._einvoice_text(bill),
                "document_date": bill.invoice_date,
                "amount": bill.amount_total,
                "score": 1.0 if partner and not created else 0.0,
                "recognized": {
                    "ibans": ibans,
                    "buyer_references": references,
                    "vats": [bill.partner_id.vat] if bill.partner_id.vat else [],
                    "invoices": [[bill.ref, "own"]] if bill.ref else [],
                    "amounts": [[bill.amount_total, bill.currency_id.name]],
                    "einvoice_new_partner": created.id,
                },
            }
        )
        if not self.type_manual:
            self.sudo().document_type_id = self.env.ref("crm_scan.crm_scan_document_type_invoice")
        if partner and not created:
            self._file(partner, auto=True)
        elif created:
            self._write_processing(
                {
                    "partner_id": created.id,
                    "state": "needs_review",
                    "reason_code": "einvoice_new_partner",
                    "reason_args": {"bill": bill.display_name, "partner": created.display_name},
                }
            )
        else:
            self._write_processing(
                {
                    "state": "needs_review",
                    "reason_code": "einvoice_no_partner",
                    "reason_args": {"bill": bill.display_name},
                }
            )
        return True

    def _file(self, partner, auto=False):
        """An e-invoice's document (no pages: read from its XML) is filed with its draft
        vendor bill: the bill takes the supplier chosen here, and keeps the copy of the
        original it was made from (no second copy)."""
        bill = self.sudo().move_id
        if self.page_count or not bill or bill.move_type not in ("in_invoice", "in_refund"):
            return super()._file(partner, auto=auto)
        partner = partner.commercial_partner_id
        if bill.state == "draft" and partner and bill.commercial_partner_id != partner:
            bill.partner_id = partner
        if bill.commercial_partner_id != partner:
            return super()._file(partner, auto=auto)
        self._write_processing({"move_id": False})
        result = super()._file(partner, auto=auto)
        self._write_processing({"move_id": bill.id})
        return result

    def _einvoice_drop_partner(self, partner):
        """Remove the partner Odoo's import made when the supplier turned out to be known
        (kept when something already refers to it)."""
        try:
            with self.env.cr.savepoint():
                partner.unlink()
        except Exception:  # noqa: BLE001 - a partner still referred to stays
            _logger.info("scanned document %s: partner %s kept", self.id, partner.id)

    def _einvoice_bill(self):
        """The draft vendor bill of this e-invoice (sudo: the intake makes it for whoever
        handed the file in), made by Odoo's document import in the document's company from
        a copy of the original (a retry takes the one made before)."""
        if (
            self.sudo().move_id
            and self.move_id.state == "draft"
            and self.move_id.move_type in ("in_invoice", "in_refund")
        ):
            return self.sudo().move_id
        company = self.company_id
        Journal = self.env["account.journal"].sudo().with_company(company)
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "purchase")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Scanned document %(doc)s is an e-invoice, but company %(company)s has no "
                    "purchase journal for its vendor bill.",
                    doc=self.name,
                    company=company.name,
                )
            )
        original = self.attachment_id.sudo()
        copy = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": original.name,
                    "raw": original.raw,
                    "mimetype": original.mimetype,
                    "company_id": company.id,
                }
            )
        )
        bill = journal.with_context(
            default_move_type="in_invoice", allowed_company_ids=company.ids
        )._create_document_from_attachment(copy.ids)
        bill = bill[:1]
        bill.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Made from the scanned e-invoice %(doc)s.", doc=self.name)
        )
        return bill

    def _einvoice_partner_by_iban(self, ibans, bill):
        """The supplier whose bank account is the e-invoice's payee account (when Odoo's
        import found no partner by VAT id, name, e-mail or phone); set on the bill."""
        if not ibans:
            return self.env["res.partner"]
        Bank = self.env["res.partner.bank"].sudo()
        banks = Bank.search(
            [
                *Bank._check_company_domain(self.company_id),
                ("sanitized_acc_number", "in", ibans),
            ]
        )
        partner = banks.partner_id.commercial_partner_id
        if len(partner) != 1:  # none, or the account of several: a person decides
            return self.env["res.partner"]
        bank = banks.filtered(lambda b: b.partner_id.commercial_partner_id == partner)[:1]
        if partner:
            bill.sudo().write({"partner_id": partner.id, "partner_bank_id": bank.id})
        return partner

    def _einvoice_partner_by_reference(self, references, bill):
        """The supplier the e-invoice's buyer reference (BT-10) names, when neither its VAT
        id nor its payee account decided: the reference agreed with that partner for
        e-invoices (its Leitweg-ID / buyer reference, a field of crm_billing_sepa when that
        addon is installed) or its creditor number in the document's company. Only a
        reference that names exactly one partner decides; set on the bill."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if not references:
            return Partner
        company = self.company_id
        numbers = (
            self.env["crm.partner.number"]
            .sudo()
            .search(
                [
                    ("kind", "=", "creditor"),
                    ("company_id", "=", company.id),
                    ("name", "in", references),
                ]
            )
        )
        partners = numbers.partner_id
        if "crm_einvoice_buyer_reference" in Partner._fields:
            partners |= Partner.search(
                Domain.AND(
                    [
                        Partner._check_company_domain(company),
                        Domain.OR(
                            [
                                Domain("crm_einvoice_buyer_reference", "=ilike", reference)
                                for reference in references
                            ]
                        ),
                    ]
                )
            )
        partner = partners.commercial_partner_id
        if len(partner) != 1:  # none, or several: a person decides
            return Partner.browse()
        bill.sudo().partner_id = partner
        return partner

    def _einvoice_text(self, bill):
        """What the document says, for the full-text search (there is no OCR text)."""
        bill = bill.sudo()
        return "\n".join(
            filter(
                None,
                [
                    bill.partner_id.name,
                    bill.partner_id.vat,
                    bill.ref,
                    bill.invoice_date and str(bill.invoice_date),
                    bill.currency_id.format(bill.amount_total),
                    *bill.invoice_line_ids.mapped("name"),
                ],
            )
        )
