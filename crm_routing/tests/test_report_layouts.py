"""The route sheet and the mileage logbook on the DIN 5008 layout (which l10n_de gives German
companies) and on the standard layout: the title is printed, no address has empty parts,
and the sheet speaks its reader's language (issue 18)."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_core.tests.report_layouts import ReportLayoutsMixin

from .common import RouteCommon


@tagged("post_install", "-at_install")
class TestReportsOnLayouts(ReportLayoutsMixin, RouteCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.load_languages(["crm_routing"])

    def test_route_sheet_and_logbook_on_both_layouts(self):
        de = self.env.ref("base.de")
        depot = self.env["res.partner"].create(
            {"name": "Depot Nur PLZ", "zip": "01099", "country_id": de.id}
        )
        stop = self.env["res.partner"].create(
            {
                "name": "Tischlerei Köhler",
                "street": "Lange Straße 4",
                "zip": "01796",
                "city": "Pirna",
                "country_id": de.id,
            }
        )
        town_only = self.env["res.partner"].create({"name": "Nur Ort KG", "city": "Meißen"})
        route = self.env["crm.route"].create(
            {
                "name": "Elbtal Nord",
                "start_kind": "partner",
                "start_partner_id": depot.id,
                "end_kind": "partner",
                "end_partner_id": depot.id,
                "stop_ids": [(0, 0, {"partner_id": stop.id}), (0, 0, {"partner_id": town_only.id})],
            }
        )
        log = self.env["crm.mileage.log"].create(
            {
                "route_id": route.id,
                "partner_id": stop.id,
                "origin": "01099",
                "destination": "Lange Straße 4, 01796 Pirna",
                "distance": 21.4,
                "purpose": "Kundenbesuch",
            }
        )
        company = self.env.company
        for lang, sheet, logbook, english in (
            ("de_DE", "Tourenblatt: Elbtal Nord", "Fahrtenbuch", ("Route sheet", "Mileage log")),
            ("cs_CZ", "Plán trasy: Elbtal Nord", "Kniha jízd", ("Route sheet", "Mileage log")),
        ):
            self.env = self.env(context=dict(self.env.context, lang=lang))
            texts = self.assert_report_on_layouts(
                "crm_routing.crm_route_sheet_report",
                route.with_env(self.env),
                company,
                title=sheet,
                address=("Tischlerei Köhler",),
                not_words=english,
            )
            for text in texts.values():
                flat = " ".join(text.split())
                self.assertIn("Depot Nur PLZ, 01099", flat)
                self.assertIn("Lange Straße 4", flat)
                self.assertIn("Nur Ort KG", flat)
            self.assert_report_on_layouts(
                "crm_routing.crm_mileage_logbook_report",
                log.with_env(self.env),
                company,
                title=logbook,
                words=("Kundenbesuch", "21,4"),
                not_words=english,
            )
