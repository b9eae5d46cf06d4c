"""Fast path: many new rows of one model, or many rows each with its own values, written
in one statement instead of the ORM's create and write.

Two entries, each with its ORM path (taken when ``crm_core.tools.fastpath.enabled`` says
no, or where the set-based statement cannot be exact):

* ``create(model, rows)``: one INSERT of all rows, then the ORM is told what depends on
  them; the ORM's ``create`` when a module added a stored field with a default or a
  computation the rows do not give, or a module that knows the model overrides its
  creation (``knowing_overrides``).
* ``write(records_values)``: one UPDATE of all rows, each with its values, then the ORM is
  told what changed and recomputes what depends on it (stored fields of other modules
  included); the ORM's ``write`` (one per distinct values) when a module that knows the
  fields written (their own modules' dependents) overrides the model's ``write``. A module
  that does not know a field cannot react to it; the ORM paths run without tracking
  (``tracking_disable``), as the fast paths write no tracking messages.

Both write what the ORM would write for the same input: the tests compare the raw rows of
both paths (``tests/test_fastpath.py``, the customer's event log included; where they step
aside: ``test_fastpath_fallback.py``).
``created`` and ``modified`` tell the ORM about rows other fast paths (bookings) wrote.
"""

import json
import logging
from datetime import date
from decimal import Decimal

from psycopg2.extras import Json as PsycopgJson

from odoo import models
from odoo.orm.registry import TriggerTree
from odoo.tools import SQL

from odoo.addons.crm_core.tools import fastpath

_logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------
# When a fast path steps aside
# ------------------------------------------------------------------------------------------
def unhandled_fields(model, handled):
    """The stored fields of `model` with a default or a computation that an INSERT writing
    the fields `handled` (and the log columns) would leave out: while there is one (a module
    added it), the caller lets the ORM create the rows."""
    return [
        name
        for name, field in model._fields.items()
        if field.store
        and field.type != "one2many"
        and (field.default or field.compute)
        and name not in handled
        and name not in models.MAGIC_COLUMNS
    ]


def overridden(model, methods, known):
    """The overrides of these methods of `model` by modules not in `known`, as
    "module: method": while there is one, its logic would be skipped by SQL."""
    found = []
    for cls in type(model).__mro__:
        module = getattr(cls, "_module", None)
        for method in methods:
            if method in vars(cls) and module not in known:
                found.append(f"{module}: {method}")
    return found


def knowing_overrides(model, methods, fnames):
    """The overrides of these methods of `model` by modules that know the fields `fnames`
    (their modules, or modules depending on them), other than the fields' own modules: a
    module that cannot know a field cannot react to its value (mail's tracking is left out
    by the ORM paths with ``tracking_disable``, Odoo's own checks concern Odoo's fields)."""
    owners = {module for name in fnames for module in model._fields[name]._modules}
    return fastpath.knowing_overrides(model, methods, owners)


# ------------------------------------------------------------------------------------------
# The entries
# ------------------------------------------------------------------------------------------
def create(model, rows, orm_context=None, method="create"):
    """Create these rows of `model` (dicts of column values, no x2many commands) and return
    the new records in the rows' order: one INSERT, or the ORM's create (with
    `orm_context`; `method` "_create_by_action" for the records of crm.billing.state.mixin
    that only an action makes) where the INSERT cannot be exact."""
    if not rows:
        return model.browse()
    handled = {name for row in rows for name in row}
    reasons = (
        ([] if fastpath.enabled(model.env) else ["switched off"])
        + unhandled_fields(model, handled)
        + knowing_overrides(model, ("create", "_create"), handled)
    )
    if reasons:
        _logger.debug("%s: %s rows created by the ORM (%s)", model._name, len(rows), reasons)
        creator = model.with_context(**(orm_context or {}))
        return getattr(creator, method)(rows).with_env(model.env)
    _logger.debug("%s: %s rows created in SQL (fast path)", model._name, len(rows))
    model.check_access("create")
    ids = insert(model, rows)
    records = created(model, ids)
    records.check_access("create")
    return records


def write(records_values, orm_context=None, method="write"):
    """Write each record's own values ({record: {field: value}}, all records of one model,
    simple stored fields) and tell the ORM what changed: one UPDATE, or the ORM's write
    (with `orm_context`, one call of `method` per distinct values: "_write_state" for the
    workflow fields of crm.billing.state.mixin) where the UPDATE cannot be exact.
    The fields written are protected from recomputation (their values are the ones given);
    what else depends on them is recomputed by the ORM."""
    if not records_values:
        return
    records = next(iter(records_values)).browse([rec.id for rec in records_values])
    model = records.browse()
    fnames = sorted({name for vals in records_values.values() for name in vals})
    reasons = ([] if fastpath.enabled(model.env) else ["switched off"]) + knowing_overrides(
        model, ("write", "_write"), fnames
    )
    if reasons:
        _logger.debug(
            "%s: %s rows written by the ORM (%s)", model._name, len(records_values), reasons
        )
        groups = {}
        for record, vals in records_values.items():
            key = tuple(sorted((name, repr(value)) for name, value in vals.items()))
            groups.setdefault(key, (vals, []))[1].append(record.id)
        writer = model.with_context(**(orm_context or {}))
        for vals, ids in groups.values():
            getattr(writer.browse(ids), method)(vals)
        return
    _logger.debug("%s: %s rows written in SQL (fast path)", model._name, len(records_values))
    records.check_access("write")
    # the customer's event log (crm_core's crm.partner.event) gets the events the ORM's
    # write of partners logs: the old values read before, one INSERT ... SELECT after
    Event = model.env["crm.partner.event"]
    logging = Event._sql_write_before(records, fnames)
    records.flush_recordset(fnames)
    id_values = [(record.id, vals) for record, vals in records_values.items()]
    update(model, id_values, fnames)
    records.invalidate_recordset(fnames)
    Event._sql_write_log(records, logging, id_values)
    with model.env.protecting([model._fields[name] for name in fnames], records):
        modified(records, fnames)


# ------------------------------------------------------------------------------------------
# The statements
# ------------------------------------------------------------------------------------------
def _array_element(value):
    """One element of a PostgreSQL array literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return repr(value)  # as psycopg2 writes numbers
    if isinstance(value, PsycopgJson):
        value = value.dumps(value.adapted)
    elif isinstance(value, dict | list):
        value = json.dumps(value)
    elif not isinstance(value, str | date | Decimal):
        raise TypeError(f"no array literal for {value!r}")
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values):
    """The text of a PostgreSQL array of these values ('{1,NULL,"a \\"b\\""}'): one
    parameter PostgreSQL reads at C speed. A Python list as parameter becomes
    ARRAY[v1, v2, ...], one SQL expression per element for psycopg2 to write and
    PostgreSQL to parse: three times as long for the lines of 1,000 invoices."""
    return "{" + ",".join(_array_element(value) for value in values) + "}"


def _column_value(model, name, value):
    """A field's value as its column holds it (False is NULL except for booleans)."""
    field = model._fields[name]
    if field.type == "boolean":
        return bool(value)
    if value is False:
        return None
    if field.type == "many2one" and isinstance(value, models.BaseModel):
        return value.id
    return value


def _arrays(model, names, rows):
    return SQL(", ").join(
        SQL(
            "%s::%s[]",
            array_literal(_column_value(model, name, row.get(name, False)) for row in rows),
            SQL(model._fields[name].column_type[1]),
        )
        for name in names
    )


def insert(model, rows):
    """INSERT these rows (dicts of column values) of `model` with the log columns, one
    array per column (unnest: cheaper to pass than thousands of rows of VALUES); return the
    new ids in the rows' order."""
    names = sorted({name for row in rows for name in row if name in model._fields})
    columns = SQL(", ").join(SQL.identifier(name) for name in names)
    # the ids come from the table's sequence in the order of insertion (ORDER BY n)
    return sorted(
        row[0]
        for row in model.env.execute_query(
            SQL(
                """INSERT INTO %(table)s (%(columns)s, create_uid, write_uid, create_date,
                                         write_date)
                   SELECT %(values)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(columns)s, n)
                 ORDER BY n
                RETURNING id""",
                table=SQL.identifier(model._table),
                columns=columns,
                values=SQL(", ").join(SQL.identifier("v", name) for name in names),
                arrays=_arrays(model, names, rows),
                uid=model.env.uid,
                now=model.env.cr.now(),
            )
        )
    )


def update(model, id_values, fnames):
    """UPDATE the rows of `model` with these values ([(id, {field: value})]; each row gets
    all of `fnames`), and the log columns, in one statement."""
    rows = [{"id": record_id, **vals} for record_id, vals in id_values]
    missing = [name for name in fnames for row in rows if name not in row]
    if missing:
        raise ValueError(f"every row must give {fnames}; missing {missing[:3]}")
    query = SQL(
        """UPDATE %(table)s t
              SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
             FROM unnest(%(ids)s::int4[], %(arrays)s) AS v(id, %(columns)s)
            WHERE t.id = v.id""",
        table=SQL.identifier(model._table),
        assignments=SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), SQL.identifier("v", name)) for name in fnames
        ),
        uid=model.env.uid,
        now=model.env.cr.now(),
        ids=array_literal(row["id"] for row in rows),
        arrays=_arrays(model, fnames, rows),
        columns=SQL(", ").join(SQL.identifier(name) for name in fnames),
    )
    model.env.flush_query(query)
    # a row another transaction changed meanwhile (a second server's run, a user) makes
    # PostgreSQL refuse this: Odoo runs the transaction again - not a bad query to log
    model.env.cr.execute(query, log_exceptions=False)


# ------------------------------------------------------------------------------------------
# Telling the ORM about rows written in SQL
# ------------------------------------------------------------------------------------------
def created(model, ids):
    """Tell the ORM that these rows of `model` were inserted (what depends on them, its
    caches); return them."""
    model.invalidate_model()
    records = model.browse(ids)
    stored = [name for name, field in model._fields.items() if field.store]
    with model.env.protecting([model._fields[name] for name in stored], records):
        modified(records, stored, create=True)
    return records


def modified(records, fnames, create=False):
    """records.modified(fnames, create) as Odoo does it, except for one branch: the search
    of the payments reconciled with the invoices (account.payment.reconciled_invoice_ids,
    which computes every invoice's reconciled payments: about 3 s for 10,000 invoices).
    That branch only serves account.payment.state, which changes when all its invoices
    become "paid"; a fast path of this addon only ever moves invoices to "in payment" or
    keeps them there (see account.move._compute_payment_state of this addon), which never
    changes a payment's state."""
    env = records.env
    skip = env["account.payment"]._fields["reconciled_invoice_ids"]

    def select(field):
        return (field.compute and field.store) or bool(field._get_all_cache_ids(env))

    def prune(tree):
        return TriggerTree(tree.root, {k: prune(v) for k, v in tree.items() if k != skip})

    tree = env.registry.get_trigger_tree([records._fields[name] for name in fnames], select=select)
    if not tree:
        return
    triggers = (
        records.sudo().with_context(active_test=False)._modified_triggers(prune(tree), create)
    )
    for field, found, _create in triggers:
        target = env[field.model_name].browse(found._ids) - env.protected(field)
        if not target:
            continue
        if field.recursive:
            target.modified([field.name])
        if field.compute and field.store:
            env.add_to_compute(field, target)
        else:
            field._invalidate_cache(env, target._ids)
