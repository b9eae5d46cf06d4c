from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..tools import fastpath
from .common import CrmCoreAccountCommon, data_queries, record_queries


@tagged("post_install", "-at_install")
class TestClassification(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Role = cls.env["crm.partner.role"]
        cls.role_customer = cls.env.ref("crm_core.crm_partner_role_customer")
        cls.role_prospect = cls.env.ref("crm_core.crm_partner_role_prospect")
        cls.role_supplier = cls.env.ref("crm_core.crm_partner_role_supplier")
        cls.role_competitor = cls.env.ref("crm_core.crm_partner_role_competitor")
        cls.company._crm_ensure_classes()
        cls.classes = cls.env["crm.partner.class"].search([("company_id", "=", cls.company.id)])
        cls.class_a, cls.class_b, cls.class_c = cls.classes
        cls.abc = cls.env["crm.abc.analysis"]

    # roles -------------------------------------------------------------------------------
    def test_several_roles_and_rank_consistency(self):
        partner = self._customer(
            "Brauerei Pilsner s.r.o.",
            crm_role_ids=[Command.set((self.role_prospect | self.role_competitor).ids)],
        )
        self.assertEqual(partner.customer_rank, 0)
        self.assertFalse(partner.crm_debtor_number)
        # a posted customer invoice makes the prospect a customer (and gives a number)
        self._post(partner, 100.0)
        self.assertGreater(partner.customer_rank, 0)
        self.assertEqual(partner.crm_role_ids, self.role_customer | self.role_competitor)
        self.assertTrue(partner.crm_debtor_number)
        # giving the supplier role sets the supplier rank, and a creditor number
        partner.crm_role_ids = [Command.link(self.role_supplier.id)]
        self.assertEqual(partner.supplier_rank, 1)
        self.assertTrue(partner.crm_creditor_number)
        # a rank given by Odoo gives the role
        other = self._customer("Lieferant GmbH", supplier_rank=1)
        self.assertEqual(other.crm_role_ids, self.role_supplier)
        self.assertEqual(
            self.env["res.partner"].search(
                [("crm_role_ids.code", "=", "competitor"), ("id", "in", (partner | other).ids)]
            ),
            partner,
        )

    def test_company_specific_role(self):
        other_company = self.env["res.company"].create({"name": "Zweite Firma s.r.o."})
        own = self.Role.create({"name": "Franchise", "code": "franchise"})
        foreign = self.Role.create(
            {"name": "Filiale", "code": "branch", "company_id": other_company.id}
        )
        visible = self.Role.with_user(self.crm_user).search([])
        self.assertIn(own, visible)
        self.assertIn(self.role_customer, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            self.Role.with_user(self.crm_user).create({"name": "X", "code": "x"})

    # ABC ---------------------------------------------------------------------------------
    def _abc_setup(self):
        # revenues 500, 200, 150, 100, 50 (sum 1000): share of the customers ranked before:
        # 0, 50, 70, 85, 95 % -> A, A, A (crosses 80 %), B (crosses 95 %), C
        amounts = [500, 200, 150, 100, 50]
        partners = self.env["res.partner"]
        for i, amount in enumerate(amounts):
            partner = self._customer(f"Kunde {i}", customer_rank=1)
            self._post(partner, amount + 20)
            self._post(partner, 20, move_type="out_refund")
            partners |= partner
        silent = self._customer("Ohne Umsatz", customer_rank=1)
        old = self._customer("Alter Kunde", customer_rank=1)
        self._post(old, 10000, invoice_date=fields.Date.today() - relativedelta(months=13))
        self._post(silent, 999, post=False)  # drafts do not count
        return partners, silent, old

    def test_abc_analysis_classes(self):
        partners, silent, old = self._abc_setup()
        changes = self.abc._run(self.company)
        self.assertGreaterEqual(changes, 7)
        self.assertEqual(
            [p.crm_class_id.name for p in partners + silent + old],
            ["A", "A", "A", "B", "C", "C", "C"],
        )
        self.assertEqual(partners[0].crm_abc_revenue, 500.0)
        self.assertEqual(old.crm_abc_revenue, 0.0)
        self.assertTrue(self.company.crm_abc_last_run)
        # the change is tracked in the chatter
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", partners[0].id),
                ("mail_message_id.model", "=", "res.partner"),
            ]
        )
        self.assertEqual(tracking.field_id.name, "crm_class_id")
        self.assertEqual(tracking.new_value_char, "A")
        self.assertEqual(tracking.new_value_integer, self.class_a.id)
        messages = partners[0].message_ids.filtered("tracking_value_ids")
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.subtype_id, self.env.ref("mail.mt_note"))
        # a second run changes nothing and writes no message
        self.assertEqual(self.abc._run(self.company), 0)
        # a longer period takes the old revenue in: the old customer becomes A
        self.company.crm_abc_months = 24
        self.abc._run(self.company)
        self.assertEqual(old.crm_class_id, self.class_a)
        self.assertEqual(partners[0].crm_class_id, self.class_b)
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", partners[0].id),
                ("mail_message_id.model", "=", "res.partner"),
            ],
            limit=1,
        )
        self.assertEqual((tracking.old_value_char, tracking.new_value_char), ("A", "B"))

    def _count_queries(self, function):
        """The SQL statements `function` sends (their text, to tell them apart), from cold
        caches so that two measures compare."""
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()
        with record_queries() as queries:
            function()
        return queries

    def test_abc_constant_statements(self):
        """7 or 37 customers: one analysis statement (ranking, classes, update, chatter) on
        the fast path, and a few ORM statements (ormcache refills from cold caches,
        environment records) that do not depend on the data."""
        self._abc_setup()
        small = self._count_queries(lambda: self.abc._run(self.company))
        for i in range(30):
            self._post(self._customer(f"Weiterer {i}", customer_rank=1), 10 * i + 1)
        large = self._count_queries(lambda: self.abc._run(self.company))
        if not fastpath.enabled(self.env):
            # the ORM path (fast paths off): the same one ranking query, then the ORM's
            # writes, one per distinct revenue and class, and one create of the messages
            # and of their tracking values
            for queries in (small, large):
                ranking = [q for q in queries if "WITH classes AS" in q]
                self.assertEqual(len(ranking), 1, "\n".join(q[:160] for q in queries))
                self.assertNotIn("INTO mail_", ranking[0])
            # 30 more customers, each a new class and revenue: a few statements each at most
            self.assertLessEqual(len(large) - len(small), 30 * 4, (len(small), len(large)))
            return
        for queries in (small, large):
            business = [
                q
                for q in queries
                if any(
                    t in q
                    for t in (
                        "WITH classes AS",
                        "account_move m",
                        "INTO mail_",
                        "UPDATE res_partner",
                    )
                )
            ]
            self.assertEqual(len(business), 1, "\n".join(q[:160] for q in queries))
            self.assertIn("WITH classes AS", business[0])
            # (installed addons react to the class changes in batch: crm_chronicle logs
            # them with one create, a constant number of statements too: proven with warm
            # caches in crm_chronicle's test_class_change)
            self.assertLessEqual(len(queries), 40, "\n".join(q[:160] for q in queries))

    def test_manual_class_kept_until_reset(self):
        partners, silent, _old = self._abc_setup()
        # the customers exist before the manager edits them, as after a commit: mail does
        # not track records created in the same transaction until its precommit hooks ran
        # (whether something else ran them meanwhile depends on the installed addons)
        self.env.cr.flush()
        # the manager edits in the web client, where tracking is on (the test classes'
        # environment disables it: DISABLED_MAIL_CONTEXT of Odoo's BaseCommon)
        manager_env = {"tracking_disable": False, "mail_notrack": False}
        with Form(silent.with_user(self.crm_manager).with_context(**manager_env)) as form:
            form.crm_class_id = self.class_a
        self.assertTrue(silent.crm_class_manual)
        # the change by hand is tracked in the chatter like the computed ones
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail writes the tracking values before commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", silent.id),
                ("field_id.name", "=", "crm_class_id"),
            ]
        )
        self.assertIn("A", tracked.mapped("new_value_char"))
        self.abc._run(self.company)
        self.assertEqual(silent.crm_class_id, self.class_a)
        silent.with_user(self.crm_manager).action_crm_reset_class()
        self.assertFalse(silent.crm_class_manual)
        self.assertEqual(silent.crm_class_id, self.class_c)
        self.assertEqual(
            self.env["res.partner"].search(
                [("crm_class_id", "=", self.class_c.id), ("id", "in", (partners | silent).ids)]
            ),
            partners[4:] | silent,
        )
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (partners | silent).ids)], ["crm_class_id"], ["__count"]
        )
        self.assertEqual({cls.name: count for cls, count in groups}, {"A": 3, "B": 1, "C": 2})

    def test_mass_edit_of_classes_costs_the_queries_of_one(self):
        """A class set by hand on many customers at once (mass edit in the list view):
        one tracking message per customer in its chatter, all created together, so 1 or
        30 customers cost the same queries (installed addons react in batch too)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Masse {i}", "is_company": True, "customer_rank": 1} for i in range(62)]
        )
        partners = partners.with_user(self.crm_manager)
        partners[60:].write({"crm_class_id": self.class_a.id})  # fills the caches
        self.env.flush_all()
        counts = []
        for group in (partners[:1], partners[30:60]):
            self.env.invalidate_all()
            with record_queries() as queries:
                group.write({"crm_class_id": self.class_b.id})
                self.env.flush_all()
            counts.append(len(data_queries(queries)))
        self.assertEqual(counts[0], counts[1], counts)
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", partners[30:60].ids),
                ("field_id.name", "=", "crm_class_id"),
            ]
        )
        self.assertEqual(len(tracked), 30)
        self.assertEqual(tracked.mail_message_id.mapped("res_id"), partners[30:60].ids[::-1])
        self.assertEqual(set(tracked.mapped("new_value_char")), {"B"})
        self.assertEqual(set(tracked.mapped("old_value_char")), {""})
        self.assertEqual(tracked.mail_message_id.author_id, self.crm_manager.partner_id)
        self.assertEqual(partners[30:60].mapped("crm_class_manual"), [True] * 30)

    def test_only_managers_set_classes(self):
        partner = self._customer("Kunde", customer_rank=1)
        with self.assertRaises(AccessError):
            partner.with_user(self.crm_user).crm_class_id = self.class_a
        with self.assertRaises(AccessError):
            partner.with_user(self.crm_user).action_crm_reset_class()
        with self.assertRaises(AccessError):
            self.class_a.with_user(self.crm_user).threshold = 50
        # users still edit the rest of the customer
        partner.with_user(self.crm_user).write({"phone": "+49 30 1234567"})
        partner.with_user(self.crm_manager).crm_class_id = self.class_b
        self.assertEqual(partner.crm_class_id, self.class_b)

    def test_class_configuration(self):
        self.class_b.threshold = 90
        with self.assertRaisesRegex(ValidationError, "increasing"), self.env.cr.savepoint():
            self.env["crm.partner.class"].create(
                {"name": "AB", "sequence": 15, "threshold": 50, "company_id": self.company.id}
            )
        d = self.env["crm.partner.class"].create(
            {"name": "D", "sequence": 40, "threshold": 100, "company_id": self.company.id}
        )
        self.class_c.threshold = 99
        partners, silent, _old = self._abc_setup()
        self.abc._run(self.company)
        self.assertEqual(silent.crm_class_id, d)  # the lowest class takes the silent ones

    def test_class_is_per_company(self):
        partner = self._customer("Gemeinsamer Kunde", customer_rank=1)
        self._post(partner, 100)
        self.abc._run(self.company)
        self.assertEqual(partner.crm_class_id, self.class_a)
        other = self.env["res.company"].create({"name": "Tochter s.r.o."})
        self.assertEqual(len(other.crm_class_ids), 3)
        self.assertFalse(partner.with_company(other).crm_class_id)
        self.abc._run(other)
        self.assertEqual(partner.with_company(other).crm_class_id.name, "C")
        self.assertEqual(partner.crm_class_id, self.class_a)

    def test_cron_exists(self):
        cron = self.env.ref("crm_core.ir_cron_abc_analysis")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")
