import datetime
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.base.tests.common import new_test_user
from odoo.addons.crm_core.tests.common import CrmCoreAccountCommon
from odoo.addons.crm_core.tools import fastpath as core_fastpath

from ..tools import fastpath
from .common import ChronicleCommon, raw_entry_rows


@tagged("post_install", "-at_install")
class TestCrmLogBatch(ChronicleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"Stapel Firma {i}", "is_company": True} for i in range(62)]
        )

    def _log(self, partners, subject):
        return self.Entry.with_user(self.user).crm_log_batch(
            [
                {
                    "partner": partner,
                    "type_code": "call" if i % 2 else "note",
                    "subject": f"{subject} {partner.name}",
                    "date": datetime.datetime(2026, 5, 4, 10, i % 60),
                    "resubmission_date": "2026-06-01" if i % 3 == 0 else False,
                }
                for i, partner in enumerate(partners)
            ]
        )

    def test_batch_logs_in_order(self):
        entries = self._log(self.partners[:3], "Rundschreiben")
        self.assertEqual(entries.partner_id, self.partners[:3])
        self.assertEqual(
            entries.mapped("name"),
            [f"Rundschreiben {p.name}" for p in self.partners[:3]],
        )
        self.assertEqual(entries.mapped("type_code"), ["note", "call", "note"])
        self.assertEqual(entries.user_id, self.user)
        self.assertEqual(entries[0].state, "open")
        self.assertTrue(entries[0].resubmission_ids.all_day)
        self.assertEqual(entries[1].state, "done")
        self.assertEqual(self.Entry.crm_log_batch([]), self.Entry)

    def test_same_queries_for_1_or_30_partners(self):
        """One create for N entries: logging for 1 or 30 partners costs the same queries
        (after a first call that fills the caches: access rules, types, users)."""
        self._log(self.partners[60:], "Aufwärmen")
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            self._log(self.partners[:1], "Einer")
            self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            self._log(self.partners[30:60], "Dreißig")
            self.env.flush_all()
        self.assertEqual(
            self.Entry.search_count([("partner_id", "in", self.partners[30:60].ids)]), 30
        )

    def test_bad_entry_names_it_and_nothing_is_written(self):
        count = self.Entry.search_count([])
        Entry = self.Entry.with_user(self.user)
        good = {"partner": self.customer, "type_code": "call", "subject": "ok"}
        with self.assertRaisesRegex(ValidationError, r"entries\[1\] has unknown keys colour"):
            Entry.crm_log_batch([good, {**good, "colour": "red"}])
        with self.assertRaisesRegex(ValidationError, "lacks subject"):
            Entry.crm_log_batch([good, {"partner": self.customer, "type_code": "call"}])
        with self.assertRaisesRegex(
            ValidationError, "partner names res.partner records that do not exist"
        ):
            Entry.crm_log_batch([good, {**good, "partner": 999999999}])
        with self.assertRaisesRegex(ValidationError, r"entries\[1\].subject must be"):
            Entry.crm_log_batch([good, {**good, "subject": " "}])
        with self.assertRaisesRegex(ValidationError, "code 'nope'"):
            Entry.crm_log_batch([good, {**good, "type_code": "nope"}])
        with self.assertRaisesRegex(ValidationError, "must be one record"):
            Entry.crm_log_batch([{**good, "partner": self.partners[:2]}])
        with self.assertRaisesRegex(ValidationError, "argument entries must be a list"):
            Entry.crm_log_batch(good)
        self.assertEqual(self.Entry.search_count([]), count)


@tagged("post_install", "-at_install")
class TestClassChangeChronicle(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._crm_ensure_classes()
        cls.class_a, cls.class_b, cls.class_c = cls.env["crm.partner.class"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.abc = cls.env["crm.abc.analysis"]
        cls.Entry = cls.env["crm.chronicle.entry"]

    def _class_entries(self, partners):
        return self.Entry.search(
            [("partner_id", "in", partners.ids), ("type_code", "=", "class_change")],
            order="id",
        )

    def test_abc_run_logs_one_entry_per_changed_partner(self):
        big = self._customer("Großkunde AG", customer_rank=1)
        small = self._customer("Kleinkunde s.r.o.", customer_rank=1)
        self._post(big, 1000)
        self._post(small, 10)
        self.abc._run(self.company)
        entries = self._class_entries(big | small)
        self.assertEqual(len(entries), 2)
        by_partner = {e.partner_id: e for e in entries}
        self.assertEqual(by_partner[big].name, "ABC analysis: class none → A")
        self.assertEqual(by_partner[small].name, "ABC analysis: class none → C")
        self.assertEqual(by_partner[big]._get_source(), self.class_a)
        self.assertEqual(by_partner[big].company_id, self.company)
        self.assertEqual(by_partner[big].state, "done")
        # nothing changes: nothing logged
        self.abc._run(self.company)
        self.assertEqual(self._class_entries(big | small), entries)
        # the small one overtakes: both change, both logged
        self._post(small, 5000)
        self.abc._run(self.company)
        new = self._class_entries(big | small) - entries
        self.assertEqual(
            sorted(new.mapped("name")),
            ["ABC analysis: class A → B", "ABC analysis: class C → A"],
        )

    def test_hand_set_class_is_logged(self):
        partner = self._customer("Handverlesen GmbH", customer_rank=1)
        self.abc._run(self.company)
        with Form(partner.with_user(self.crm_manager)) as form:
            form.crm_class_id = self.class_b
        entries = self._class_entries(partner)
        self.assertEqual(
            entries.mapped("name"),
            ["ABC analysis: class none → C", "Class set by hand: C → B"],
        )
        self.assertEqual(entries[-1].user_id, self.crm_manager)
        # resetting hands the partner back to the analysis, which logs the change too
        partner.with_user(self.crm_manager).action_crm_reset_class()
        self.assertEqual(self._class_entries(partner)[-1].name, "ABC analysis: class B → C")

    def test_abc_logging_costs_the_same_queries_for_1_or_30_changes(self):
        """The ABC run's chronicle logging is one batch: 1 or 30 class changes, same
        number of queries (the analysis itself is one statement, see crm_core)."""
        user = new_test_user(
            self.env, login="abc_root_like", groups="base.group_system,crm_core.group_manager"
        )
        abc = self.abc.with_user(user)
        counts = []
        for rounds in range(2):  # the first round fills the caches
            for size in (1, 30):
                self.env["res.partner"].create(
                    [
                        {"name": f"Kunde {rounds}/{size}/{i}", "customer_rank": 1}
                        for i in range(size)
                    ]
                )
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                changes = abc._run(self.company)
                if rounds:  # (the first one also classifies the demo customers)
                    self.assertEqual(changes, size)
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[2], counts[3], counts)
        thirty = self.env["res.partner"].create(
            [{"name": f"Kunde {i}", "is_company": True, "customer_rank": 1} for i in range(30)]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(counts[3]):
            abc._run(self.company)
            self.env.flush_all()
        self.assertEqual(len(self._class_entries(thirty)), 30)

    def _twin_partners(self, tag):
        """Customers in German, in Czech, without language (the company's), and one
        belonging to the company."""
        return self.env["res.partner"].create(
            [
                {"name": f"{tag} Müller GmbH", "is_company": True, "lang": "de_DE"},
                {"name": f"{tag} Novák s.r.o.", "is_company": True, "lang": "cs_CZ"},
                {"name": f"{tag} Ohne Sprache", "is_company": True, "lang": False},
                {"name": f"{tag} Eigen", "is_company": True, "company_id": self.company.id},
            ]
        )

    def test_fast_path_entries_equal_orm_entries(self):
        """The fast path of a large batch (first ABC run) writes exactly the rows that the
        ORM writes: every column compared, on partners in several languages, for the ABC
        analysis and for classes set by hand."""
        for code in ("de_DE", "cs_CZ"):
            self.env["res.lang"]._activate_lang(code)
        self.company.partner_id.lang = "cs_CZ"
        a, b, c = self.class_a.id, self.class_b.id, self.class_c.id
        moves = [(None, a), (a, b), (b, None), (c, a)]
        now = fields.Datetime.now()
        Entry = self.Entry.with_user(self.crm_manager)
        names = {}
        for by_hand in (False, True):
            orm_partners = self._twin_partners(f"ORM {by_hand}")
            fast_partners = self._twin_partners(f"SQL {by_hand}")
            count = Entry.with_context(crm_fast_path=False)._log_class_changes(
                self.company,
                [(p.id, old, new) for p, (old, new) in zip(orm_partners, moves, strict=True)],
                by_hand,
                now=now,
            )
            self.assertEqual(count, 4)
            with patch.object(fastpath, "insert", wraps=fastpath.insert) as spy:
                count = Entry.with_context(crm_chronicle_fastpath_min=1)._log_class_changes(
                    self.company,
                    [(p.id, old, new) for p, (old, new) in zip(fast_partners, moves, strict=True)],
                    by_hand,
                    now=now,
                )
            self.assertEqual(count, 4)
            self.assertEqual(spy.call_count, 1 if core_fastpath.enabled(self.env) else 0)
            orm_rows = raw_entry_rows(self.env, orm_partners)
            fast_rows = raw_entry_rows(self.env, fast_partners)
            self.assertEqual(len(orm_rows), 4)
            for orm_row, fast_row, partner in zip(orm_rows, fast_rows, fast_partners, strict=True):
                self.assertEqual(fast_row.pop("partner_id"), partner.id)
                self.assertEqual(fast_row.pop("commercial_partner_id"), partner.id)
                orm_row.pop("partner_id")
                orm_row.pop("commercial_partner_id")
                self.assertEqual(orm_row, fast_row)
                names.setdefault(by_hand, []).append(fast_row["name"])
        # subjects in the partner's language (the last one's is English), else the
        # company's (here Czech)
        self.assertEqual(names[True][0], "Klasse von Hand gesetzt: keine → A")
        self.assertEqual(
            names[False],
            [
                "ABC-Analyse: Klasse keine → A",
                "Analýza ABC: třída A → B",
                "Analýza ABC: třída B → žádná",
                "ABC analysis: class C → A",
            ],
        )

    def test_first_run_of_many_customers_goes_through_the_fast_path(self):
        """From fastpath.MIN_ENTRIES changes on the ABC run logs by the fast path (here
        lowered to 1 by the context key): the entries are there, readable through the ORM,
        and the analysis logs nothing more when nothing changes."""
        customers = self.env["res.partner"].create(
            [{"name": f"Massenkunde {i}", "is_company": True, "customer_rank": 1} for i in range(5)]
        )
        self._post(customers[0], 1000)
        before = customers.mapped("crm_chronicle_count")  # (cached: emptied by the run)
        abc = self.abc.with_context(crm_chronicle_fastpath_min=1)
        queries = self.cr.sql_log_count
        abc._run(self.company)
        entries = self._class_entries(customers)
        self.assertEqual(len(entries), 5)
        self.assertEqual(entries.partner_id, customers)
        self.assertEqual(customers.mapped("crm_chronicle_count"), [n + 1 for n in before])
        self.assertEqual(
            sorted(set(entries.mapped("name"))),
            ["ABC analysis: class none → A", "ABC analysis: class none → C"],
        )
        self.assertEqual(
            entries.type_id, self.env.ref("crm_chronicle.crm_chronicle_type_class_change")
        )
        if core_fastpath.enabled(self.env):
            # the ORM path (CRM_FASTPATH=0) logs the same entries with more queries
            self.assertLess(self.cr.sql_log_count - queries, 40)
        abc._run(self.company)
        self.assertEqual(self._class_entries(customers), entries)
