"""Addresses printed through Odoo's own `_display_address` (invoices, the contact widget of
letters, mandate forms and the DIN 5008 address window, route sheets) in the destination
country's postal order: Czech Post wants "602 00 Brno", Odoo 19 has no format for Czechia
and printed "Brno 602 00" (issue 18)."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPostalAddressFormat(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.czech = Partner.create(
            {
                "name": "Dřevovýroba Horák s.r.o.",
                "is_company": True,
                "street": "Masarykova 8",
                "zip": "602 00",
                "city": "Brno",
                "country_id": cls.env.ref("base.cz").id,
            }
        )
        cls.german = Partner.create(
            {
                "name": "Sächsische Holzwaren GmbH",
                "is_company": True,
                "street": "Bautzner Straße 17",
                "zip": "01099",
                "city": "Dresden",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.american = Partner.create(
            {
                "name": "ACME Inc.",
                "is_company": True,
                "street": "1 Main St",
                "zip": "10001",
                "city": "New York",
                "state_id": cls.env.ref("base.state_us_27").id,
                "country_id": cls.env.ref("base.us").id,
            }
        )

    def contact_widget(self, partner):
        """What the reports' `t-options='{"widget": "contact"}'` prints (the address window
        of the DIN 5008 layout, invoices, dunning letters, mandate forms)."""
        html = self.env["ir.qweb.field.contact"].value_to_html(
            partner, {"fields": ["address", "name"], "no_marker": True}
        )
        return " ".join(str(html).replace("<br/>", "\n").split())

    def test_czech_address_postcode_before_town(self):
        self.assertIn("\n602 00 Brno\n", self.czech._display_address())
        self.assertNotIn("Brno 602 00", self.czech._display_address())
        self.assertIn("602 00 Brno", self.czech.with_context(show_address=True).display_name)
        text = self.contact_widget(self.czech)
        self.assertIn("Masarykova 8", text)
        self.assertIn("602 00 Brno", text)
        self.assertNotIn("Brno 602 00", text)

    def test_german_and_american_addresses_unchanged(self):
        self.assertIn("\n01099 Dresden\n", self.german._display_address())
        self.assertIn("01099 Dresden", self.contact_widget(self.german))
        # countries whose post wants the town first keep Odoo's format
        self.assertIn("New York NY 10001", self.american._display_address())

    def test_format_set_on_the_country_is_kept(self):
        self.env.ref("base.cz").address_format = "%(street)s\n%(city)s\n%(zip)s\n%(country_name)s"
        self.assertIn("\nBrno\n602 00\n", self.czech._display_address())
