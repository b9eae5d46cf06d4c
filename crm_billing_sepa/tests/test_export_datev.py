import base64
import datetime
import io
import zipfile
from decimal import Decimal

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_core.tools.boundary import ArgumentError
from odoo.addons.crm_core.tools.formats import datev as extf
from odoo.addons.crm_core.tools.state import StateError

from ..tools import datev as datev_tools

NOV_1 = datetime.date(2026, 11, 1)
NOV_30 = datetime.date(2026, 11, 30)


def unzip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class DatevCase(AccountTestInvoicingCommon):
    """A German company on SKR03 with customers, a supplier and a month of bookings:
    invoices with automatic and ordinary revenue accounts, 19 % and 7 %, a credit note, a
    vendor bill, an intra-EU supply, a payment, a SEPA batch booking of two customers, a
    return with fee, bank charges; a second company with its own invoice."""

    chart_template = "de_skr03"
    country_code = "DE"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "name": "Elbtal Buchhaltung GmbH",
                "crm_datev_consultant_number": 1234567,
                "crm_datev_client_number": 10001,
                "tax_calculation_rounding_method": "round_globally",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": 'Müller & "Söhne" GmbH',
                "is_company": True,
                "street": "Königsbrücker Straße 12",
                "zip": "01099",
                "city": "Dresden",
                "country_id": cls.env.ref("base.de").id,
                "vat": "DE123456788",
                "email": "buchhaltung@mueller.example",
                "bank_ids": [Command.create({"acc_number": "DE02120300000000202051"})],
            }
        )
        cls.eu_customer = cls.env["res.partner"].create(
            {
                "name": "Jana Dvořáková",
                "city": "Praha",
                "country_id": cls.env.ref("base.cz").id,
                "vat": "CZ7103192745",
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Papier Lieferant KG", "is_company": True, "city": "Leipzig"}
        )
        cls.invoices = cls.env["account.move"]
        cls.inv_main = cls.make_invoice(
            "out_invoice",
            cls.customer,
            [("8400", "tax_ust_19_skr03", 100.0), ("8300", "tax_ust_7_skr03", 50.0)]
            + [("8200", "tax_ust_19_skr03", 33.33)] * 3,
            day=3,
        )
        # two revenue accounts with 19 %: Odoo rounds the tax over the invoice, DATEV per
        # booking -> a cent of tax rounding
        cls.inv_rounding = cls.make_invoice(
            "out_invoice",
            cls.customer,
            [("8400", "tax_ust_19_skr03", 10.03), ("8196", "tax_ust_19_skr03", 10.03)],
            day=5,
        )
        cls.refund = cls.make_invoice(
            "out_refund", cls.customer, [("8400", "tax_ust_19_skr03", 10.0)], day=6
        )
        cls.bill = cls.make_invoice(
            "in_invoice",
            cls.supplier,
            [("3400", "tax_vst_19_skr03", 200.0), ("4930", "tax_vst_19_skr03", 59.99)],
            day=7,
        )
        cls.eu_invoice = cls.make_invoice(
            "out_invoice", cls.eu_customer, [("8125", "tax_eu_sale_skr03", 300.0)], day=8
        )
        cls.payment = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=cls.inv_main.ids)
            .create({"payment_date": datetime.date(2026, 11, 20)})
            ._create_payments()
        )
        bank = cls.company_data["default_journal_bank"]
        misc = cls.company_data["default_journal_misc"]
        receivable = cls.customer.with_company(cls.company).property_account_receivable_id
        transit = cls.account("1360")
        # a SEPA batch booking: one clearing amount, the receivables of two customers
        cls.sepa = cls.make_entry(
            misc,
            23,
            [
                (transit, None, 178.50),
                (receivable, cls.customer, -119.0),
                (receivable, cls.eu_customer, -59.50),
            ],
        )
        # a returned debit with the bank's fee
        cls.sepa_return = cls.make_entry(
            bank,
            25,
            [
                (receivable, cls.customer, 119.0),
                (cls.account("4970"), None, 3.50),
                (bank.default_account_id, None, -122.50),
            ],
        )
        cls.charges = cls.make_entry(
            bank, 30, [(cls.account("4970"), None, 5.0), (bank.default_account_id, None, -5.0)]
        )
        # outside the period and in another company
        cls.december = cls.make_invoice(
            "out_invoice", cls.customer, [("8400", "tax_ust_19_skr03", 1.0)], day=1, month=12
        )
        cls.other = cls.setup_other_company(name="Andere Firma GmbH")["company"]
        cls.other.write({"crm_datev_consultant_number": 1234567, "crm_datev_client_number": 2})
        cls.other_invoice = cls.make_invoice(
            "out_invoice",
            cls.customer,
            [("8400", "tax_ust_19_skr03", 777.0)],
            day=10,
            company=cls.other,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="datev_accountant",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def account(cls, code, company=None):
        company = company or cls.company
        Account = cls.env["account.account"].with_company(company)
        return Account.search([*Account._check_company_domain(company), ("code", "=", code)])

    @classmethod
    def tax(cls, name, company=None):
        return cls.env["account.chart.template"].with_company(company or cls.company).ref(name)

    @classmethod
    def make_invoice(cls, move_type, partner, lines, day, month=11, company=None):
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": datetime.date(2026, month, day),
                    "date": datetime.date(2026, month, day),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Leistung {n}",
                                "account_id": cls.account(code, company).id,
                                "price_unit": price,
                                "tax_ids": [Command.set(cls.tax(tax, company).ids)],
                            }
                        )
                        for n, (code, tax, price) in enumerate(lines)
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def make_entry(cls, journal, day, lines):
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": datetime.date(2026, 11, day),
                "ref": "SEPA",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": account.id,
                            "partner_id": partner.id if partner else False,
                            "name": "SEPA",
                            "debit": max(amount, 0),
                            "credit": max(-amount, 0),
                        }
                    )
                    for account, partner, amount in lines
                ],
            }
        )
        move.action_post()
        return move

    def export(self, company=None, user=None, period=(NOV_1, NOV_30), **kw):
        Export = self.env["crm.datev.export"].with_user(user or self.accountant)
        result = Export.with_company(company or self.company).export_period(
            *period, company=(company or self.company).id, **kw
        )
        return result, unzip(base64.b64decode(result["file"]))

    def key_tables(self, company=None):
        """What DATEV itself knows of the tax keys and automatic accounts of the chart, taken
        from the company's taxes: {key: (rate, tax account)}, {account: (rate, tax
        account)}."""
        company = company or self.company
        taxes = self.env["account.tax"].search([("company_id", "=", company.id)])
        keys, automatic = {}, {}
        for tax in taxes:
            account = tax.invoice_repartition_line_ids.filtered(
                lambda r: r.repartition_type == "tax"
            ).account_id[:1]
            entry = (Decimal(str(tax.amount)), account.with_company(company).code or "")
            if tax.l10n_de_datev_code:
                keys[tax.l10n_de_datev_code] = entry
        for account in (
            self.env["account.account"]
            .with_company(company)
            .search(
                [
                    *self.env["account.account"]._check_company_domain(company),
                    ("tax_ids", "!=", False),
                ]
            )
        ):
            tax = account.tax_ids.filtered(lambda t, c=company: t.company_id == c)[:1]
            tax_account = tax.invoice_repartition_line_ids.filtered(
                lambda r: r.repartition_type == "tax"
            ).account_id[:1]
            automatic[account.code] = (
                Decimal(str(tax.amount)),
                tax_account.with_company(company).code or "",
            )
        return keys, automatic

    def trial_balance(self, company=None, period=(NOV_1, NOV_30)):
        """{DATEV account: balance in cents} of Odoo's journal items of the period:
        receivable/payable items on the partner's debtor/creditor number."""
        company = company or self.company
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("date", ">=", period[0]),
                ("date", "<=", period[1]),
            ]
        )
        totals = {}
        for line in lines.with_company(company):
            account = line.account_id.with_company(company)
            partner = line.partner_id.commercial_partner_id.with_company(company)
            if account.account_type == "asset_receivable":
                code = partner.crm_debtor_number
            elif account.account_type == "liability_payable":
                code = partner.crm_creditor_number
            else:
                code = account.code
            cents = round(line.balance * 100)
            totals[code] = totals.get(code, 0) + cents
        return {code: cents for code, cents in totals.items() if cents}


@tagged("post_install", "-at_install")
class TestDatevExport(DatevCase):
    def test_files_pass_the_field_rules(self):
        result, files = self.export()
        self.assertEqual(
            sorted(files), ["EXTF_Buchungsstapel_2026-11.csv", "EXTF_Debitoren_Kreditoren.csv"]
        )
        for name, data in files.items():
            self.assertEqual(extf.check(data), [], name)
        header, fmt, headings, rows = extf.read(files["EXTF_Buchungsstapel_2026-11.csv"])
        self.assertIs(fmt, extf.BOOKINGS)
        self.assertEqual(header[10].value, "1234567")
        self.assertEqual(header[11].value, "10001")
        self.assertEqual(header[12].value, "20260101", "fiscal year start")
        self.assertEqual((header[14].value, header[15].value), ("20261101", "20261130"))
        self.assertEqual(header[26].value, "03", "SKR03")
        self.assertEqual(len(rows), result["bookings"])
        self.assertEqual(result["journal_entries"], 9)
        # the rule check itself fails on a broken file
        broken = files["EXTF_Buchungsstapel_2026-11.csv"].replace(b"\r\n11", b"\r\n1.1", 1)
        self.assertTrue(extf.check(broken.replace(b';"S";', b';"X";', 1)))

    def test_totals_per_account_equal_the_trial_balance(self):
        _result, files = self.export()
        keys, automatic = self.key_tables()
        posted = datev_tools.account_totals(
            files["EXTF_Buchungsstapel_2026-11.csv"], keys, automatic
        )
        expected = self.trial_balance()
        self.assertEqual(posted, expected)
        # and the other company's invoice is not in it (neither its net nor its gross amount;
        # a bare "777" may be part of a time stamp or a number); the December invoice is
        # outside the totals compared above
        for amount in (b"777,00", b"924,63"):
            self.assertNotIn(amount, files["EXTF_Buchungsstapel_2026-11.csv"])

    def test_bookings_use_debtor_numbers_and_tax_keys(self):
        _result, files = self.export()
        _header, _fmt, headings, rows = extf.read(files["EXTF_Buchungsstapel_2026-11.csv"])
        index = {name: i for i, name in enumerate(headings)}
        debtor = self.customer.with_company(self.company).crm_debtor_number
        creditor = self.supplier.with_company(self.company).crm_creditor_number
        self.assertTrue(debtor.isdigit() and 10000 <= int(debtor) <= 69999)
        self.assertTrue(creditor.isdigit() and 70000 <= int(creditor) <= 99999)

        def find(document, contra):
            found = [
                {name: fields[i].value for name, i in index.items()}
                for _line, fields in rows
                if fields[index["Belegfeld 1"]].value == datev_tools.document_number(document)
                and fields[index["Gegenkonto (ohne BU-Schlüssel)"]].value == contra
            ]
            self.assertEqual(len(found), 1, (document, contra))
            return found[0]

        main = self.inv_main.name
        # automatic account 8400: gross, no key; 8200 is no automatic account: key 3
        self.assertEqual(
            [find(main, "8400")[k] for k in ("Konto", "Umsatz (ohne Soll/Haben-Kz)")],
            [debtor, "119,00"],
        )
        self.assertEqual(find(main, "8400")["BU-Schlüssel"], "")
        self.assertEqual(find(main, "8400")["Soll/Haben-Kennzeichen"], "S")
        self.assertEqual(find(main, "8300")["Umsatz (ohne Soll/Haben-Kz)"], "53,50")
        row_8200 = find(main, "8200")
        self.assertEqual(row_8200["BU-Schlüssel"], "3")
        self.assertEqual(row_8200["Umsatz (ohne Soll/Haben-Kz)"], "118,99")  # 99.99 + 19.00
        self.assertEqual(row_8200["Belegfeld 1"], datev_tools.document_number(main))
        self.assertEqual(row_8200["Fälligkeit"], self.inv_main.invoice_date_due.strftime("%d%m%Y"))
        # vendor bill: the creditor account is credited; 4930 carries key 9
        bill = self.bill.name
        self.assertEqual(find(bill, "3400")["Konto"], creditor)
        self.assertEqual(find(bill, "3400")["Soll/Haben-Kennzeichen"], "H")
        self.assertEqual(find(bill, "4930")["BU-Schlüssel"], "9")
        # intra-EU supply: the customer's VAT id goes with the booking
        self.assertEqual(
            find(self.eu_invoice.name, "8125")["EU-Land u. UStID (Bestimmung)"], "CZ7103192745"
        )
        # tax rounding: a cent on the tax account by itself
        rounding = find(self.inv_rounding.name, "1776")
        self.assertEqual(rounding["Umsatz (ohne Soll/Haben-Kz)"], "0,01")
        # the SEPA batch: from the clearing account to both customers' accounts
        eu_debtor = self.eu_customer.with_company(self.company).crm_debtor_number
        self.assertEqual(find(self.sepa.name, debtor)["Konto"], "1360")
        self.assertEqual(find(self.sepa.name, eu_debtor)["Umsatz (ohne Soll/Haben-Kz)"], "59,50")

    def test_master_data_of_debtors_and_creditors(self):
        _result, files = self.export()
        contacts, problems = extf.contacts_from_partner_file(files["EXTF_Debitoren_Kreditoren.csv"])
        self.assertEqual(problems, [])
        by_name = {contact.name: contact for contact in contacts}
        customer = by_name['Müller & "Söhne" GmbH']
        self.assertTrue(customer.is_company)
        self.assertEqual(
            customer.debtor_number, self.customer.with_company(self.company).crm_debtor_number
        )
        self.assertEqual(customer.vat, "DE123456788")
        self.assertEqual(
            (customer.street, customer.zip, customer.city, customer.country),
            ("Königsbrücker Straße 12", "01099", "Dresden", "DE"),
        )
        self.assertEqual(customer.bank_accounts[0]["iban"], "DE02120300000000202051")
        self.assertEqual(customer.external_id, str(self.customer.id))
        # Windows-1252 has no ř: the name is written without its accent
        person = by_name["Jana Dvoráková"]
        self.assertFalse(person.is_company)
        self.assertEqual((person.first_name, person.last_name), ("Jana", "Dvoráková"))
        supplier = by_name["Papier Lieferant KG"]
        self.assertTrue(supplier.creditor_number.startswith("7"))

    def test_same_period_twice_gives_the_same_file_after_confirmation(self):
        first, _files = self.export()
        # over the API: a wrong argument (logged at INFO), naming the earlier export
        with self.assertRaises(ArgumentError) as caught:
            self.export()
        self.assertIn("reexport=True", str(caught.exception))
        self.assertIn(self.accountant.name, str(caught.exception))
        # on the form: the export stays a draft until 'Export Again' is ticked
        draft = (
            self.env["crm.datev.export"]
            .with_user(self.accountant)
            .create({"date_from": NOV_1, "date_to": NOV_30})
        )
        with self.assertRaisesRegex(UserError, "Export Again"):
            draft.action_export()
        second, _files = self.export(reexport=True)
        self.assertEqual(first["checksum"], second["checksum"])
        self.assertEqual(first["file"], second["file"])
        exports = self.env["crm.datev.export"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(exports), 3, "the refused export stays a draft")
        self.assertEqual(
            exports.filtered(lambda e: e.state == "done").mapped("exported_by_id"), self.accountant
        )
        draft = exports.filtered(lambda e: e.state == "draft")
        draft.invalidate_recordset(["previous_export_ids"])
        self.assertEqual(draft.previous_export_ids, exports - draft)

    def test_states_and_results_only_by_the_export(self):
        result, _files = self.export()
        export = self.env["crm.datev.export"].browse(result["id"]).with_user(self.accountant)
        # the ORM context is the caller's (JSON-2 passes it through): it opens nothing
        bypass = export.with_context(crm_datev_export_writes=True)
        for vals in ({"state": "draft"}, {"checksum": "x"}, {"date_to": "2026-12-31"}):
            for record in (export, bypass):
                with self.assertRaises(StateError):
                    record.write(vals)
        for record in (export, bypass):
            with self.assertRaises(StateError):
                record.create({"date_from": NOV_1, "date_to": NOV_30, "state": "done"})
        self.assertEqual(export.state, "done")
        self.assertEqual(export.checksum, result["checksum"])
        with self.assertRaises(UserError):
            export.unlink()

    def test_other_company_exports_only_its_own_bookings(self):
        self.accountant.company_ids += self.other
        _result, files = self.export(company=self.other)
        data = files["EXTF_Buchungsstapel_2026-11.csv"]
        self.assertIn(datev_tools.document_number(self.other_invoice.name).encode(), data)
        _header, _fmt, _headings, rows = extf.read(data)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1][0].value, "924,63")
        keys, automatic = self.key_tables(self.other)
        self.assertEqual(
            datev_tools.account_totals(data, keys, automatic), self.trial_balance(self.other)
        )

    def test_who_may_export(self):
        billing = new_test_user(
            self.env,
            login="datev_billing",
            groups="crm_core.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.export(user=billing)
        other_accountant = new_test_user(
            self.env,
            login="datev_other",
            groups="account.group_account_manager",
            company_id=self.other.id,
            company_ids=[Command.set(self.other.ids)],
        )
        with self.assertRaises(ArgumentError):
            self.export(user=other_accountant)
        result, _files = self.export()
        self.assertFalse(
            self.env["crm.datev.export"]
            .with_user(other_accountant)
            .search([("id", "=", result["id"])])
        )

    def test_wrong_arguments_and_missing_settings(self):
        Export = self.env["crm.datev.export"].with_user(self.accountant)
        for args in (("2026-13-01", "2026-11-30"), ("2026-11-30", "2026-11-01"), (None, NOV_30)):
            with self.assertRaises(ArgumentError):
                Export.export_period(*args)
        self.company.crm_datev_client_number = 0
        with self.assertRaisesRegex(UserError, "client number"):
            self.export()

    def test_numbers_that_cannot_be_personal_accounts(self):
        self.customer.with_company(self.company).sudo().crm_debtor_number = "K-100"
        with self.assertRaisesRegex(UserError, "K-100"):
            self.export()

    def test_our_sepa_debits_and_returns(self):
        """crm_billing_sepa's own bookings: a debit batch of two customers' invoices booked
        on the transfer account, one debit returned with the return fee invoiced; all in
        December's Buchungsstapel, its totals per account equal to the trial balance."""
        december = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
        bank = self.company_data["default_journal_bank"]
        bank.bank_acc_number = "DE89370400440532013000"
        self.company.write(
            {
                "crm_sepa_creditor_identifier": "DE98ZZZ09999999999",
                "crm_sepa_journal_id": bank.id,
                "crm_sepa_lead_days": 1,
                "crm_sepa_return_fee": 5.0,
            }
        )
        self.env.user.group_ids += self.env.ref("crm_billing_sepa.group_sepa_manager")
        baker = self.env["res.partner"].create(
            {
                "name": "Bäckerei Lastschrift",
                "bank_ids": [Command.create({"acc_number": "DE02100100100006820101"})],
            }
        )
        for partner in (self.customer, baker):
            self.env["crm.sepa.mandate"].create(
                {
                    "partner_id": partner.id,
                    "bank_account_id": partner.bank_ids[0].id,
                    "signature_date": datetime.date(2025, 6, 1),
                }
            ).action_activate()
        invoices = self.make_invoice(
            "out_invoice", self.customer, [("8400", "tax_ust_19_skr03", 200.0)], day=2, month=12
        ) | self.make_invoice(
            "out_invoice", baker, [("8300", "tax_ust_7_skr03", 50.0)], day=2, month=12
        )
        with freeze_time("2026-12-03"):
            result = self.env["crm.sepa.batch"].create_debit_batches(invoice_ids=invoices.ids)
            self.assertEqual(result["errors"], [])
            batch = self.env["crm.sepa.batch"].browse(result["batch_ids"])
            batch.action_confirm()
            returned = batch.line_ids.filtered(lambda line: line.partner_id == baker)
            returned.register_return("AM04", charge_fee=True)
        _result, files = self.export(period=december)
        data = files["EXTF_Buchungsstapel_2026-12.csv"]
        self.assertEqual(extf.check(data), [])
        keys, automatic = self.key_tables()
        self.assertEqual(
            datev_tools.account_totals(data, keys, automatic), self.trial_balance(period=december)
        )
        _header, _fmt, headings, rows = extf.read(data)
        document = headings.index("Belegfeld 1")
        documents = {fields[document].value for _line, fields in rows}
        for move in (batch.move_id, returned.return_move_id, returned.fee_move_id):
            self.assertTrue(move, "booked")
            self.assertIn(datev_tools.document_number(move.name), documents, move.name)
        transfer = self.company.transfer_account_id.code
        konto, contra = headings.index("Konto"), headings.index("Gegenkonto (ohne BU-Schlüssel)")
        on_transfer = [
            fields
            for _line, fields in rows
            if transfer in (fields[konto].value, fields[contra].value)
        ]
        self.assertEqual(len(on_transfer), 3, "two debits and the return")

    def test_account_ranges_are_configurable(self):
        """A client with five-digit G/L accounts (six-digit personal accounts): crm_core's
        number ranges follow the DATEV settings, and the export books on the new numbers."""
        self.company.write(
            {
                "crm_datev_account_length": 5,
                "crm_datev_debtor_from": 200000,
                "crm_datev_debtor_to": 699999,
                "crm_datev_creditor_from": 700000,
                "crm_datev_creditor_to": 999999,
            }
        )
        # the five-digit numbers given before are no personal accounts any more
        with self.assertRaisesRegex(UserError, "200000 to 699999"):
            self.export()
        self.env["crm.partner.number"].sudo().search(
            [("company_id", "=", self.company.id)]
        ).unlink()
        result, files = self.export()
        for name, data in files.items():
            self.assertEqual(extf.check(data), [], name)
        header, _fmt, headings, rows = extf.read(files["EXTF_Buchungsstapel_2026-11.csv"])
        self.assertEqual(header[13].value, "5")
        debtor = self.customer.with_company(self.company).crm_debtor_number
        creditor = self.supplier.with_company(self.company).crm_creditor_number
        self.assertEqual((debtor, creditor), ("200000", "700000"))
        konto = headings.index("Konto")
        self.assertEqual(
            {fields[konto].value for _line, fields in rows}
            & {debtor, creditor, self.eu_customer.with_company(self.company).crm_debtor_number},
            {debtor, creditor, "200001"},
        )
        keys, automatic = self.key_tables()
        self.assertEqual(
            datev_tools.account_totals(files["EXTF_Buchungsstapel_2026-11.csv"], keys, automatic),
            self.trial_balance(),
        )
        # another range starts at its beginning; back in a range in use, the numbers go on
        # after its highest one
        self.company.write({"crm_datev_debtor_from": 100000, "crm_datev_debtor_to": 199999})
        sequence = self.company.crm_debtor_sequence_id
        self.assertEqual(sequence.number_next_actual, 100000)
        self.company.write({"crm_datev_debtor_from": 200000, "crm_datev_debtor_to": 699999})
        partner = self.env["res.partner"].create({"name": "Neukunde", "customer_rank": 1})
        partner.with_company(self.company)._crm_assign_numbers("debtor")
        self.assertEqual(partner.with_company(self.company).crm_debtor_number, "200002")
        self.assertEqual(result["partners"], 3)

    def test_a_year_in_monthly_files(self):
        Export = self.env["crm.datev.export"].with_user(self.accountant)
        result = Export.export_period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        files = unzip(base64.b64decode(result["file"]))
        self.assertEqual(len(files), 13)
        for name, data in files.items():
            self.assertEqual(extf.check(data), [], name)
        december = extf.read(files["EXTF_Buchungsstapel_2026-12.csv"])[3]
        self.assertEqual(len(december), 1)


@tagged("post_install", "-at_install")
class TestDatevExportSkr04(DatevCase):
    """A company on SKR04: the header names the chart, bookings carry SKR04's accounts and
    tax keys, totals per account equal the trial balance."""

    chart_template = "de_skr04"

    @classmethod
    def setUpClass(cls):
        super(DatevCase, cls).setUpClass()  # the company and chart only, no SKR03 bookings
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "name": "Elbtal Vier GmbH",
                "crm_datev_consultant_number": 1234567,
                "crm_datev_client_number": 10004,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Bäckerei Krause",
                "is_company": True,
                "zip": "01067",
                "city": "Dresden",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Mühle Meißen KG", "is_company": True, "city": "Meißen"}
        )
        cls.invoice = cls.make_invoice(
            "out_invoice",
            cls.customer,
            [("4400", "tax_ust_19_skr04", 100.0), ("4300", "tax_ust_7_skr04", 50.0)],
            day=3,
        )
        cls.make_invoice("out_refund", cls.customer, [("4400", "tax_ust_19_skr04", 10.0)], day=6)
        cls.make_invoice("in_invoice", cls.supplier, [("5400", "tax_vst_19_skr04", 80.0)], day=7)
        (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=cls.invoice.ids)
            .create({"payment_date": datetime.date(2026, 11, 20)})
            ._create_payments()
        )
        cls.accountant = new_test_user(
            cls.env,
            login="datev_accountant_skr04",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_skr04_bookings_and_totals(self):
        result, files = self.export()
        for name, data in files.items():
            self.assertEqual(extf.check(data), [], name)
        bookings = files["EXTF_Buchungsstapel_2026-11.csv"]
        header, _fmt, headings, rows = extf.read(bookings)
        self.assertEqual(header[26].value, "04", "SKR04")
        self.assertEqual(result["journal_entries"], 4)
        keys, automatic = self.key_tables()
        self.assertIn("4400", automatic)
        posted = datev_tools.account_totals(bookings, keys, automatic)
        self.assertEqual(posted, self.trial_balance())
        index = {name: i for i, name in enumerate(headings)}
        debtor = self.customer.with_company(self.company).crm_debtor_number
        accounts = {fields[index["Konto"]].value for _line, fields in rows}
        counter = {fields[index["Gegenkonto (ohne BU-Schlüssel)"]].value for _line, fields in rows}
        self.assertIn(debtor, accounts | counter)
        self.assertTrue({"4400", "4300"} & (accounts | counter), "SKR04 revenue accounts")
