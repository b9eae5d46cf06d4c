"""The dunning letter and the SEPA mandate form of a company on SKR03 (l10n_de), printed on
the DIN 5008 layout Odoo's German chart gives its companies and on the standard layout: the
title is there, the recipient's address fills the letter's address field, no address has
empty parts, and the letter speaks the customer's language (issue 18)."""

import datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.report_layouts import ReportLayoutsMixin

from .common import CREDITOR_ID, IBAN_A, IBAN_B, SepaCase


@tagged("post_install", "-at_install")
class TestReportsOnLayouts(ReportLayoutsMixin, SepaCase, HttpCase):
    chart_template = "de_skr03"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "name": "Elbtal Handel Prüf GmbH",
                "street": "Königsbrücker Straße 96",
                "zip": "01099",
                "city": "Dresden",
            }
        )
        Partner = cls.env["res.partner"]
        de, cz = cls.env.ref("base.de"), cls.env.ref("base.cz")
        cls.german = Partner.create(
            {
                "name": "Sächsische Holzwaren GmbH",
                "is_company": True,
                "street": "Bautzner Straße 17",
                "zip": "01099",
                "city": "Dresden",
                "country_id": de.id,
                "lang": "de_DE",
            }
        )
        cls.czech = Partner.create(
            {
                "name": "Dřevovýroba Horák s.r.o.",
                "is_company": True,
                "street": "Masarykova 8",
                "zip": "602 00",
                "city": "Brno",
                "country_id": cz.id,
                "lang": "cs_CZ",
            }
        )
        # no street and no postcode: nothing empty in between
        cls.sparse = Partner.create(
            {"name": "Nur Stadt KG", "is_company": True, "city": "Pirna", "lang": "de_DE"}
        )

    def setUp(self):
        super().setUp()
        self.load_languages(["crm_billing_sepa"])

    def test_dunning_letter_on_both_layouts_in_the_customers_language(self):
        level = self.env["crm.dunning.level"].create(
            {"name": "Payment reminder", "days": 7, "letter_text": "Please pay."}
        )
        for lang, name, text in (
            ("de_DE", "Zahlungserinnerung", "Bitte zahlen Sie."),
            ("cs_CZ", "Upomínka", "Prosíme o úhradu."),
        ):
            level.with_context(lang=lang).write({"name": name, "letter_text": text})
        for partner in (self.german, self.czech, self.sparse):
            self.make_invoice(partner, 119.0, due=datetime.date(2026, 2, 10))
        result = self.env["crm.dunning.run"].run_dunning(
            date=datetime.date(2026, 3, 2), fee_mode="none"
        )
        letters = self.env["crm.dunning.letter"].browse(result["letter_ids"])
        by_partner = {letter.partner_id: letter for letter in letters}
        report = "crm_billing_sepa.crm_dunning_letter_report"
        self.assert_report_on_layouts(
            report,
            by_partner[self.german],
            self.company,
            title="Zahlungserinnerung",
            address=("Sächsische Holzwaren GmbH", "Bautzner Straße 17", "01099 Dresden"),
            words=("Bitte zahlen Sie.", "Offener Betrag"),
            not_words=("Payment reminder", "Open Amount"),
        )
        self.assert_report_on_layouts(
            report,
            by_partner[self.czech],
            self.company,
            title="Upomínka",
            address=("Dřevovýroba Horák s.r.o.", "Masarykova 8", "602 00 Brno"),
            words=("Prosíme o úhradu.", "Otevřená částka"),
            not_words=("Payment reminder", "Open Amount", "Zahlungserinnerung"),
        )
        self.assert_report_on_layouts(
            report,
            by_partner[self.sparse],
            self.company,
            title="Zahlungserinnerung",
            address=("Nur Stadt KG", "Pirna"),
        )

    def test_mandate_form_on_both_layouts_in_the_customers_language(self):
        report = "crm_billing_sepa.crm_sepa_mandate_report_action"
        for partner, iban, title, label, address in (
            (
                self.german,
                IBAN_A,
                "SEPA-Lastschriftmandat",
                "Gläubiger-Identifikationsnummer",
                ("Sächsische Holzwaren GmbH", "Bautzner Straße 17", "01099 Dresden"),
            ),
            (
                self.czech,
                IBAN_B,
                "Mandát k inkasu SEPA",
                "Identifikátor věřitele",
                ("Dřevovýroba Horák s.r.o.", "Masarykova 8", "602 00 Brno"),
            ),
        ):
            bank = self.env["res.partner.bank"].create(
                {"acc_number": iban, "partner_id": partner.id}
            )
            mandate = self.env["crm.sepa.mandate"].create(
                {
                    "partner_id": partner.id,
                    "bank_account_id": bank.id,
                    "signature_date": datetime.date(2025, 6, 1),
                    "scheme": "CORE",
                }
            )
            texts = self.assert_report_on_layouts(
                report,
                mandate,
                self.company,
                title=title,
                address=address,
                words=(label, CREDITOR_ID, mandate.name),
                not_words=("SEPA Direct Debit Mandate", "Creditor identifier"),
            )
            for text in texts.values():
                # the letter's address field holds the debtor, above the form's title
                flat = " ".join(text.split())
                self.assertLess(flat.index(address[1]), flat.index(title))
