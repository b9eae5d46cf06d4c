import datetime

from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.crm_core.tools import iban

from .common_einvoice import LEITWEG, EinvoiceCase

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


@tagged("post_install", "-at_install")
class TestEinvoiceFlows(EinvoiceCase):
    """Every invoice and credit note the suite makes is a valid XRechnung (UBL and CII)
    and ZUGFeRD/Factur-X: XSD, EN 16931 and XRechnung rules without an error."""

    def test_invoice_and_credit_note_from_the_cockpit(self):
        for partner in (self.public, self.business, self.craftsman):
            for action in (partner.action_crm_new_invoice(), partner.action_crm_new_refund()):
                with Form(self.env["account.move"].with_context(action["context"])) as form:
                    form.invoice_date = self.today
                    with form.invoice_line_ids.new() as line:
                        line.product_id = self.product
                        line.quantity = 3
                move = form.save()
                move.action_post()
                self.assert_einvoices_valid(move)

    def _services(self, partner, count=3):
        return self.env["crm.service"].create(
            [
                {
                    "partner_id": partner.id,
                    "name": f"Wartung {index}",
                    "product_id": self.product.id,
                    "quantity": 0.25 * (index + 1),
                    "date": self.today - datetime.timedelta(days=index),
                }
                for index in range(count)
            ]
        )

    def test_services_both_line_modes_and_the_bulk_path(self):
        partners = self.public + self.business + self.craftsman
        for line_mode in ("service", "product"):
            for partner in partners:
                self._services(partner)
            ids = self.env["crm.service"].invoice_services(
                partner_ids=partners.ids, line_mode=line_mode, invoice_date=self.today
            )
            moves = self.env["account.move"].browse(ids)
            self.assertEqual(len(moves), 3)
            moves.action_post()
            self.assert_einvoices_valid(moves)

    def test_dunning_fee_invoice_and_fee_lines(self):
        Level = self.env["crm.dunning.level"]
        Level.create({"name": "Zahlungserinnerung", "days": 7})
        Level.create({"name": "1. Mahnung", "days": 21, "fee": 5.0, "interest_rate": 5.0})
        invoice = self.make_invoice(self.business, lines=((10, 100.0),))
        invoice.invoice_date_due = datetime.date(2026, 2, 1)
        result = self.env["crm.dunning.run"].run_dunning(date=self.today, fee_mode="invoice")
        letter = self.env["crm.dunning.letter"].browse(result["letter_ids"])
        self.assertTrue(letter.fee_move_id)
        self.assert_einvoices_valid(letter.fee_move_id)
        # fees and interest as lines on the customer's next services invoice
        other = self.make_invoice(self.craftsman, lines=((10, 100.0),))
        other.invoice_date_due = datetime.date(2026, 2, 1)
        result = self.env["crm.dunning.run"].run_dunning(date=self.today, fee_mode="lines")
        self._services(self.craftsman)
        [move_id] = self.env["crm.service"].invoice_services(
            partner_ids=self.craftsman.ids, invoice_date=self.today
        )
        move = self.env["account.move"].browse(move_id)
        move.action_post()
        self.assert_einvoices_valid(move)

    def test_credit_notes_of_a_chosen_invoice(self):
        invoice = self.make_invoice(self.public, lines=((4, 85.0), (1, 120.0)))
        for mode in ("full", "partial"):
            wizard = Form(
                self.env["crm.credit.note.wizard"].with_context(default_partner_id=self.public.id)
            )
            wizard.mode = mode
            wizard.move_id = invoice
            wizard.reason = "Reklamation"
            if mode == "partial":
                with wizard.line_ids.edit(0) as line:
                    line.quantity = 1
            action = wizard.save().action_create()
            refund = self.env["account.move"].browse(action["res_id"])
            refund.action_post()
            self.assert_einvoices_valid(refund)
        # Odoo's own reversal too
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Storno"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assert_einvoices_valid(refund)

    def test_several_tax_rates(self):
        tax_7 = self.env["account.tax"].search(
            [
                ("company_id", "=", self.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 7),
            ],
            limit=1,
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1.5, "price_unit": 85.0}
                    ),
                    Command.create(
                        {
                            "name": "Fachbuch Heizungstechnik",
                            "quantity": 2,
                            "price_unit": 39.9,
                            "tax_ids": [Command.set(tax_7.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": 85.0,
                            "discount": 10,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        self.assert_einvoices_valid(move)


@tagged("post_install", "-at_install")
class TestEinvoiceValidator(EinvoiceCase):
    """The validator fails on known-bad invoices, each layer on its own rule: a test
    that could not fail would prove nothing."""

    def _ubl(self):
        move = self.make_invoice(self.business)
        return etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])

    def _check(self, tree, layer, rule):
        report = self.validator.validate(etree.tostring(tree))
        self.assertIn(rule, report.rules, str(report))
        self.assertEqual({f.layer for f in report.errors}, {layer}, str(report))

    def test_valid_invoice_passes_all_layers(self):
        report = self.validator.validate(etree.tostring(self._ubl()))
        self.assertEqual(report.layers, ("XSD", "EN16931", "XRechnung"))
        self.assertFalse(report.findings, str(report))

    def test_xsd_fails_on_an_element_out_of_order(self):
        tree = self._ubl()
        issue_date = tree.find(f"{{{CBC}}}IssueDate")
        tree.remove(issue_date)
        tree.append(issue_date)  # after the lines: not where the schema has it
        self._check(tree, "XSD", "XSD")

    def test_en16931_fails_on_a_wrong_total(self):
        tree = self._ubl()
        payable = tree.find(f"{{{CAC}}}LegalMonetaryTotal/{{{CBC}}}TaxInclusiveAmount")
        payable.text = str(float(payable.text) + 1)
        # BR-CO-15: total with VAT = total without VAT + VAT
        self._check(tree, "EN16931", "BR-CO-15")

    def test_xrechnung_fails_without_buyer_reference(self):
        tree = self._ubl()
        tree.find(f"{{{CBC}}}BuyerReference").text = " "
        # BR-DE-15: the buyer reference (BT-10) must be given
        self._check(tree, "XRechnung", "BR-DE-15")

    def test_cii_layers_fail_too(self):
        move = self.make_invoice(self.business)
        tree = etree.fromstring(move._crm_einvoice_xml("xrechnung_cii")["content"])
        for node in tree.iter(f"{{{RAM}}}BuyerReference"):
            node.getparent().remove(node)
        self._check(tree, "XRechnung", "BR-DE-15")


@tagged("post_install", "-at_install")
class TestEinvoiceDefinitions(EinvoiceCase):
    """The customer's e-invoice definitions reach the invoice; what is missing is named on
    the customer and stops the posting, before a recipient refuses the e-invoice."""

    def test_definitions_reach_the_invoice_and_its_einvoices(self):
        self.business.write(
            {
                "crm_einvoice_buyer_reference": "Einkauf 4711",
                "crm_einvoice_order_reference": "BE-2026-118",
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Frau Weber", "parent_id": self.business.id, "type": "invoice"}
        )
        self.assertEqual(contact.crm_einvoice_order_reference, "BE-2026-118")
        # an invoice address without its address: named before posting (BR-10, BR-DE-8)
        with self.assertRaisesRegex(
            UserError, "Customer Sächsische Maschinenbau GmbH, Frau Weber: Zip"
        ):
            self.make_invoice(contact)
        contact.write(
            {
                "street": "Postfach 1234",
                "zip": "09001",
                "city": "Chemnitz",
                "country_id": self.de.id,
            }
        )
        self.assertEqual(contact.crm_einvoice_order_reference, "BE-2026-118")
        move = self.make_invoice(contact)
        self.assertEqual(move.buyer_reference, "Einkauf 4711")
        self.assertEqual(move.purchase_order_reference, "BE-2026-118")
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assertEqual(ubl.findtext(f"{{{CBC}}}BuyerReference"), "Einkauf 4711")
        self.assertEqual(ubl.findtext(f"{{{CAC}}}OrderReference/{{{CBC}}}ID"), "BE-2026-118")
        cii = move._crm_einvoice_xml("xrechnung_cii")["content"].decode()
        self.assertIn("<ram:BuyerReference>Einkauf 4711</ram:BuyerReference>", cii)
        self.assertIn("<ram:IssuerAssignedID>BE-2026-118</ram:IssuerAssignedID>", cii)
        self.assert_einvoices_valid(move)

    def test_leitweg_id_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "Amt für Schulen.*Buyer Reference.*Leitweg"):
            self.public.crm_einvoice_buyer_reference = "14612000-SCHULAMT-99"
        self.public.crm_einvoice_buyer_reference = "14612000-schulamt-" + LEITWEG[-2:]
        self.assertFalse(self.public.crm_einvoice_missing)

    def test_public_customer_without_leitweg_id_is_named_before_posting(self):
        self.public.crm_einvoice_buyer_reference = False
        self.assertEqual(self.public.crm_einvoice_missing, "Leitweg-ID (Buyer Reference)")
        move = self.make_invoice(self.public, post=False)
        with self.assertRaisesRegex(
            UserError, "Customer Landeshauptstadt Dresden, Amt für Schulen: Leitweg-ID"
        ):
            move.action_post()
        self.assertEqual(move.state, "draft")
        self.public.crm_einvoice_buyer_reference = LEITWEG
        move.action_post()
        self.assertEqual(move.buyer_reference, False)  # the draft was made without it
        move.button_draft()
        move.partner_id = self.business
        move.partner_id = self.public
        self.assertEqual(move.buyer_reference, LEITWEG)

    def test_required_order_reference(self):
        self.business.crm_einvoice_order_required = True
        move = self.make_invoice(self.business, post=False)
        with self.assertRaisesRegex(
            UserError, r"Order Reference \(required by Sächsische Maschinenbau GmbH\)"
        ):
            move.action_post()
        move.purchase_order_reference = "PO 2026-77"
        move.action_post()
        self.assert_einvoices_valid(move)

    def test_address_and_company_data_named(self):
        self.craftsman.zip = False
        self.company.phone = False
        move = self.make_invoice(self.craftsman, post=False)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        self.assertIn("Customer Tischlerei Köhler: Zip", message)
        self.assertIn("Company Elbtal Handel Prüf GmbH: Phone", message)
        self.assertIn("Zip", self.craftsman.crm_einvoice_missing)
        # a customer without e-invoice format: nothing is required from it
        self.craftsman.invoice_edi_format = False
        self.company.phone = "+49 351 4567890"
        move.action_post()

    def test_import_and_rpc_fields(self):
        result = self.env["res.partner"].load(
            [
                "name",
                "is_company",
                "crm_einvoice_public",
                "crm_einvoice_buyer_reference",
                "crm_einvoice_order_reference",
            ],
            [["Stadt Pirna", "1", "1", "991-33333TEST-33", "RV-12"]],
        )
        self.assertFalse(result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertTrue(partner.crm_einvoice_public)
        result = self.env["res.partner"].load(
            ["name", "crm_einvoice_public", "crm_einvoice_buyer_reference"],
            [["Stadt Heidenau", "1", "991-33333TEST-34"]],
        )
        self.assertIn("Leitweg-ID", result["messages"][0]["message"])


@tagged("post_install", "-at_install")
class TestEinvoiceBuilderFixes(EinvoiceCase):
    """Where Odoo's builders were wrong for our documents; each test names the rule that
    fired before the fix."""

    def _cii(self, move, kind="xrechnung_cii"):
        return etree.fromstring(move._crm_einvoice_xml(kind)["content"])

    def test_ubl_sr_53_party_without_vat_id(self):
        move = self.make_invoice(self.craftsman)
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        customer = ubl.find(f"{{{CAC}}}AccountingCustomerParty/{{{CAC}}}Party")
        self.assertIsNone(customer.find(f"{{{CAC}}}PartyTaxScheme"))
        supplier = ubl.find(f"{{{CAC}}}AccountingSupplierParty/{{{CAC}}}Party")
        self.assertEqual(
            supplier.findtext(f"{{{CAC}}}PartyTaxScheme/{{{CBC}}}CompanyID"), "DE811907980"
        )
        self.assert_einvoices_valid(move)

    def test_br_25_line_without_product(self):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Anfahrt Pauschale",
                            "price_unit": 45.0,
                            "tax_ids": self.tax_19.ids,
                        }
                    )
                ],
            }
        )
        move.action_post()
        names = [n.text for n in self._cii(move).iter(f"{{{RAM}}}Name")]
        self.assertIn("Anfahrt Pauschale", names)
        self.assert_einvoices_valid(move)

    def test_br_de_15_buyer_reference_always_given(self):
        move = self.make_invoice(self.business)
        self.assertEqual(self._cii(move).findtext(f".//{{{RAM}}}BuyerReference"), "N/A")
        move = self.make_invoice(self.public)
        self.assertEqual(self._cii(move).findtext(f".//{{{RAM}}}BuyerReference"), LEITWEG)
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assertEqual(ubl.findtext(f"{{{CBC}}}BuyerReference"), LEITWEG)

    def test_bt_13_no_invoice_number_as_order_reference(self):
        move = self.make_invoice(self.business)
        self.assertIsNone(self._cii(move).find(f".//{{{RAM}}}BuyerOrderReferencedDocument"))
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assertIsNone(ubl.find(f"{{{CAC}}}OrderReference"))

    def test_br_co_04_untaxed_dunning_fee_lines_exempt(self):
        fee = self.env.ref("crm_billing_sepa.product_dunning_fee")
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "price_unit": 85.0}),
                    Command.create(
                        {
                            "product_id": fee.id,
                            "name": "Mahngebühr",
                            "price_unit": 5.0,
                            "tax_ids": [],
                        }
                    ),
                ],
            }
        )
        move.action_post()
        categories = [n.text for n in self._cii(move).iter(f"{{{RAM}}}CategoryCode")]
        self.assertEqual(sorted(categories), ["E", "E", "S", "S"])  # two lines, two breakdowns
        self.assertIn(b"Not subject to VAT", move._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assert_einvoices_valid(move)

    def test_br_de_1_and_bt_25_credit_note(self):
        invoice = self.make_invoice(self.business)
        refund = self.make_invoice(self.business, move_type="out_refund", post=False)
        refund.write({"reversed_entry_id": invoice.id, "partner_bank_id": False})
        refund.action_post()
        cii = self._cii(refund)
        self.assertEqual(
            cii.findtext(f".//{{{RAM}}}SpecifiedTradeSettlementPaymentMeans/{{{RAM}}}TypeCode"),
            "57",
        )
        self.assertEqual(
            cii.findtext(f".//{{{RAM}}}InvoiceReferencedDocument/{{{RAM}}}IssuerAssignedID"),
            invoice.name,
        )
        ubl = etree.fromstring(refund._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assertEqual(
            ubl.findtext(
                f"{{{CAC}}}BillingReference/{{{CAC}}}InvoiceDocumentReference/{{{CBC}}}ID"
            ),
            invoice.name,
        )
        self.assert_einvoices_valid(refund)

    def test_cii_sr_312_and_facturx_profile(self):
        move = self.make_invoice(self.business)
        facturx = self._cii(move, "facturx")
        self.assertEqual(
            facturx.findtext(f".//{{{RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM}}}ID"),
            "urn:cen.eu:en16931:2017",
        )
        self.assertIsNone(
            facturx.find(f".//{{{RAM}}}ShipToTradeParty/{{{RAM}}}DefinedTradeContact")
        )
        xrechnung = self._cii(move)
        self.assertEqual(
            xrechnung.findtext(
                f".//{{{RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM}}}ID"
            ),
            "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        )

    def test_free_text_passes_the_sanitising_layer(self):
        """A Word soft line break (U+000B), an escape character or a zero-width space in a
        name, a label or the terms never make an e-invoice fail: they are left out
        (crm_core's sanitize)."""
        self.business.name = "Sächsische\x0b Maschinenbau\u200b GmbH"
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": self.today,
                "narration": "Zahlbar\x0c ohne Abzug",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "name": "Wartung\x1b & <Prüfung>",
                            "price_unit": 85.0,
                        }
                    )
                ],
            }
        )
        move.action_post()
        self.assert_einvoices_valid(move)
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        self.assertEqual(
            ubl.findtext(f"{{{CAC}}}AccountingCustomerParty//{{{CBC}}}RegistrationName"),
            "Sächsische Maschinenbau GmbH",
        )
        self.assertIn(
            b"Wartung &amp; &lt;Pr\xc3\xbcfung&gt;",
            move._crm_einvoice_xml("xrechnung_cii")["content"],
        )

    def test_br_de_25_direct_debit_invoice(self):
        """An invoice collected by SEPA direct debit says so: payment means 59 with mandate,
        debited account and creditor identifier - not a transfer to our account, which
        would ask the customer to pay twice."""
        self.company.crm_sepa_creditor_identifier = "DE98ZZZ09999999999"
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "DE02120300000000202051", "partner_id": self.business.id}
        )
        mandate = self.env["crm.sepa.mandate"].create(
            {
                "partner_id": self.business.id,
                "bank_account_id": bank.id,
                "signature_date": datetime.date(2025, 6, 1),
            }
        )
        mandate.action_activate()
        move = self.make_invoice(self.business)
        self.assertTrue(move.crm_sepa_direct_debit)
        ubl = etree.fromstring(move._crm_einvoice_xml("xrechnung_ubl")["content"])
        means = ubl.find(f"{{{CAC}}}PaymentMeans")
        self.assertEqual(means.findtext(f"{{{CBC}}}PaymentMeansCode"), "59")
        self.assertEqual(means.findtext(f"{{{CAC}}}PaymentMandate/{{{CBC}}}ID"), mandate.name)
        self.assertIsNone(means.find(f"{{{CAC}}}PayeeFinancialAccount"))
        cii = self._cii(move)
        self.assertEqual(cii.findtext(f".//{{{RAM}}}CreditorReferenceID"), "DE98ZZZ09999999999")
        self.assertEqual(cii.findtext(f".//{{{RAM}}}DirectDebitMandateID"), mandate.name)
        self.assertEqual(
            [
                n.text
                for n in cii.iter(f"{{{RAM}}}TypeCode")
                if n.getparent().tag.endswith("PaymentMeans")
            ],
            ["59"],
        )
        self.assert_einvoices_valid(move)
        # an auditor (Odoo's read-only accounting group) may download it, but sees the
        # customer's account number masked there as everywhere (crm_core's bank privacy)
        auditor = new_test_user(
            self.env,
            login="einvoice_auditor",
            groups="account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for kind in ("crm_xrechnung_ubl", "crm_xrechnung_cii"):
            content = move.with_user(auditor)._get_invoice_legal_documents(kind)["content"]
            self.assertNotIn(b"DE02120300000000202051", content)
            self.assertIn(iban.mask("DE02120300000000202051").encode(), content)
            self.assertIn(
                b"DE02120300000000202051", move._get_invoice_legal_documents(kind)["content"]
            )
