"""Comparing the raw rows two paths write for the same input.

A test runs the same action twice on the same records, inside a savepoint each (rolled back
afterwards): once with the fast paths on, once with the ORM path (context
``crm_fast_path=False``, the switch of crm_core.tools.fastpath). After each run it reads
the rows of the tables concerned as PostgreSQL holds them (``to_jsonb``, every column) and
compares them. Rows the runs created have other ids in each run: they are named by what
they hold (their columns and the rows that point to them) and every reference to them is
replaced by that name.

Charts: ``ChartsCase`` gives a company with the generic chart (AccountTestInvoicingCommon's),
one with SKR03 (l10n_de, ``de_skr03``) and one with the Czech chart (l10n_cz, ``cz``), all
in euros, each with a SEPA bank journal.
"""

import contextlib
import json

from odoo.fields import Command
from odoo.orm.model_classes import add_to_registry
from odoo.tools import SQL

from odoo.addons.crm_core.tools import fastpath

from .common import OWN_IBAN, SepaCase

CHARTS = ("generic_coa", "de_skr03", "cz")


class RowsCase(SepaCase):
    """Run an action on both paths and compare the rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the switch as the environment sets it (CRM_FASTPATH=0 runs everything on the ORM)
        cls.fast_paths_on = fastpath.enabled(cls.env)
        # the batches' numbers from a table (rolled back with a savepoint), not from a
        # PostgreSQL sequence (which is not): both runs name their batches alike
        cls.env["ir.sequence"].search(
            [("code", "in", ("crm.sepa.batch.debit", "crm.sepa.batch.transfer"))]
        ).implementation = "no_gap"

    # -------------------------------------------------------------------------------------
    # Running
    # -------------------------------------------------------------------------------------
    def both_paths(self, action, tables, relations=None, user=None):
        """Run action(env) on the fast path and on the ORM path (see run_path); return the
        canonical rows after each run."""
        return [self.run_path(action, tables, fast, relations, user) for fast in (True, False)]

    # columns that differ between two runs by nature: a message's random Message-Id
    RANDOM = {"mail_message": {"message_id"}}
    # integer columns that refer to a record of the model named in another column
    MODEL_REFERENCES = (("res_model", "res_id"), ("model", "res_id"), ("source_model", "source_id"))
    # text columns that hold an id: {(table, column): referenced table}
    TEXT_REFERENCES = {("account_move_line", "matching_number"): "account_full_reconcile"}

    def run_path(self, action, tables, fast, relations=None, user=None):
        """Run action(env) with the fast paths on or off in a savepoint rolled back
        afterwards; return the canonical rows of `tables` after the run. tables: {name:
        condition} (all columns of the table `name`) or {name: (table, columns, condition)},
        the condition on the alias t, with {new_<table>} for the highest id before the run
        (rows above it are new). relations: the references of tables without a model
        ({table: {column: referenced table}})."""
        self._relations = relations or {}
        specs = {
            name: (name, None, spec) if isinstance(spec, str) else spec
            for name, spec in tables.items()
        }
        # every comparison includes the customer's event log (crm_core's crm.partner.event):
        # a fast path that writes partners logs the events the ORM's write logs ("date" is
        # the clock's time of each run)
        specs.setdefault(
            "crm_partner_event",
            (
                "crm_partner_event",
                self.columns_except("crm.partner.event", "id", "date"),
                "t.id > {new_crm_partner_event}",
            ),
        )
        watermarks = self._watermarks({table for table, _c, _w in specs.values()})
        user = user or getattr(self, "runner", self.env.user)  # the class's user of the runs
        env = self.env(user=user, context=dict(self.env.context, crm_fast_path=fast))
        self.env.invalidate_all()  # a fresh cache, as a new request has
        with contextlib.closing(self.env.cr.savepoint()):
            # run and flush as the user (computations pending at the end of a request are
            # done as its user)
            action(env)
            env.flush_all()
            rows = self._canonical(self._dump(specs, watermarks), specs, watermarks)
        self.env.invalidate_all()
        return rows

    def columns_except(self, model_name, *names):
        """The columns of a model's table but `names`, for a table spec."""
        return ", ".join(
            name
            for name, field in self.env[model_name]._fields.items()
            if field.store and field.column_type and name not in names
        )

    def assertSameRows(self, fast_rows, orm_rows, ignore=()):
        """Every table's rows equal, column by column (columns in `ignore` left out); the
        message names each differing table and column with one example."""
        problems = {}
        for table in orm_rows:
            mine = [{k: v for k, v in row.items() if k not in ignore} for row in fast_rows[table]]
            theirs = [{k: v for k, v in row.items() if k not in ignore} for row in orm_rows[table]]
            if len(mine) != len(theirs):
                problems[table, "(rows)"] = (len(mine), len(theirs))
                continue
            for row_mine, row_theirs in zip(mine, theirs, strict=True):
                for key in sorted(set(row_mine) | set(row_theirs)):
                    if row_mine.get(key) != row_theirs.get(key):
                        problems.setdefault(
                            (table, key),
                            (
                                row_mine.get(key),
                                row_theirs.get(key),
                                {k: row_theirs.get(k) for k in ("display_type", "name", "id")},
                            ),
                        )
        self.assertFalse(
            problems,
            "the rows differ (table, column: first path, second path):\n"
            + "\n".join(f"{key}: {value}" for key, value in problems.items()),
        )

    # -------------------------------------------------------------------------------------
    # Reading rows
    # -------------------------------------------------------------------------------------
    def _models_by_table(self):
        return {
            model._table: model
            for model in (self.env[name] for name in self.env.registry)
            if not model._abstract and model._auto
        }

    def _watermarks(self, tables):
        """{table: the highest id now} of these tables and those they refer to."""
        self.env.flush_all()
        marks = {}
        models_by_table = self._models_by_table()
        names = set(tables)
        for table in tables:
            model = models_by_table.get(table)
            if model is not None:
                names.update(
                    field.comodel_name and self.env[field.comodel_name]._table
                    for field in model._fields.values()
                    if field.type == "many2one" and field.store
                )
        for name in names - {None}:
            if name in models_by_table:
                self.env.cr.execute(
                    SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(name))
                )
                marks[name] = self.env.cr.fetchone()[0]
        return marks

    def _dump(self, specs, watermarks):
        rows = {}
        for name, (table, columns, condition) in specs.items():
            condition = condition.format(
                **{f"new_{table}": mark for table, mark in watermarks.items()}
            )
            # the query is written by the test itself
            query = (
                SQL("SELECT to_jsonb(t) FROM %s t WHERE %s", SQL.identifier(table), SQL(condition))
                if columns is None
                else SQL(
                    "SELECT to_jsonb(x) FROM (SELECT t.id, %s FROM %s t WHERE %s) x",
                    SQL(", ".join(f"t.{column.strip()}" for column in columns.split(","))),
                    SQL.identifier(table),
                    SQL(condition),
                )
            )
            self.env.cr.execute(query)
            rows[name] = [row for (row,) in self.env.cr.fetchall()]
        return rows

    def _references(self, table):
        """{column: referenced table} of a table."""
        if table in self._relations:
            return self._relations[table]
        model = self._models_by_table().get(table)
        if model is None:
            return {}
        refs = {
            name: self.env[field.comodel_name]._table
            for name, field in model._fields.items()
            if field.type == "many2one" and field.store and field.column_type
        }
        refs["id"] = table
        return refs

    def _reference(self, table, refs, row, key):
        """(referenced table, id) when the column `key` of `row` refers to a record,
        else None: a many2one column, a text column holding an id, or an id column whose
        model is named in another column."""
        value = row.get(key)
        if refs.get(key):
            return refs[key], value
        target = self.TEXT_REFERENCES.get((table, key))
        if target and isinstance(value, str) and value.isdigit():
            return target, int(value)
        for model_key, id_key in self.MODEL_REFERENCES:
            if key == id_key and row.get(model_key) in self.env:
                return self.env[row[model_key]]._table, value
        return None

    def _canonical(self, dump, specs, watermarks):
        """The rows with every reference to a new row replaced by a name made of what the
        row holds (and what the rows pointing to it hold), sorted."""
        refs = {name: self._references(specs[name][0]) for name in dump}
        tables = {name: specs[name][0] for name in dump}

        def new_ref(name, row, key):
            ref = self._reference(tables[name], refs[name], row, key)
            if ref and isinstance(ref[1], int) and ref[1] > watermarks.get(ref[0], ref[1]):
                return ref
            return None

        def own(name, row):
            # what a row holds besides references to new rows
            return tuple(
                sorted(
                    (key, json.dumps(value, sort_keys=True))
                    for key, value in row.items()
                    if not new_ref(name, row, key)
                )
            )

        # a new row's signature: what it holds and what the rows pointing to it hold
        signatures = {}
        for name, rows in dump.items():
            for row in rows:
                ref = new_ref(name, row, "id")
                if ref:
                    signatures.setdefault(ref, [own(name, row)])
        for name, rows in dump.items():
            for row in rows:
                for key in row:
                    ref = key != "id" and new_ref(name, row, key)
                    if ref in signatures:
                        signatures[ref].append((name, key, own(name, row)))
        names = {}
        for target in {key[0] for key in signatures}:
            ordered = sorted(
                (key for key in signatures if key[0] == target),
                key=lambda key: repr(sorted(map(repr, signatures[key]))),
            )
            for index, key in enumerate(ordered):
                names[key] = f"<new {target} {index}>"
        result = {}
        for name, rows in dump.items():
            random = self.RANDOM.get(tables[name], ())
            canonical = [
                {
                    key: names.get(new_ref(name, row, key), value)
                    for key, value in row.items()
                    if key not in random
                }
                for row in rows
            ]
            # rows that existed before (an id, not a name) in the order of their ids, so that
            # a difference shows in its column, the new ones by what they hold
            result[name] = sorted(
                canonical,
                key=lambda row: (
                    (0, row["id"], "")
                    if isinstance(row.get("id"), int)
                    else (1, 0, json.dumps(row, sort_keys=True))
                ),
            )
        return result


class ChartsCase(RowsCase):
    """The generic chart, SKR03 and the Czech chart, each a company in euros with a SEPA bank
    journal; `charts` maps the chart template to its company data."""

    @classmethod
    def setup_chart_company(cls, template, country):
        """A company of `country` in euros with the chart `template` (as Odoo's
        _create_company does it for the test class's own chart)."""
        company = cls.env["res.company"].create(
            {
                "name": f"SEPA {template}",
                "country_id": cls.env.ref(country).id,
                "currency_id": cls.eur.id,
            }
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        cls._use_chart_template(company, template)
        company.currency_id = cls.eur
        data = cls.collect_company_accounting_data(company)
        cls.product_category.with_company(company).write(
            {
                "property_account_income_categ_id": data["default_account_revenue"].id,
                "property_account_expense_categ_id": data["default_account_expense"].id,
            }
        )
        return data

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.charts = {"generic_coa": cls.company_data}
        for template, country in (("de_skr03", "base.de"), ("cz", "base.cz")):
            cls.charts[template] = cls.setup_chart_company(template, country)
        for data in cls.charts.values():
            company = data["company"]
            journal = data["default_journal_bank"]
            if not journal.bank_account_id:
                journal.bank_acc_number = OWN_IBAN
            company.write(
                {
                    "crm_sepa_creditor_identifier": "DE98ZZZ09999999999",
                    "crm_sepa_journal_id": journal.id,
                    "crm_sepa_lead_days": 1,
                }
            )


class ExtensionCase(SepaCase):
    """What another module can add, added as Odoo's own tests add it: a custom stored field
    (an ir.model.fields record, as Studio or a data file makes one) and a model class
    extending a model (add_to_registry, as test_orm does), both undone after the test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fast_paths_on = fastpath.enabled(cls.env)

    def add_custom_field(self, model_name, name, compute, depends, ttype="char"):
        """A custom stored field computed by `compute` from `depends`, removed again after
        the test (before its transaction is rolled back, so that the registry forgets
        it)."""
        record = self.env["ir.model.fields"].create(
            {
                "name": name,
                "model_id": self.env["ir.model"]._get_id(model_name),
                "field_description": name,
                "ttype": ttype,
                "store": True,
                "compute": compute,
                "depends": depends,
            }
        )
        self.addCleanup(record.unlink)
        self.addCleanup(self.env.flush_all)
        return self.env[model_name]._fields[name]

    def extend_registry(self, model_class):
        """Add `model_class` (a models.Model with _inherit, _module "crm_fastpath_probe":
        a module that is not installed, so one that may know everything) to the registry."""
        model_name = model_class._name
        Model = self.registry[model_name]
        self.addCleanup(self.registry._setup_models__, self.env.cr)
        self.addCleanup(setattr, Model, "_base_classes__", Model._base_classes__)
        self.addCleanup(self.env.flush_all)
        add_to_registry(self.registry, model_class)
        self.registry._setup_models__(self.env.cr, [model_name])
