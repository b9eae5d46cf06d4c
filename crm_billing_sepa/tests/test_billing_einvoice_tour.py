"""The e-invoice flow in the browser, in German and in Czech, on the story's localised
companies (issue 18): a user of Elbtal Handel GmbH (Dresden, SKR03, EUR) whose language is
German, and a user of Elbtal Obchod s.r.o. (Brno, Czech chart, CZK) whose language is Czech,
create a customer, invoice its services from the customer record, post the invoice and
download the e-invoice (XRechnung of the German company, ISDOC of the Czech one). The tour
waits for the suite's own labels in the user's language ("Leistungen abrechnen",
"Vyfakturovat služby", ...); the test checks the company, its chart's VAT (19 %, 21 %), the
currency, and that the downloaded file validates with zero errors.

`make test` installs l10n_de and l10n_cz with their demo data before our addons, so both
companies are there; without them the test fails and says so."""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import einvoice_validator

GROUPS = "crm_core.group_user,crm_billing_sepa.group_billing,account.group_account_invoice"


class LocalisedTourCase(HttpCase):
    company_xmlid = ""
    chart_template = ""
    tax_xmlid = ""  # the chart's domestic sales tax of services (its template id)
    lang = ""
    product_name = ""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref(cls.company_xmlid, raise_if_not_found=False)
        if not cls.company or cls.company.chart_template != cls.chart_template:
            raise AssertionError(
                f"{cls.company_xmlid} on the chart {cls.chart_template} is missing: the tour "
                "runs on the story's localised company (make test installs l10n_de and l10n_cz "
                "with demo data)"
            )
        cls.tax = cls.env["account.chart.template"].with_company(cls.company).ref(cls.tax_xmlid)
        cls.env["product.product"].create(
            {
                "name": cls.product_name,
                "type": "service",
                "list_price": 85.0,
                "company_id": cls.company.id,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )

    def run_tour(self, tour, kind):
        self.env["res.lang"]._activate_lang(self.lang)
        self.env["ir.module.module"]._load_module_terms(
            ["crm_core", "crm_billing_sepa"], [self.lang]
        )
        user = new_test_user(
            self.env,
            login=f"einvoice_tour_{self.lang}",
            groups=GROUPS,
            lang=self.lang,
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.start_tour("/odoo/contacts/new", tour, login=user.login, timeout=180)
        partner = self.env["res.partner"].search(
            [("create_uid", "=", user.id), ("parent_id", "=", False)]
        )
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.lang, self.lang, "a new customer speaks its country's language")
        invoice = self.env["account.move"].search([("partner_id", "=", partner.id)])
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        # the story's company, on its chart, with its chart's VAT
        self.assertEqual(invoice.company_id, self.company)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax)
        self.assertEqual(invoice.currency_id, self.company.currency_id)
        self.assertAlmostEqual(
            invoice.amount_tax, invoice.amount_untaxed * self.tax.amount / 100, places=2
        )
        # the file the tour's click downloads, as the user downloads it
        self.authenticate(user.login, user.login)
        url = invoice.with_user(user).action_crm_einvoice_download(kind)["url"]
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.addCleanup(einvoice_validator.ValidatorProcess.close)  # no child left behind
        report = einvoice_validator.ValidatorProcess.get().validate(response.content)
        self.assertFalse(report.errors, str(report))
        return partner, invoice, report, response.content


@tagged("post_install", "-at_install")
class TestEinvoiceTourGerman(LocalisedTourCase):
    company_xmlid = "base.main_company"
    chart_template = "de_skr03"
    tax_xmlid = "tax_ust_19_skr03"
    lang = "de_DE"
    product_name = "Wartung Heizungsanlage"

    def test_german_tour(self):
        self.assertEqual(self.company.name, "Elbtal Handel GmbH")
        _partner, invoice, report, content = self.run_tour("crm_einvoice_tour_de", "xrechnung_ubl")
        self.assertEqual(report.syntax, "ubl")
        self.assertFalse(report.warnings, str(report))
        self.assertEqual(self.tax.amount, 19.0)
        self.assertEqual(invoice.currency_id.name, "EUR")
        # the XRechnung says so: the seller, 19 % standard rate, euros
        self.assertIn(b"Elbtal Handel GmbH", content)
        self.assertIn(b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", content)
        self.assertRegex(content, rb"<cbc:Percent>19(\.0+)?</cbc:Percent>")


@tagged("post_install", "-at_install")
class TestEinvoiceTourCzech(LocalisedTourCase):
    company_xmlid = "base.demo_company_cz"
    chart_template = "cz"
    tax_xmlid = "l10n_cz_21_domestic_services"
    lang = "cs_CZ"
    product_name = "Servis obráběcího stroje"

    def test_czech_tour(self):
        self.assertEqual(self.company.name, "Elbtal Obchod s.r.o.")
        _partner, invoice, report, content = self.run_tour("crm_einvoice_tour_cs", "isdoc")
        self.assertEqual(report.syntax, "isdoc")
        self.assertFalse(report.findings, str(report))
        self.assertEqual(self.tax.amount, 21.0)
        self.assertEqual(invoice.currency_id.name, "CZK")
        self.assertIn(b"Elbtal Obchod s.r.o.", content)
        self.assertIn(b"CZK", content)
