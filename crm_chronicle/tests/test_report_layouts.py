"""The chronicle of a customer on the DIN 5008 layout (which l10n_de gives German companies)
and on the standard layout: the title is printed, in the reader's language (issue 18)."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.report_layouts import ReportLayoutsMixin


@tagged("post_install", "-at_install")
class TestReportsOnLayouts(ReportLayoutsMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.load_languages(["crm_chronicle"])

    def test_chronicle_on_both_layouts(self):
        partner = self.env["res.partner"].create(
            {"name": "Sächsische Holzwaren GmbH", "is_company": True, "lang": "de_DE"}
        )
        self.env["crm.chronicle.entry"].crm_log(partner, "call", "Rückruf")
        for lang, title in (
            ("de_DE", "Chronik von Sächsische Holzwaren GmbH"),
            ("cs_CZ", "Historie: Sächsische Holzwaren GmbH"),
        ):
            self.env = self.env(context=dict(self.env.context, lang=lang))
            self.assert_report_on_layouts(
                "crm_chronicle.report_chronicle",
                partner,
                self.env.company,
                title=title,
                words=("Rückruf",),
                not_words=("Chronicle of",),
                data={"date_from": "2000-01-01", "date_to": "2100-01-01"},
            )
