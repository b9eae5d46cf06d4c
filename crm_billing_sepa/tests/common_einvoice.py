import datetime

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..tools import einvoice_validator, leitweg_id

OWN_IBAN = "DE89370400440532013000"
LEITWEG_BASE = "14612000-SCHULAMT"
LEITWEG = f"{LEITWEG_BASE}-{leitweg_id.check_digits(LEITWEG_BASE)}"


class InvoicingCompanyCase(AccountTestInvoicingCommon):
    """Odoo's accounting test case on a company of `country_code` (its currency) and
    `chart_template` named `company_name`, with `company_address` (address, VAT id, phone,
    e-mail) and `own_iban` on its bank journal; the validator of e-invoice files at hand
    (cls.validator)."""

    company_name = ""
    company_address = {}
    own_iban = ""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return super().setup_independent_company(**cls.company_address, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.validator = einvoice_validator.ValidatorProcess.get()
        cls.addClassCleanup(einvoice_validator.ValidatorProcess.close)
        cls.company = cls.company_data["company"]
        cls.company.name = cls.company_name
        cls.company_data["default_journal_bank"].bank_acc_number = cls.own_iban


class EinvoiceCase(InvoicingCompanyCase):
    """Elbtal Handel (Prüf) GmbH in Dresden on the German chart SKR03 (l10n_de), in EUR, with its
    VAT id, address, phone, e-mail and IBAN; customers: a public authority with a
    Leitweg-ID, a company with a VAT id, a craftsman without one."""

    chart_template = "de_skr03"
    country_code = "DE"  # the company's country and its currency
    company_name = "Elbtal Handel Prüf GmbH"  # the demo company has the real name
    company_address = {
        "street": "Königsbrücker Straße 12",
        "zip": "01099",
        "city": "Dresden",
        "vat": "DE811907980",
        "phone": "+49 351 4567890",
        "email": "buchhaltung@elbtal-handel.example",
    }
    own_iban = OWN_IBAN

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("crm_billing_sepa.group_sepa_manager")
        cls.tax_19 = cls.company_data["default_tax_sale"]
        cls.de = cls.env.ref("base.de")
        Partner = cls.env["res.partner"]
        cls.public = Partner.create(
            {
                "name": "Landeshauptstadt Dresden, Amt für Schulen",
                "is_company": True,
                "street": "Dr.-Külz-Ring 19",
                "zip": "01067",
                "city": "Dresden",
                "country_id": cls.de.id,
                "email": "schulamt@dresden.example",
                "crm_einvoice_public": True,
                "crm_einvoice_buyer_reference": LEITWEG,
            }
        )
        cls.business = Partner.create(
            {
                "name": "Sächsische Maschinenbau GmbH",
                "is_company": True,
                "street": "Annaberger Straße 240",
                "zip": "09125",
                "city": "Chemnitz",
                "country_id": cls.de.id,
                "vat": "DE129273398",
                "email": "einkauf@smb-chemnitz.example",
                "invoice_edi_format": "xrechnung",
            }
        )
        cls.craftsman = Partner.create(
            {
                "name": "Tischlerei Köhler",
                "is_company": True,
                "street": "Lange Straße 4",
                "zip": "01796",
                "city": "Pirna",
                "country_id": cls.de.id,
                "invoice_edi_format": "xrechnung",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Wartung Heizungsanlage",
                "type": "service",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "list_price": 85.0,
                "taxes_id": [Command.set(cls.tax_19.ids)],
            }
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="einvoice_billing",
            groups="crm_billing_sepa.group_billing,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.today = datetime.date(2026, 3, 2)

    @classmethod
    def make_invoice(cls, partner, lines=((2.5, 85.0),), move_type="out_invoice", post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": qty, "price_unit": price}
                    )
                    for qty, price in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def assert_einvoices_valid(self, moves, kinds=("xrechnung_ubl", "xrechnung_cii", "facturx")):
        """Every e-invoice of these posted moves passes XSD, EN 16931 and XRechnung with
        no error and no warning, and Odoo's builder reports no error. The one warning
        allowed: the ZUGFeRD/Factur-X CII (profile EN 16931) is no XRechnung (BR-DE-21)."""
        self.assertTrue(moves)
        failures = []
        for move in moves:
            self.assertEqual(move.state, "posted")
            for kind in kinds:
                try:
                    document = move._crm_einvoice_xml(kind)
                except Exception as exc:  # noqa: BLE001  (all kinds of all moves reported)
                    failures.append(f"{move.name} {kind}: {exc!r}")
                    continue
                report = self.validator.validate(document["content"])
                warnings = [
                    w for w in report.warnings if not (kind == "facturx" and w.rule == "BR-DE-21")
                ]
                if report.errors or warnings or document["errors"]:
                    failures.append(
                        f"{move.name} {kind}: rules {report.rules}, builder errors "
                        f"{document['errors']}\n{report}"
                    )
        self.assertFalse(failures, "\n".join(failures))
