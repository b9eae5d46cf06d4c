import datetime
from pathlib import Path

from odoo.fields import Command
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_chronicle.models.crm_chronicle_correspondence import SOURCE_COLUMNS

from .common import ChronicleCommon, check_kind_filters


@tagged("post_install", "-at_install")
class TestCorrespondenceHook(ChronicleCommon):
    """The hook other addons add their documents through (`_correspondence_sources`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Correspondence = cls.env["crm.chronicle.correspondence"]

    def test_every_source_selects_the_columns_and_a_known_kind(self):
        """Every contribution of the installed addons names the columns of the hook and
        only kinds of the selection (so a row never lacks its kind's id code)."""
        kinds = set(self.Correspondence._fields["kind"].get_values(self.env))
        for source in self.Correspondence._correspondence_sources():
            self.env.cr.execute(SQL("SELECT * FROM (%s) s LIMIT 0", source))
            columns = {col.name for col in self.env.cr.description}
            self.assertLessEqual(set(SOURCE_COLUMNS), columns, source.code)
            found = self.env.execute_query(SQL("SELECT DISTINCT s.kind FROM (%s) s", source))
            self.assertLessEqual({kind for (kind,) in found}, kinds, source.code)

    def test_the_readme_documents_the_hook(self):
        text = (Path(get_module_path("crm_chronicle")) / "readme" / "USAGE.md").read_text()
        for name in (
            "_correspondence_sources()",
            "_correspondence_logged_models()",
            "_correspondence_document_actions()",
            "_correspondence_moment()",
            "_correspondence_flow()",
            "kind_filters_end",
            *SOURCE_COLUMNS,
        ):
            self.assertIn(f"`{name}`", text)
        self.assertIn("selection_add", text)

    def test_kind_codes_are_distinct_and_do_not_depend_on_the_other_kinds(self):
        codes = self.Correspondence._correspondence_kind_codes()
        self.assertEqual(set(codes), set(self.Correspondence._fields["kind"].get_values(self.env)))
        self.assertEqual(len(set(codes.values())), len(codes))
        # the code of a kind is a function of its key alone (ids survive installing addons)
        self.assertEqual(
            {kind: codes[kind] for kind in ("entry", "invoice", "email", "attachment")},
            {"entry": 58681, "invoice": 58334, "email": 17431, "attachment": 24169},
        )
        self.assertEqual(
            self.Correspondence._correspondence_row_id("entry", 7) % (1 << 16), codes["entry"]
        )

    def test_row_ids_are_unique_and_name_their_source(self):
        entry = self.Entry.crm_log(self.contact, "letter", "Brief")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "a.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": entry.partner_id.id,
            }
        )
        rows = self.Correspondence.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(rows.ids), len(set(rows.ids)))
        [row] = rows.filtered(lambda r: r.kind == "entry")
        self.assertEqual(row.id, self.Correspondence._correspondence_row_id("entry", entry.id))
        self.assertEqual(
            (row.source_id, row.res_model, row.res_id), (entry.id, entry._name, entry.id)
        )
        [row] = rows.filtered(lambda r: r.kind == "attachment")
        self.assertEqual(
            row.id, self.Correspondence._correspondence_row_id("attachment", attachment.id)
        )
        # read by id (as a reload does): found through the source table's primary key
        self.assertEqual(
            self.Correspondence.with_user(self.user).browse(row.id).read(["name"])[0]["name"],
            "a.pdf",
        )


@tagged("post_install", "-at_install")
class TestCorrespondenceProjects(ChronicleCommon):
    """Projects and tasks of a customer in its correspondence, as their users may read
    them; opening a customer's correspondence costs the same queries for any number of
    rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Correspondence = cls.env["crm.chronicle.correspondence"]
        cls.project = cls.env["project.project"].create(
            {
                "name": "Umbau Lager",
                "partner_id": cls.contact.id,
                "date_start": "2026-03-01",
                "date": "2026-06-30",
                "privacy_visibility": "employees",
            }
        )
        cls.secret = cls.env["project.project"].create(
            {"name": "Übernahme", "partner_id": cls.customer.id, "privacy_visibility": "followers"}
        )
        cls.task = cls.env["project.task"].create(
            {"name": "Regale bestellen", "project_id": cls.project.id, "partner_id": cls.contact.id}
        )
        cls.secret_task = cls.env["project.task"].create(
            {"name": "Due Diligence", "project_id": cls.secret.id, "partner_id": cls.customer.id}
        )

    def _rows(self, user):
        return self.Correspondence.with_user(user).search([("partner_id", "=", self.customer.id)])

    def test_projects_and_tasks_of_the_customer(self):
        rows = self._rows(self.user)
        [project] = rows.filtered(lambda r: r.kind == "project")
        self.assertEqual(
            (project.res_model, project.res_id, str(project.date), project.name),
            # the start of its day for the user (Europe/Berlin), not midnight UTC
            ("project.project", self.project.id, "2026-02-28 23:00:00", "Umbau Lager"),
        )
        self.assertEqual(project.company_id, self.env.company)
        [task] = rows.filtered(lambda r: r.kind == "task")
        self.assertEqual(
            (task.res_model, task.res_id, task.name, task.date),
            ("project.task", self.task.id, "Regale bestellen", self.task.create_date),
        )
        self.assertEqual(project.action_open()["res_id"], self.project.id)
        self.assertEqual(task.action_open()["res_model"], "project.task")

    def test_projects_the_user_may_not_read_are_not_listed(self):
        """A project for invited users only, and its task, are listed to its followers."""
        names = self._rows(self.user).mapped("name")
        self.assertNotIn("Übernahme", names)
        self.assertNotIn("Due Diligence", names)
        self.secret.message_subscribe(partner_ids=self.user.partner_id.ids)
        names = self._rows(self.user).mapped("name")
        self.assertIn("Übernahme", names)
        self.assertIn("Due Diligence", names)

    def test_opening_costs_the_same_queries_for_any_number_of_rows(self):
        """The list as the web client opens it (first page and count): a fixed number of
        queries whatever the number and kinds of rows."""
        Correspondence = self.Correspondence.with_user(self.user)
        action = self.customer.with_user(self.user).action_open_crm_correspondence()
        spec = {
            "date": {},
            "kind": {},
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "company_id": {"fields": {"display_name": {}}},
            "res_model": {},
            "can_print": {},
            "can_send": {},
        }

        def open_list():
            self.env.invalidate_all()
            return Correspondence.web_search_read(action["domain"], spec, limit=80)

        def add_documents(count):
            for n in range(count):
                self.Entry.crm_log(self.contact, "letter", f"Brief {n}")
                self.env["project.task"].create(
                    {
                        "name": f"Aufgabe {n}",
                        "project_id": self.project.id,
                        "partner_id": self.contact.id,
                    }
                )
                self.env["ir.attachment"].create(
                    {
                        "name": f"{n}.pdf",
                        "raw": b"%PDF",
                        "res_model": "res.partner",
                        "res_id": self.customer.id,
                    }
                )

        # more than a page (the web client then counts them)
        add_documents(30)
        open_list()  # warm the caches (rules, reports)
        with self.assertQueryCount(12):
            few = open_list()
        add_documents(100)
        open_list()
        with self.assertQueryCount(12):
            many = open_list()
        self.assertEqual(many["length"], few["length"] + 300)
        self.assertEqual(len(many["records"]), 80)


@tagged("post_install", "-at_install")
class TestCorrespondenceOrder(ChronicleCommon):
    """Within a day the correspondence lists documents in the order they happened: a
    document that bears a date only (an invoice) is placed at its creation on that day;
    documents of the same moment follow the business flow. The search view filters by
    each kind of row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Correspondence = cls.env["crm.chronicle.correspondence"]
        cls.accountant = new_test_user(
            cls.env,
            login="chron_order_acc",
            groups="crm_core.group_user,account.group_account_invoice",
            tz="Europe/Berlin",
        )

    def _invoice(self, day, created):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "invoice_date": day,
                "invoice_line_ids": [Command.create({"name": "Wartung", "price_unit": 50})],
            }
        )
        invoice.action_post()
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE account_move SET create_date = %s WHERE id = %s", created, invoice.id)
        )
        self.env.invalidate_all()
        return invoice

    def _entry(self, when, name):
        entry = self.Entry.crm_log(self.customer, "letter", name)
        entry.date = when
        return entry

    def test_documents_of_one_day_in_the_order_they_happened(self):
        day = datetime.date(2026, 3, 10)
        at = lambda hour: datetime.datetime(2026, 3, 10, hour)  # noqa: E731 (UTC)
        letter = self._entry(at(9), "Anfrage")
        # created at 10:00 on its day: after the 9:00 letter, though dated midnight
        invoice = self._invoice(day, at(10))
        # at the same moment as the invoice: the invoice comes later in the flow
        call_note = self._entry(at(10), "Rückruf")
        # drafted the day before, dated (posted) on the day: the start of the day
        early = self._invoice(day, datetime.datetime(2026, 3, 9, 15))
        later = self._entry(at(11), "Nachfrage")
        rows = self.Correspondence.with_user(self.accountant).search(
            [("partner_id", "=", self.customer.id)]
        )
        order = [(row.res_model, row.res_id) for row in rows]
        self.assertEqual(
            order,
            [
                ("crm.chronicle.entry", later.id),
                ("account.move", invoice.id),
                ("crm.chronicle.entry", call_note.id),
                ("crm.chronicle.entry", letter.id),
                ("account.move", early.id),
            ],
            "newest first, each document at the time it happened",
        )
        by_id = {(row.res_model, row.res_id): row for row in rows}
        self.assertEqual(by_id[("account.move", invoice.id)].date, at(10))
        # the start of 10 March in Berlin
        self.assertEqual(by_id[("account.move", early.id)].date, datetime.datetime(2026, 3, 9, 23))
        # the day is the reader's: in New York 10 March (summer time since 8 March)
        # starts at 4:00 UTC, and an invoice created at 3:00 UTC was created on 9 March
        night = self._invoice(day, datetime.datetime(2026, 3, 10, 3))
        [row] = (
            self.Correspondence.with_user(self.accountant)
            .with_context(tz="America/New_York")
            .search([("kind", "=", "invoice"), ("res_id", "=", night.id)])
        )
        self.assertEqual(row.date, datetime.datetime(2026, 3, 10, 4))

    def test_a_filter_for_each_kind_and_group_bys(self):
        filters = check_kind_filters(self, self.env(user=self.user.id))
        self.assertEqual(filters["invoice"], "kind_invoice")
