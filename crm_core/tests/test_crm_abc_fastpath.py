"""The ABC analysis' fast path (tools/fastpath_abc.py) and its ORM path write the same rows:
res_partner (classes, revenues, who wrote), the chatter's messages and tracking values,
column by column, on the same input; the switch (crm_core.tools.fastpath) chooses the path;
a stored field of another module that depends on the class, or an override of the partners'
write by a module that knows the class, makes the fast path step aside."""

import importlib.util
import os

from odoo import models
from odoo.fields import Command
from odoo.orm.model_classes import add_to_registry
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..tools import fastpath, fastpath_abc
from .common import CrmCoreAccountCommon, record_queries


def _fast_paths_on_in_this_run():
    """False in the second run of make test (CRM_FASTPATH=0)."""
    return os.environ.get(fastpath.VARIABLE, "").strip().lower() not in ("0", "off", "false", "no")


# columns that differ between any two runs by nature
VOLATILE = {"id", "create_date", "write_date", "date", "message_id", "mail_message_id"}


@tagged("post_install", "-at_install")
class TestAbcFastPath(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company._crm_ensure_classes()
        amounts = [50000, 30000, 9000, 6000, 3000, 1500, 500, 0, -200]
        cls.customers = cls.env["res.partner"]
        for index, amount in enumerate(amounts):
            customer = cls._customer(f"Vergleich {index}", customer_rank=1)
            if amount > 0:
                cls._post(customer, amount)
            elif amount < 0:
                cls._post(customer, -amount, move_type="out_refund")
            cls.customers |= customer
        # a prospect with the customer role but no rank, a class set by hand, an old revenue
        cls.prospect = cls._customer("Interessent KG")
        cls.prospect.crm_role_ids = [
            Command.link(cls.env.ref("crm_core.crm_partner_role_customer").id)
        ]
        cls.customers |= cls.prospect
        classes = cls.company.crm_class_ids.sorted("sequence")
        cls.customers[6].with_company(cls.company).crm_class_id = classes[0]  # by hand
        cls.customers[3].with_company(cls.company).crm_abc_revenue = 1234.0
        cls.env.flush_all()

    def _snapshot(self, message_floor, customers=None):
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "SELECT id, crm_class_id, crm_abc_revenue, crm_class_manual, write_uid"
            " FROM res_partner WHERE id IN %s ORDER BY id",
            [tuple((customers or self.customers).ids)],
        )
        partners = cr.fetchall()
        cr.execute(
            "SELECT * FROM mail_message WHERE id > %s AND model = 'res.partner' ORDER BY res_id",
            [message_floor],
        )
        names = [column.name for column in cr.description]
        messages = []
        for row in cr.fetchall():
            values = dict(zip(names, row, strict=True))
            self.assertRegex(
                values["message_id"],
                rf"^<\d{{15}}\.\d+\.\d+-openerp-{values['res_id']}-res\.partner@.+>$",
            )
            messages.append({k: v for k, v in values.items() if k not in VOLATILE})
        cr.execute(
            "SELECT t.*, m.res_id FROM mail_tracking_value t"
            " JOIN mail_message m ON m.id = t.mail_message_id"
            " WHERE m.id > %s AND m.model = 'res.partner' ORDER BY m.res_id",
            [message_floor],
        )
        names = [column.name for column in cr.description]
        tracking = [
            {k: v for k, v in zip(names, row, strict=True) if k not in VOLATILE}
            for row in cr.fetchall()
        ]
        # the customer's event log: the same events on both paths
        cr.execute(
            "SELECT * FROM crm_partner_event WHERE id > %s ORDER BY partner_id, field_name",
            [getattr(self, "_event_floor", 0)],
        )
        names = [column.name for column in cr.description]
        events = [
            {k: v for k, v in zip(names, row, strict=True) if k not in VOLATILE}
            for row in cr.fetchall()
        ]
        return partners, messages, tracking, events

    def _run_both(self, partner_ids=None, company=None, customers=None):
        """(changes, rows) of the fast path's entry and of the ORM path, each from the same
        state (whatever the switch says: both paths are compared on every test run), for
        the class's company and customers or those given."""
        company = company or self.company
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        floor = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_partner_event")
        self._event_floor = self.env.cr.fetchone()[0]
        abc = self.env["crm.abc.analysis"]
        results = []
        for path in ("fast", "orm"):
            with self.env.cr.savepoint() as savepoint:
                self.env.flush_all()
                ranking = abc._ranking(company, partner_ids)
                note = self.env["res.partner"]._crm_note_values()
                if path == "fast":
                    changes = fastpath_abc.apply(self.env, company, ranking, note)
                else:
                    changes = abc._apply_with_orm(company, ranking, note)
                # what _run does after either path (the event log, crm_chronicle's entries)
                self.env["res.partner"]._crm_on_class_changes(company, changes, by_hand=False)
                results.append((changes, self._snapshot(floor, customers)))
                self.env.flush_all()
                savepoint.rollback()
            self.env.invalidate_all()
        return results

    def test_same_rows_first_and_later_runs(self):
        self.assertTrue(fastpath_abc.applicable(self.env))
        (fast_changes, fast_rows), (orm_changes, orm_rows) = self._run_both()
        self.assertEqual(fast_changes, orm_changes)
        self.assertGreaterEqual(len(fast_changes), 8)  # every customer got a class
        self.assertEqual(fast_rows[0], orm_rows[0], "\n".join(map(str, fast_rows[0] + orm_rows[0])))
        self.assertEqual(fast_rows[1], orm_rows[1])  # mail_message
        self.assertEqual(fast_rows[2], orm_rows[2])  # mail_tracking_value
        self.assertEqual(fast_rows[3], orm_rows[3])  # crm_partner_event
        self.assertEqual(len(fast_rows[1]), len(fast_changes))
        self.assertEqual(len(fast_rows[3]), len(fast_changes))
        # after a first run (kept), a change of revenue for some, restricted to a partner
        self.env["crm.abc.analysis"]._run(self.company)
        self._post(self.customers[5], 60000.0)
        for kwargs in ({}, {"partner_ids": self.customers[5:7].ids}):
            (fast_changes, fast_rows), (orm_changes, orm_rows) = self._run_both(**kwargs)
            self.assertEqual(fast_changes, orm_changes, kwargs)
            self.assertTrue(fast_changes, kwargs)
            self.assertEqual(fast_rows, orm_rows, kwargs)

    def test_same_rows_on_skr03_and_the_czech_chart(self):
        """The generic chart above; the same comparison in a company on SKR03 and one on the
        Czech chart (their own accounts and journals), invoices and credit notes."""
        for template, country in (("de_skr03", "base.de"), ("cz", "base.cz")):
            with self.subTest(chart=template):
                company = self.env["res.company"].create(
                    {"name": f"ABC {template}", "country_id": self.env.ref(country).id}
                )
                self.env.user.company_ids = [Command.link(company.id)]
                self._use_chart_template(company, template)
                company._crm_ensure_classes()
                customers = self.env["res.partner"]
                for index, amount in enumerate([40000, 9000, 2500, 700, 0, -300]):
                    customer = self._customer(f"{template} Kunde {index}", customer_rank=1)
                    if amount:
                        move = (
                            self.env["account.move"]
                            .with_company(company)
                            .create(
                                {
                                    "move_type": "out_invoice" if amount > 0 else "out_refund",
                                    "partner_id": customer.id,
                                    "invoice_date": "2026-01-15",
                                    "invoice_line_ids": [
                                        Command.create(
                                            {
                                                "name": "Leistung",
                                                "quantity": 1,
                                                "price_unit": abs(amount),
                                                "tax_ids": [],
                                            }
                                        )
                                    ],
                                }
                            )
                        )
                        move.action_post()
                    customers |= customer
                (fast_changes, fast_rows), (orm_changes, orm_rows) = self._run_both(
                    company=company, customers=customers
                )
                self.assertEqual(fast_changes, orm_changes)
                self.assertGreaterEqual(len(fast_changes), 5)
                self.assertEqual(fast_rows, orm_rows)

    def test_res_partner_keeps_postgresql_storage_defaults(self):
        """No fillfactor on res_partner (it did not help the ABC analysis, readme); the
        migration of 19.0.1.0.1 takes back the one older versions set."""
        spec = importlib.util.spec_from_file_location(
            "crm_core_migration_19_0_1_0_1",
            file_path("crm_core/migrations/19.0.1.0.1/post-migration.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        cr.execute("SELECT reloptions FROM pg_class WHERE relname = 'res_partner'")
        self.assertFalse(cr.fetchone()[0])
        cr.execute("ALTER TABLE res_partner SET (fillfactor = 90)")
        migration.migrate(cr, "19.0.1.0.0")
        cr.execute("SELECT reloptions FROM pg_class WHERE relname = 'res_partner'")
        self.assertFalse(cr.fetchone()[0])

    def test_switch_chooses_the_path(self):
        """The switch decides which path _run takes: off (here by the system parameter an
        administrator sets on a live database), the ORM writes, with the same result."""
        self.assertEqual(fastpath.enabled(self.env), _fast_paths_on_in_this_run())
        self.env["ir.config_parameter"].sudo().set_param(fastpath.PARAMETER, "0")
        self.assertFalse(fastpath.enabled(self.env))
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        floor = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_partner_event")
        self._event_floor = self.env.cr.fetchone()[0]
        with record_queries() as statements:
            changes = self.env["crm.abc.analysis"]._run(self.company)
        self.assertFalse([q for q in statements if "INSERT INTO mail_message (model" in q])
        self.assertTrue(changes)
        self.assertEqual(len(self._snapshot(floor)[1]), changes)


@tagged("post_install", "-at_install")
class TestAbcFastPathStepsAside(CrmCoreAccountCommon):
    """A module adds a stored field computed from the class: the fast path cannot recompute
    it, so the analysis takes the ORM path and the field follows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.model.fields"].create(
            {
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "name": "x_crm_test_class_label",
                "field_description": "Class label",
                "ttype": "char",
                "state": "manual",
                "store": True,
                "depends": "crm_class_id",
                "compute": "for record in self:\n"
                "    record['x_crm_test_class_label'] = record.crm_class_id.name or ''",
            }
        )
        cls.customer = cls._customer("Abhängig GmbH", customer_rank=1)
        cls._post(cls.customer, 1000.0)

    def test_orm_path_when_a_stored_field_depends_on_the_class(self):
        self.assertFalse(fastpath_abc.applicable(self.env))
        self.env["crm.abc.analysis"]._run(self.company)
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.crm_class_id.name, "A")
        self.assertEqual(customer.x_crm_test_class_label, "A")


@tagged("post_install", "-at_install")
class TestAbcFastPathWriteOverride(CrmCoreAccountCommon):
    """A module that knows the class (it depends on crm_core) overrides the partners' write:
    the UPDATE would skip it, so the analysis takes the ORM path and the override runs."""

    def test_orm_path_when_a_module_overrides_the_partners_write(self):
        # the suite as installed: its own overrides of the write were read (REVIEWED_WRITES)
        self.assertTrue(fastpath_abc.applicable(self.env))
        seen = []

        class Probe(models.Model):
            _module = "crm_abc_probe"  # no manifest: a module that may know everything
            _name = "res.partner"
            _inherit = ["res.partner"]

            def write(self, vals):
                if "crm_class_id" in vals:
                    seen.append(vals["crm_class_id"])
                return super().write(vals)

        Model = self.registry["res.partner"]
        self.addCleanup(self.registry._setup_models__, self.env.cr)
        self.addCleanup(setattr, Model, "_base_classes__", Model._base_classes__)
        self.addCleanup(self.env.flush_all)
        add_to_registry(self.registry, Probe)
        self.registry._setup_models__(self.env.cr, ["res.partner"])
        customer = self._customer("Überschrieben GmbH", customer_rank=1)
        self._post(customer, 1000.0)
        self.assertFalse(fastpath_abc.applicable(self.env))
        self.env["crm.abc.analysis"]._run(self.company)
        self.assertEqual(customer.with_company(self.company).crm_class_id.name, "A")
        self.assertTrue(seen)
