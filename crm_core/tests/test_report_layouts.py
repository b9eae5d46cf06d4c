"""crm_core's reports on the DIN 5008 layout (which l10n_de gives German companies) and on the
standard layout: the title is printed, the address has no empty parts, the customer's sheet
is in the customer's language and the lists in the user's (issue 18)."""

import datetime

from odoo.tests import HttpCase, tagged

from .report_layouts import ReportLayoutsMixin


@tagged("post_install", "-at_install")
class TestReportsOnLayouts(ReportLayoutsMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Partner = cls.env["res.partner"]
        cls.german = Partner.create(
            {
                "name": "Sächsische Holzwaren GmbH",
                "is_company": True,
                "street": "Bautzner Straße 17",
                "zip": "01099",
                "city": "Dresden",
                "country_id": cls.env.ref("base.de").id,
                "phone": "+49 351 8765432",
                "lang": "de_DE",
                "customer_rank": 1,
            }
        )
        cls.german_person = Partner.create(
            {
                "name": "Ute Lehmann",
                "parent_id": cls.german.id,
                "crm_birthday": datetime.date(1975, 5, 21),
            }
        )
        cls.czech = Partner.create(
            {
                "name": "Dřevovýroba Horák s.r.o.",
                "is_company": True,
                "street": "Masarykova 8",
                "zip": "602 00",
                "city": "Brno",
                "country_id": cls.env.ref("base.cz").id,
                "phone": "+420 543 111 222",
                "lang": "cs_CZ",
                "customer_rank": 1,
            }
        )
        # a partner with only a city: no empty street or postcode parts
        cls.sparse = Partner.create({"name": "Nur Stadt KG", "is_company": True, "city": "Pirna"})

    def setUp(self):
        super().setUp()
        self.load_languages(["crm_core"])

    def test_contact_sheet_on_both_layouts_in_the_customers_language(self):
        report = "crm_core.action_report_contact_sheet"
        self.assert_report_on_layouts(
            report,
            self.german,
            self.company,
            title="Sächsische Holzwaren GmbH",
            address=("Bautzner Straße 17", "01099 Dresden"),
            words=("Stammdaten", "Adresse"),
            not_words=("Master data",),
        )
        self.assert_report_on_layouts(
            report,
            self.czech,
            self.company,
            title="Dřevovýroba Horák s.r.o.",
            address=("Masarykova 8", "602 00 Brno"),
            words=("Kmenová data", "Adresa"),
            not_words=("Master data", "Stammdaten"),
        )
        self.assert_report_on_layouts(
            report, self.sparse, self.company, title="Nur Stadt KG", address=("Pirna",)
        )

    def test_lists_on_both_layouts_in_the_users_language(self):
        partners = self.german | self.czech | self.sparse
        for lang, titles in {
            "de_DE": ("Telefonliste", "Adressliste", "Geburtstagsliste"),
            "cs_CZ": ("Telefonní seznam", "Seznam adres", "Seznam narozenin"),
        }.items():
            self.env = self.env(context=dict(self.env.context, lang=lang))
            for report, title in zip(
                (
                    "crm_core.action_report_phone_list",
                    "crm_core.action_report_address_list",
                    "crm_core.action_report_birthday_list",
                ),
                titles,
                strict=True,
            ):
                texts = self.assert_report_on_layouts(
                    report,
                    partners,
                    self.company,
                    title=title,
                    not_words=("Phone list", "Address list", "Birthday list"),
                )
                if report.endswith("address_list"):
                    for text in texts.values():
                        flat = " ".join(text.split())
                        self.assertIn("Bautzner Straße 17, 01099 Dresden", flat)
                        self.assertIn("Masarykova 8, 602 00 Brno", flat)
                if report.endswith("birthday_list"):
                    for text in texts.values():
                        self.assertIn("Ute Lehmann", text)
