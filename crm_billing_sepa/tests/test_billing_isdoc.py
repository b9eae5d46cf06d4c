import base64
import datetime

from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged

from ..tools import isdoc
from .common_einvoice import InvoicingCompanyCase

OWN_IBAN_CZ = "CZ6508000000192000145399"


@tagged("post_install", "-at_install")
class TestIsdoc(InvoicingCompanyCase):
    """A Czech company on the Czech chart (l10n_cz) in CZK exports its invoices and credit
    notes as ISDOC 6.0.2, valid against the ISDOC XSD, and imports received ones as vendor
    bills."""

    chart_template = "cz"
    country_code = "CZ"  # the company's country and its currency (CZK)
    company_name = "Morava Obchod s.r.o."
    company_address = {
        "street": "Údolní 53",
        "zip": "602 00",
        "city": "Brno",
        "vat": "CZ25596641",
        "company_registry": "25596641",
        "phone": "+420 541 123 456",
        "email": "fakturace@morava-obchod.example",
    }
    own_iban = OWN_IBAN_CZ

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cz = cls.env.ref("base.cz")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Strojírny Plzeň s.r.o.",
                "is_company": True,
                "street": "Tylova 1/57",
                "zip": "301 00",
                "city": "Plzeň",
                "country_id": cls.cz.id,
                "vat": "CZ49240901",
                "company_registry": "49240901",
                "email": "ucetni@strojirny-plzen.example",
            }
        )
        taxes = cls.env["account.tax"].search(
            [("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale")]
        )
        cls.tax_21 = taxes.filtered(lambda t: t.amount == 21)[:1]
        cls.tax_12 = taxes.filtered(lambda t: t.amount == 12)[:1]
        cls.today = datetime.date(2026, 3, 2)

    def _invoice(self, move_type="out_invoice", currency=None, **kw):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer.id,
                "invoice_date": self.today,
                "currency_id": (currency or self.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Servis obráběcího stroje",
                            "quantity": 3.5,
                            "price_unit": 1250.0,
                            "tax_ids": [Command.set(self.tax_21.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Technická příručka",
                            "quantity": 2,
                            "price_unit": 399.9,
                            "tax_ids": [Command.set(self.tax_12.ids)],
                        }
                    ),
                ],
                **kw,
            }
        )
        move.action_post()
        return move

    def _valid(self, move):
        document = move._crm_einvoice_xml("isdoc")
        report = self.validator.validate(document["content"])
        self.assertEqual(report.syntax, "isdoc")
        self.assertFalse(report.findings, str(report))
        return etree.fromstring(document["content"])

    def _text(self, tree, path):
        return tree.findtext("/".join(f"{{{isdoc.NAMESPACE}}}{p}" for p in path.split("/")))

    def test_invoice_valid_with_czech_data(self):
        move = self._invoice()
        self.assertEqual(move._crm_einvoice_kinds(), ["isdoc", "facturx"])
        tree = self._valid(move)
        self.assertEqual(tree.get("version"), "6.0.2")
        self.assertEqual(self._text(tree, "DocumentType"), "1")
        self.assertEqual(self._text(tree, "LocalCurrencyCode"), "CZK")
        self.assertEqual(
            self._text(tree, "AccountingSupplierParty/Party/PartyIdentification/ID"), "25596641"
        )
        self.assertEqual(
            self._text(tree, "AccountingCustomerParty/Party/PartyTaxScheme/CompanyID"),
            "CZ49240901",
        )
        self.assertEqual(
            self._text(tree, "LegalMonetaryTotal/TaxInclusiveAmount"), f"{move.amount_total:.2f}"
        )
        self.assertEqual(self._text(tree, "PaymentMeans/Payment/Details/ID"), "19-2000145399")
        self.assertEqual(self._text(tree, "PaymentMeans/Payment/Details/BankCode"), "0800")
        # the same UUID in every download
        self.assertEqual(self._text(self._valid(move), "UUID"), self._text(tree, "UUID"))
        values = isdoc.read(move._crm_einvoice_xml("isdoc")["content"])
        self.assertEqual(
            values["totals"]["inclusive"],
            round(__import__("decimal").Decimal(str(move.amount_total)), 2),
        )

    def test_facturx_of_the_czech_company_passes_en16931(self):
        """The ZUGFeRD/Factur-X CII (profile EN 16931) of the Czech company's invoices and
        credit notes, in CZK and in euros, passes XSD and the EN 16931 rules with no error
        and no warning (the XRechnung rules are German and not applied)."""
        invoice = self._invoice()
        euro = self.env.ref("base.EUR")
        euro.active = True
        moves = (
            invoice | self._invoice(currency=euro) | invoice._reverse_moves([{"ref": "Dobropis"}])
        )
        moves.filtered(lambda m: m.state == "draft").action_post()
        failures = []
        for move in moves:
            self.assertEqual(move._crm_einvoice_kinds(), ["isdoc", "facturx"])
            document = move._crm_einvoice_xml("facturx")
            report = self.validator.validate(document["content"], xrechnung=False)
            self.assertEqual(report.syntax, "cii")
            if report.findings or document["errors"]:
                failures.append(f"{move.name}: {document['errors']}\n{report}")
        self.assertFalse(failures, "\n".join(failures))

    def test_credit_note_positive_with_original_invoice(self):
        invoice = self._invoice()
        refund = invoice._reverse_moves([{"ref": "Dobropis"}])
        refund.action_post()
        tree = self._valid(refund)
        self.assertEqual(self._text(tree, "DocumentType"), "2")
        self.assertEqual(
            self._text(tree, "OriginalDocumentReferences/OriginalDocumentReference/ID"),
            invoice.name,
        )
        self.assertEqual(
            self._text(tree, "LegalMonetaryTotal/TaxInclusiveAmount"), f"{refund.amount_total:.2f}"
        )
        self.assertIsNone(tree.find(f"{{{isdoc.NAMESPACE}}}TaxPointDate"))

    def test_invoice_in_euro(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "rate": 0.04,
                "currency_id": eur.id,
                "company_id": self.company.id,
            }
        )
        move = self._invoice(currency=eur)
        tree = self._valid(move)
        self.assertEqual(self._text(tree, "ForeignCurrencyCode"), "EUR")
        self.assertEqual(self._text(tree, "CurrRate"), "25")
        self.assertEqual(
            self._text(tree, "LegalMonetaryTotal/TaxInclusiveAmountCurr"),
            f"{move.amount_total:.2f}",
        )

    def test_free_text_with_control_characters(self):
        self.customer.name = "Strojírny\x0b Plzeň\u200b s.r.o."
        move = self._invoice()
        move.invoice_line_ids[0].name = "Servis\x00 & <opravy>"
        tree = self._valid(move)
        self.assertEqual(
            self._text(tree, "AccountingCustomerParty/Party/PartyName/Name"),
            "Strojírny Plzeň s.r.o.",
        )

    def test_import_vendor_bill(self):
        supplier = self.env["res.partner"].create(
            {"name": "Dodavatel Olomouc a.s.", "is_company": True, "vat": "CZ00064581"}
        )
        party = {
            "id": "00064581",
            "name": "Dodavatel Olomouc a.s.",
            "street": "Horní náměstí 583",
            "city": "Olomouc",
            "zip": "779 00",
            "country_code": "CZ",
            "country_name": "Česko",
            "vat": "CZ00064581",
        }
        us = {**party, "id": "25596641", "name": "Morava Obchod s.r.o.", "vat": "CZ25596641"}
        content = isdoc.write(
            {
                "document_type": isdoc.INVOICE,
                "id": "2026000123",
                "uuid": "6f1c9c2e-9b8e-4c1e-8a7d-1f2e3d4c5b6a",
                "issue_date": self.today,
                "tax_point_date": self.today,
                "local_currency": "CZK",
                "supplier": party,
                "customer": us,
                "lines": [
                    {
                        "quantity": 4,
                        "unit_code": "C62",
                        "description": "Kancelářský papír A4",
                        "percent": 21,
                        "amount": 400,
                        "amount_tax_inclusive": 484,
                        "tax_amount": 84,
                        "unit_price": 100,
                        "unit_price_tax_inclusive": 121,
                    }
                ],
                "tax_subtotals": [{"percent": 21, "taxable": 400, "tax": 84}],
                "totals": {"exclusive": 400, "inclusive": 484, "payable": 484},
                "payment": {
                    "amount": 484,
                    "due_date": self.today + datetime.timedelta(days=14),
                    "account": "1234567899",
                    "bank_code": "0100",
                    "bank_name": "Komerční banka",
                    "iban": "CZ9501000000001234567899",
                    "bic": "KOMBCZPP",
                    "variable_symbol": "2026000123",
                },
            }
        )
        self.assertFalse(self.validator.validate(content).findings)
        attachment = self.env["ir.attachment"].create(
            {
                "name": "faktura-2026000123.isdoc",
                "raw": content,
                "mimetype": "application/octet-stream",
            }
        )
        bill = self.env["account.move"]._crm_isdoc_import_bill(attachment)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, supplier)
        self.assertEqual(bill.ref, "2026000123")
        self.assertEqual(bill.payment_reference, "2026000123")
        self.assertEqual(bill.invoice_date_due, self.today + datetime.timedelta(days=14))
        self.assertEqual(bill.amount_untaxed, 400)
        self.assertEqual(bill.amount_total, 484)
        self.assertEqual(bill.invoice_line_ids.tax_ids.amount, 21)
        self.assertEqual(bill.partner_bank_id.sanitized_acc_number, "CZ9501000000001234567899")
        self.assertEqual(bill.partner_bank_id.partner_id, supplier)
        self.assertEqual(attachment.raw, content)  # the original as received
        self.assertEqual(bill.state, "draft")

    def test_import_refuses_broken_files_with_a_reason(self):
        for name, raw in (
            ("broken.isdoc", b"<Invoice xmlns='http://isdoc.cz/namespace/2013'><ID>1</ID>"),
            (
                "empty-lines.isdoc",
                b"<Invoice xmlns='http://isdoc.cz/namespace/2013' version='6.0.2'/>",
            ),
        ):
            attachment = self.env["ir.attachment"].create({"name": name, "raw": raw})
            bill = self.env["account.move"]._crm_isdoc_import_bill(attachment)
            self.assertFalse(bill.invoice_line_ids)
            self.assertEqual(attachment.raw, raw)

    def test_download_route_and_access(self):
        move = self._invoice()
        action = move.action_crm_einvoice_download("isdoc")
        self.assertEqual(action["url"], f"/account/download_invoice_documents/{move.id}/crm_isdoc")
        document = move._get_invoice_legal_documents("crm_isdoc")
        self.assertEqual(base64.b64encode(document["content"])[:4], b"PD94")  # <?xm
