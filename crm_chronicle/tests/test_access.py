import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user
from odoo.addons.crm_core.tools.boundary import ArgumentError

from .common import ChronicleCommon


class AccessCommon(ChronicleCommon):
    """Users of two companies, with and without CRM and accounting rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "Zweitfirma s.r.o."})
        cls.user_c2 = new_test_user(
            cls.env,
            login="acc_c2",
            groups="crm_core.group_user",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        cls.plain = new_test_user(cls.env, login="acc_plain", groups="base.group_user")
        cls.accountant = new_test_user(
            cls.env,
            login="acc_accountant",
            groups="crm_core.group_user,account.group_account_invoice",
        )
        # a customer both companies share, and one of company 2 only
        cls.shared = cls.env["res.partner"].create(
            {"name": "Geteilter Kunde AG", "is_company": True}
        )
        cls.customer_c2 = cls.env["res.partner"].create(
            {"name": "Nur-Firma-2 s.r.o.", "is_company": True, "company_id": cls.company2.id}
        )
        cls.Correspondence = cls.env["crm.chronicle.correspondence"]
        # (exporting is a right of its own)
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.user, cls.user2, cls.manager, cls.user_c2, cls.accountant):
            user.group_ids |= export

    def _rows(self, user, partner):
        return self.Correspondence.with_user(user).search([("partner_id", "=", partner.id)])

    def _invoice(self, partner, move_type="out_invoice", company=None):
        product = self.env["product.product"].create({"name": "Leistung"})
        move = (
            self.env["account.move"]
            .with_company(company or self.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": "2026-11-30",
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100.0})
                    ],
                }
            )
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestCorrespondenceAccess(AccessCommon):
    def test_email_rows_follow_company_and_document(self):
        """An e-mail of the shared customer on a company-2 document is company 2's: a user
        of company 1 finds neither its subject nor its text, by search, grouping, export
        or id; the user of company 2 does."""
        message = self.customer_c2.message_post(
            body="<p>Geheime Konditionen für Firma 2</p>",
            subject="Vertrag Firma 2",
            message_type="email",
            author_id=self.shared.id,
        )
        self.assertEqual(message.record_company_id, self.company2)
        row_id = self.Correspondence._correspondence_row_id("email", message.id)
        for user in (self.user, self.manager):
            rows = self._rows(user, self.shared)
            self.assertNotIn("Vertrag Firma 2", rows.mapped("name"), user.login)
            groups = self.Correspondence.with_user(user)._read_group(
                [("partner_id", "=", self.shared.id)], ["name"], ["__count"]
            )
            self.assertNotIn("Vertrag Firma 2", [name for name, _count in groups])
            row = self.Correspondence.with_user(user).browse(row_id)
            with self.assertRaises(AccessError):
                row.read(["name"])
            with self.assertRaises(AccessError):
                row.export_data(["name", "company_id"])
        rows = self._rows(self.user_c2, self.shared)
        [row] = rows.filtered(lambda r: r.kind == "email")
        self.assertEqual((row.name, row.company_id), ("Vertrag Firma 2", self.company2))
        self.assertEqual(row.export_data(["name"])["datas"], [["Vertrag Firma 2"]])

    def test_email_rows_of_documents_the_user_may_not_read(self):
        """An e-mail on an invoice is listed only for users who may read the invoice."""
        invoice = self._invoice(self.shared)
        invoice.message_post(
            body="<p>Bitte um Gutschrift</p>",
            subject="Reklamation zur Rechnung",
            message_type="email",
            author_id=self.shared.id,
        )
        self.assertNotIn(
            "Reklamation zur Rechnung", self._rows(self.user, self.shared).mapped("name")
        )
        self.assertIn(
            "Reklamation zur Rechnung", self._rows(self.accountant, self.shared).mapped("name")
        )

    def test_no_invoices_without_rights_on_invoices(self):
        """Posted invoices and vendor bills are listed to users who may read them; a CRM
        user without accounting rights sees none of their names (nor the chronicle entries
        that log them) in any grouping or export."""
        invoice = self._invoice(self.shared)
        bill = self._invoice(self.shared, "in_invoice")
        names = {invoice.name, bill.name}
        rows = self._rows(self.user, self.shared)
        self.assertFalse(rows.filtered(lambda r: r.kind == "invoice"))
        self.assertFalse([name for name in rows.mapped("name") if any(n in name for n in names)])
        groups = self.Correspondence.with_user(self.user)._read_group(
            [("partner_id", "=", self.shared.id)], ["kind"], ["__count"]
        )
        self.assertNotIn("invoice", dict(groups))
        exported = rows.export_data(["name", "kind"])["datas"]
        self.assertFalse([line for line in exported if line[1] == "Invoice / Credit Note"])
        with self.assertRaises(AccessError):
            self.Correspondence.with_user(self.user).browse(
                self.Correspondence._correspondence_row_id("invoice", bill.id)
            ).read(["name"])
        # the accountant sees both
        rows = self._rows(self.accountant, self.shared)
        self.assertEqual(set(rows.filtered(lambda r: r.kind == "invoice").mapped("name")), names)

    def test_every_row_carries_its_company(self):
        entry = self.Entry.crm_log(self.shared, "letter", "Brief")
        self.shared.message_post(
            body="<p>Hallo</p>", subject="Post", message_type="email", author_id=self.shared.id
        )
        self.env["ir.attachment"].create(
            {
                "name": "anlage.pdf",
                "raw": b"%PDF",
                "res_model": "res.partner",
                "res_id": self.shared.id,
            }
        )
        rows = self.Correspondence.search([("partner_id", "=", self.shared.id)])
        self.assertEqual(set(rows.mapped("kind")), {"entry", "email", "attachment"})
        self.assertTrue(all(rows.mapped("company_id")))
        self.assertIn(entry.id, rows.filtered(lambda r: r.kind == "entry").mapped("res_id"))


@tagged("post_install", "-at_install")
class TestSourceAccess(AccessCommon):
    def test_source_must_be_readable(self):
        """A user links an entry only to records they may read: crm_log, create and a
        write of the source fields (as over RPC) are refused for another company's
        partner and another user's private entry."""
        private = self.Entry.with_user(self.user2).crm_log(self.customer, "note", "Geheim")
        private.private = True
        Entry = self.Entry.with_user(self.user)
        for source in (
            f"res.partner,{self.customer_c2.id}",
            private,
            f"crm.chronicle.entry,{private.id}",
        ):
            with self.assertRaisesRegex(ArgumentError, "may not read"):
                Entry.crm_log(self.customer, "note", "Quelle", source=source)
            with self.assertRaisesRegex(ArgumentError, "may not read"):
                Entry.crm_log_batch(
                    [
                        {
                            "partner": self.customer,
                            "type_code": "note",
                            "subject": "x",
                            "source": source,
                        }
                    ]
                )
        own = Entry.crm_log(self.customer, "note", "Eigener Eintrag")
        with self.assertRaisesRegex(ArgumentError, "may not read"):
            own.write({"source_model": "res.partner", "source_id": self.customer_c2.id})
        with self.assertRaisesRegex(ArgumentError, "may not read"):
            Entry.create(
                {
                    "name": "x",
                    "partner_id": self.customer.id,
                    "source_model": "crm.chronicle.entry",
                    "source_id": private.id,
                }
            )
        self.assertFalse(own.source_name)
        # a readable source is fine
        own.write({"source_model": "res.partner", "source_id": self.shared.id})
        self.assertEqual(own.source_name, "Geteilter Kunde AG")

    def test_source_name_shows_only_what_the_reader_may_read(self):
        """Entries logged as superuser (automatic logging) about readable customers but
        with sources the reader may not read: the source's name stays hidden."""
        private = self.Entry.with_user(self.user2).crm_log(
            self.customer, "note", "Geheimer Betreff"
        )
        private.private = True
        Entry = self.Entry.sudo()
        other = Entry.crm_log(self.customer, "note", "Firma 2", source=self.customer_c2)
        secret = Entry.crm_log(self.customer, "note", "Privat", source=private)
        for entry, name in ((other, "Nur-Firma-2 s.r.o."), (secret, "Geheimer Betreff")):
            self.assertFalse(entry.with_user(self.user).source_name)
            self.assertEqual(
                entry.with_user(self.user).read(["source_name"])[0]["source_name"], False
            )
            [row] = entry.with_user(self.user).search_read([("id", "=", entry.id)], ["source_name"])
            self.assertFalse(row["source_name"])
            self.assertEqual(entry.source_name, name)  # (superuser)
            with self.assertRaises(AccessError):
                entry.with_user(self.user).action_open_source()
        self.assertEqual(secret.with_user(self.user2).source_name, "Geheimer Betreff")

    def test_feed_state_of_other_users_is_hidden(self):
        self.user.with_user(self.user)._crm_feed_rotate()
        self.assertTrue(self.user.with_user(self.user).crm_feed_active)
        self.assertFalse(self.user.with_user(self.user2).crm_feed_active)
        admin = self.env.ref("base.user_admin")
        self.assertTrue(self.user.with_user(admin).crm_feed_active)


@tagged("post_install", "-at_install")
class TestPrivateAppointments(AccessCommon):
    def test_private_appointment_hides_subject_description_attendees(self):
        """Another user finds nothing of a private appointment through calendar.event:
        not by subject, description or attendee, not by id, grouping or export, not in
        the calendar's range search; the organizer does."""
        when = datetime.datetime(2026, 12, 10, 9, 0)
        entry = self.Entry.with_user(self.user).crm_log(
            self.customer, "meeting", "Geheimes Jahresgespräch", date=when, body="<p>Preise</p>"
        )
        entry.with_user(self.user).write({"contact_ids": self.contact.ids, "private": True})
        event = entry.sudo().calendar_event_id
        self.assertEqual(event.privacy, "private")
        Event = self.env["calendar.event"]
        for user in (self.user2, self.manager, self.accountant):
            events = Event.with_user(user)
            for domain in (
                [("name", "ilike", "Geheim")],
                [("description", "ilike", "Preise")],
                [("partner_ids", "in", self.contact.ids)],
                [("start", "<=", "2026-12-11"), ("stop", ">=", "2026-12-09")],
                [("id", "=", event.id)],
            ):
                self.assertNotIn(event, events.search(domain), (user.login, domain))
            groups = events._read_group([], ["name"], ["__count"])
            self.assertFalse([name for name, _n in groups if "Geheim" in (name or "")])
            with self.assertRaises(AccessError):
                event.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                event.with_user(user).export_data(["name", "partner_ids/name"])
            self.assertFalse(
                self.env["calendar.attendee"]
                .with_user(user)
                .search([("partner_id", "=", self.contact.id), ("event_id", "=", event.id)])
            )
        # the organizer sees it all
        self.assertEqual(Event.with_user(self.user).search([("name", "ilike", "Geheim")]), event)
        self.assertIn("Geheimes Jahresgespräch", event.with_user(self.user).name)
        # a public appointment stays visible to colleagues
        entry.with_user(self.user).private = False
        self.assertEqual(Event.with_user(self.user2).search([("name", "ilike", "Geheim")]), event)


@tagged("post_install", "-at_install")
class TestPrivateEntries(AccessCommon):
    def test_private_entry_for_nobody_else(self):
        entry = self.Entry.with_user(self.user).crm_log(
            self.shared, "note", "Privatnotiz", resubmission_date="2026-12-20"
        )
        entry.with_user(self.user).private = True
        Resubmission = self.env["crm.chronicle.resubmission"]
        for user in (self.user2, self.user_c2):
            self.assertFalse(self.Entry.with_user(user).search([("id", "=", entry.id)]))
            self.assertFalse(Resubmission.with_user(user).search([("entry_id", "=", entry.id)]))
            with self.assertRaises(AccessError):
                entry.with_user(user).read(["name"])
            self.assertNotIn("Privatnotiz", self._rows(user, self.shared).mapped("name"))
        with self.assertRaises(AccessError):
            self.Entry.with_user(self.plain).search([])
        with self.assertRaises(AccessError):
            self.Correspondence.with_user(self.plain).search([])
        # the chronicle PDF of another user leaves it out
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user2)
            ._render_qweb_html(
                "crm_chronicle.report_chronicle",
                self.shared.ids,
                data={"date_from": "2000-01-01", "date_to": "2100-01-01"},
            )
        )
        self.assertNotIn("Privatnotiz", html.decode())
        self.assertEqual(self.Entry.with_user(self.user).search([("id", "=", entry.id)]), entry)

    def test_chronicle_pdf_of_a_partner_the_user_may_not_read(self):
        self.Entry.sudo().crm_log(self.customer_c2, "note", "Firma-2-Notiz")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render_qweb_html(
                "crm_chronicle.report_chronicle",
                self.customer_c2.ids,
                data={"date_from": "2000-01-01", "date_to": "2100-01-01"},
            )
        )
        self.assertNotIn("Firma-2-Notiz", html.decode())
        self.assertNotIn("Nur-Firma-2", html.decode())

    def test_resubmissions_of_partners_the_user_may_not_see(self):
        """A resubmission about a customer of company 2 only (logged in company 1 by an
        integration) is as hidden as its entry."""
        entry = self.Entry.crm_log(
            self.customer_c2, "call", "Rückruf Firma 2", resubmission_date="2026-12-20"
        )
        entry.company_id = self.company
        entry.resubmission_ids.user_id = self.user2
        self.assertFalse(self.Entry.with_user(self.user).search([("id", "=", entry.id)]))
        self.assertFalse(
            self.env["crm.chronicle.resubmission"]
            .with_user(self.user)
            .search([("entry_id", "=", entry.id)])
        )


@tagged("post_install", "-at_install")
class TestAccessRights(ChronicleCommon):
    def test_every_model_has_user_and_manager_rights_and_company_rules(self):
        user_group = self.env.ref("crm_core.group_user")
        manager_group = self.env.ref("crm_core.group_manager")
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_chronicle"), ("model", "=", "ir.model")]
        )
        ours = (
            self.env["ir.model"]
            .browse(data.mapped("res_id"))
            .filtered(
                lambda m: not self.env[m.model]._abstract
                and self.env[m.model]._original_module == "crm_chronicle"
            )
        )
        self.assertIn("crm.chronicle.correspondence", ours.mapped("model"))
        for model in ours:
            access = self.env["ir.model.access"].search([("model_id", "=", model.id)])
            self.assertTrue(access.filtered(lambda a: a.group_id == user_group), model.model)
            self.assertTrue(access.filtered(lambda a: a.group_id == manager_group), model.model)
            Model = self.env[model.model]
            if "company_id" in Model._fields and not Model._transient:
                rules = self.env["ir.rule"].search(
                    [("model_id", "=", model.id), ("global", "=", True)]
                )
                self.assertTrue(
                    rules.filtered(lambda r: "company_ids" in r.domain_force), model.model
                )
