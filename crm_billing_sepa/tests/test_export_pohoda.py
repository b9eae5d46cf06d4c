import base64
import datetime
import io
import zipfile
from decimal import Decimal

from lxml import etree

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_core.tests import pohoda_xsd
from odoo.addons.crm_core.tools.boundary import ArgumentError
from odoo.addons.crm_core.tools.formats import pohoda as pohoda_book
from odoo.addons.crm_core.tools.state import StateError

NS = pohoda_book.NS
NOV_1 = datetime.date(2026, 11, 1)
NOV_30 = datetime.date(2026, 11, 30)


@tagged("post_install", "-at_install")
class TestPohodaExport(AccountTestInvoicingCommon):
    """The Czech company (Czech chart) hands its invoices and address book to POHODA."""

    chart_template = "cz"
    country_code = "CZ"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({"name": "Labe Obchod s.r.o.", "company_registry": "27082440"})
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-11-01",
                "rate": 1 / 25.0,
                "currency_id": cls.eur.id,
                "company_id": cls.company.id,
            }
        )
        own_bank = cls.env["res.partner.bank"].create(
            {"acc_number": "CZ6508000000192000145399", "partner_id": cls.company.partner_id.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Stavebniny Dvořák s.r.o.",
                "is_company": True,
                "street": "Vinohradská 12",
                "city": "Praha",
                "zip": "120 00",
                "country_id": cls.env.ref("base.cz").id,
                "company_registry": "26185610",
                "vat": "CZ26185610",
                "email": "fakturace@dvorak.example",
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Dřevo Šumava a.s.",
                "is_company": True,
                "city": "Vimperk",
                "country_id": cls.env.ref("base.cz").id,
                "bank_ids": [Command.create({"acc_number": "CZ5508000000001234567899"})],
            }
        )
        ref = cls.env["account.chart.template"].with_company(cls.company).ref
        cls.invoice = cls.make_move(
            "out_invoice",
            cls.customer,
            [
                ("Beton C25/30", 3, 1999.9, ref("l10n_cz_21_domestic_supplies")),
                ("Doprava", 1, 850.0, ref("l10n_cz_12_domestic_service")),
            ],
            partner_bank_id=own_bank.id,
        )
        cls.refund = cls.make_move(
            "out_refund",
            cls.customer,
            [("Vrácení palet", 2, 150.0, ref("l10n_cz_21_domestic_supplies"))],
        )
        cls.bill = cls.make_move(
            "in_invoice",
            cls.supplier,
            [("Řezivo", 10, 420.0, ref("l10n_cz_21_receipt_domestic_supplies"))],
            ref="FV-2026-0815",
            partner_bank_id=cls.supplier.bank_ids.id,
        )
        cls.euro_invoice = cls.make_move(
            "out_invoice",
            cls.customer,
            [("Montáž", 2, 100.0, ref("l10n_cz_21_domestic_services"))],
            currency_id=cls.eur.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="pohoda_accountant",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def make_move(cls, move_type, partner, lines, **values):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": datetime.date(2026, 11, 12),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": name,
                            "quantity": qty,
                            "price_unit": price,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for name, qty, price, tax in lines
                ],
                **values,
            }
        )
        move.action_post()
        return move

    def export(self, user=None, **kw):
        result = (
            self.env["crm.pohoda.export"]
            .with_user(user or self.accountant)
            .export_period(NOV_1, NOV_30, **kw)
        )
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(result["file"]))) as archive:
            return result, {name: archive.read(name) for name in archive.namelist()}

    def invoices(self, data):
        root = etree.fromstring(data)
        return {
            element.findtext(
                "inv:invoiceHeader/inv:number/typ:numberRequested", namespaces=NS
            ): element
            for element in root.iterfind(".//inv:invoice", NS)
        }

    def test_files_valid_against_stormware_schemas(self):
        result, files = self.export()
        self.assertEqual(
            sorted(files), ["adresar.xml", "prijate_faktury.xml", "vydane_faktury.xml"]
        )
        for name, data in files.items():
            self.assertTrue(data.startswith(b"<?xml version='1.0' encoding='Windows-1250'?>"), name)
            self.assertEqual(pohoda_xsd.errors(data), [], name)
        self.assertIn("Stavebniny Dvořák".encode("cp1250"), files["vydane_faktury.xml"])
        self.assertEqual((result["invoices"], result["addresses"]), (4, 2))
        # the validator fails on a file that breaks the schema
        broken = files["vydane_faktury.xml"].replace(b"<inv:rateVAT>high", b"<inv:rateVAT>top", 1)
        self.assertTrue(pohoda_xsd.errors(broken))

    def test_issued_invoice_content(self):
        _result, files = self.export()
        invoices = self.invoices(files["vydane_faktury.xml"])
        element = invoices[self.invoice.name]
        header = element.find("inv:invoiceHeader", NS)
        self.assertEqual(header.findtext("inv:invoiceType", namespaces=NS), "issuedInvoice")
        self.assertTrue(header.findtext("inv:symVar", namespaces=NS).isdigit())
        address = header.find("inv:partnerIdentity/typ:address", NS)
        self.assertEqual(address.findtext("typ:ico", namespaces=NS), "26185610")
        self.assertEqual(address.findtext("typ:dic", namespaces=NS), "CZ26185610")
        self.assertEqual(
            header.findtext("inv:account/typ:accountNo", namespaces=NS), "19-2000145399"
        )
        self.assertEqual(header.findtext("inv:account/typ:bankCode", namespaces=NS), "0800")
        rates = [
            i.findtext("inv:rateVAT", namespaces=NS)
            for i in element.iterfind(".//inv:invoiceItem", NS)
        ]
        self.assertEqual(rates, ["high", "low"])
        home = element.find("inv:invoiceSummary/inv:homeCurrency", NS)
        totals = {child.tag.split("}")[1]: Decimal(child.text) for child in home}
        tax_21 = sum(x.balance for x in self.invoice.line_ids if x.tax_line_id.amount == 21)
        self.assertEqual(totals["priceHigh"], Decimal("5999.70"))
        self.assertEqual(totals["priceHighVAT"], Decimal(str(round(-tax_21, 2))))
        self.assertEqual(totals["priceLow"], Decimal("850.00"))
        grand = sum(v for k, v in totals.items() if k.endswith("Sum") or k == "priceNone")
        self.assertEqual(grand, Decimal(str(self.invoice.amount_total)))
        credit = invoices[self.refund.name]
        self.assertEqual(
            credit.findtext("inv:invoiceHeader/inv:invoiceType", namespaces=NS),
            "issuedCreditNotice",
        )
        self.assertTrue(
            credit.findtext(
                ".//inv:invoiceSummary/inv:homeCurrency/typ:priceHigh", namespaces=NS
            ).startswith("-")
        )
        euro = invoices[self.euro_invoice.name]
        self.assertEqual(
            euro.findtext(
                ".//inv:invoiceSummary/inv:foreignCurrency/typ:currency/typ:ids", namespaces=NS
            ),
            "EUR",
        )
        self.assertEqual(
            euro.findtext(".//inv:invoiceSummary/inv:homeCurrency/typ:priceHigh", namespaces=NS),
            "5000.00",
        )

    def test_received_invoice_and_address_book(self):
        _result, files = self.export()
        bill = self.invoices(files["prijate_faktury.xml"])[self.bill.name]
        header = bill.find("inv:invoiceHeader", NS)
        self.assertEqual(header.findtext("inv:invoiceType", namespaces=NS), "receivedInvoice")
        self.assertEqual(header.findtext("inv:originalDocument", namespaces=NS), "FV-2026-0815")
        self.assertEqual(header.findtext("inv:account/typ:accountNo", namespaces=NS), "1234567899")
        contacts, problems = pohoda_book.read_addressbook(files["adresar.xml"])
        self.assertEqual(problems, [])
        self.assertEqual(
            sorted(c.name for c in contacts), ["Dřevo Šumava a.s.", "Stavebniny Dvořák s.r.o."]
        )

    def test_who_may_export_and_arguments(self):
        billing = new_test_user(
            self.env,
            login="pohoda_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.export(user=billing)
        with self.assertRaises(ArgumentError):
            self.env["crm.pohoda.export"].with_user(self.accountant).export_period(NOV_30, NOV_1)
        other = self.env["res.company"].create({"name": "Jiná firma"})
        with self.assertRaises(ArgumentError):
            self.export(company=other.id)

    def test_states_and_results_only_by_the_export(self):
        result, _files = self.export()
        export = self.env["crm.pohoda.export"].browse(result["id"]).with_user(self.accountant)
        bypass = export.with_context(crm_pohoda_export_writes=True)
        for vals in ({"state": "draft"}, {"checksum": "x"}, {"date_to": "2026-12-31"}):
            for record in (export, bypass):
                with self.assertRaises(StateError):
                    record.write(vals)
        with self.assertRaises(StateError):
            export.create({"date_from": NOV_1, "date_to": NOV_30, "state": "done"})
        self.assertEqual((export.state, export.checksum), ("done", result["checksum"]))
