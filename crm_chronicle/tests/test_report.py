import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import new_test_user
from odoo.addons.crm_core.tests.pdf_text import pdf_text

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestReport(ChronicleCommon):
    def test_chronicle_report_for_a_period(self):
        Entry = self.Entry.with_user(self.user)
        Entry.crm_log(self.customer, "call", "Im Januar", date=datetime.datetime(2026, 1, 10, 9))
        Entry.crm_log(self.contact, "visit", "Im Februar", date=datetime.datetime(2026, 2, 3, 9))
        Entry.crm_log(self.customer, "call", "Im März", date=datetime.datetime(2026, 3, 5, 9))
        secret = Entry.crm_log(
            self.customer, "note", "Geheimnotiz", date=datetime.datetime(2026, 1, 20, 9)
        )
        secret.private = True
        wizard = (
            self.env["crm.chronicle.report.wizard"]
            .with_user(self.user2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-02-28",
                }
            )
        )
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "crm_chronicle.report_chronicle")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user2)
            ._render_qweb_html(
                "crm_chronicle.report_chronicle", self.customer.ids, data=action["data"]
            )
        )
        html = html.decode()
        self.assertIn("Im Januar", html)
        self.assertIn("Im Februar", html)  # a contact person's entry
        self.assertNotIn("Im März", html)
        self.assertNotIn("Geheimnotiz", html)  # private: not for this user
        with self.assertRaisesRegex(ValidationError, "starts .* after it ends"):
            wizard.date_from = "2026-03-01"

    @freeze_time("2026-03-04 10:00:00")
    def test_statistics_by_type_user_month_and_overdue_per_user(self):
        Entry = self.Entry
        Entry.crm_log(self.customer, "call", "a", user=self.user, resubmission_date="2026-03-01")
        Entry.crm_log(self.customer, "call", "b", user=self.user, resubmission_date="2026-03-02")
        Entry.crm_log(self.customer, "visit", "c", user=self.user2, resubmission_date="2026-03-02")
        Entry.crm_log(self.customer, "visit", "d", user=self.user2, resubmission_date="2026-04-02")
        domain = [("commercial_partner_id", "=", self.customer.id)]
        by_type = dict(Entry._read_group(domain, ["type_id"], ["__count"]))
        self.assertEqual({t.code: n for t, n in by_type.items()}, {"call": 2, "visit": 2})
        by_user_month = Entry._read_group(domain, ["user_id", "date:month"], ["__count"])
        self.assertEqual(len(by_user_month), 2)
        Resub = self.env["crm.chronicle.resubmission"].with_user(self.manager)
        overdue = dict(
            Resub._read_group(
                [("due_bucket", "=", "overdue"), ("partner_id", "=", self.customer.id)],
                ["user_id"],
                ["__count"],
            )
        )
        self.assertEqual(overdue, {self.user: 2, self.user2: 1})
        pivot = Resub.web_read_group(
            [("partner_id", "=", self.customer.id), ("state", "=", "open")],
            ["user_id", "due_bucket"],
            ["__count"],
        )
        self.assertTrue(pivot["groups"])


@tagged("post_install", "-at_install")
class TestReportPdf(HttpCase):
    def test_report_renders_a_pdf(self):
        # wkhtmltopdf fetches the styles from this test's own server
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        partner = self.env["res.partner"].create({"name": "PDF Kunde", "is_company": True})
        self.env["crm.chronicle.entry"].crm_log(partner, "call", "PDF-Eintrag")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_chronicle.report_chronicle",
                partner.ids,
                data={"date_from": "2000-01-01", "date_to": "2100-01-01"},
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestContactSheetChronicle(HttpCase):
    """crm_core's contact sheet, filled by crm_chronicle through its extension point."""

    def test_contact_sheet_shows_latest_entries_and_open_resubmissions(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        author = new_test_user(
            self.env, login="sheet_author", groups="crm_core.group_user", tz="Europe/Berlin"
        )
        reader = new_test_user(
            self.env,
            login="sheet_reader",
            groups="crm_core.group_user,account.group_account_invoice",
            tz="Europe/Berlin",
        )
        customer, other = self.env["res.partner"].create(
            [
                {"name": "Blattkunde GmbH", "is_company": True},
                {"name": "Anderer Kunde s.r.o.", "is_company": True},
            ]
        )
        contact = self.env["res.partner"].create({"name": "Petra Person", "parent_id": customer.id})
        Entry = self.env["crm.chronicle.entry"].with_user(author)
        Entry.crm_log_batch(
            [
                {
                    "partner": contact if day % 2 else customer,
                    "type_code": "call",
                    "subject": f"Telefonat Nummer {day:02d}",
                    "date": datetime.datetime(2026, 4, day, 9, 0),
                }
                for day in range(1, 13)
            ]
        )
        Entry.crm_log(other, "call", "Fremder Eintrag", date=datetime.datetime(2026, 4, 20, 9))
        Entry.crm_log(
            customer,
            "visit",
            "Besuch mit Wiedervorlage",
            date=datetime.datetime(2026, 4, 15, 9, 0),
            resubmission_date=datetime.date(2026, 5, 6),
            resubmission_user=reader,
        )
        done = Entry.crm_log(
            customer,
            "note",
            "Erledigte Wiedervorlage",
            date=datetime.datetime(2026, 4, 14, 9, 0),
            resubmission_date=datetime.date(2026, 5, 7),
        )
        done.resubmission_ids.sudo().write({"state": "done"})
        Entry.crm_log(
            customer, "note", "Geheime Notiz", date=datetime.datetime(2026, 4, 16, 9, 0)
        ).private = True
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(reader)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_core.action_report_contact_sheet", res_ids=customer.ids)
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Latest chronicle entries", text)
        # the 10 newest the reader may see: not the private note, not the other customer's
        for day in range(5, 13):
            self.assertIn(f"Telefonat Nummer {day:02d}", text)  # contact persons' too
        for missing in ("Telefonat Nummer 04", "Geheime Notiz", "Fremder Eintrag"):
            self.assertNotIn(missing, text)
        self.assertIn("Besuch mit Wiedervorlage", text)
        self.assertLess(text.index("Besuch mit Wiedervorlage"), text.index("Telefonat Nummer 12"))
        section = text[text.index("Open resubmissions") :]
        # the subject may wrap in its narrow column, the user's name of the next column
        # between its lines (the story's company on SKR03 prints in l10n_de's DIN 5008 layout)
        self.assertRegex(section, r"Besuch mit (\S+ )?Wiedervorlage")
        self.assertIn("05/06/2026", section)  # all day: the date only
        self.assertIn("sheet_reader", section)
        self.assertNotIn("Erledigte Wiedervorlage", section)
