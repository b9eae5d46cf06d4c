"""The fast path of chronicle entries: many new entries written by one INSERT.

The ORM's create costs about half a millisecond per entry in Python (values prepared one by
one, the HTML description sanitised, the cache filled), so a first ABC analysis of 200,000
customers or a SEPA run of 10,000 debits would spend minutes logging. ``insert`` writes the
same rows set-based. It is the only code of the suite that writes ``crm_chronicle_entry``
rows outside the ORM, and it is reached only through ``crm.chronicle.entry.crm_log_batch``
(and the class changes crm_chronicle logs itself), which takes it when

* the suite's fast paths are on (``crm_core.tools.fastpath.enabled``),
* the entries are logged without tracking (context ``tracking_disable``: then Odoo's mail
  layer adds nothing to a created entry: no follower, no message, no tracking value),
* the batch is large enough (``MIN_ENTRIES``), and
* ``blockers`` finds nothing: no stored field added by another module that the INSERT cannot
  fill as create would (computed, related, company-dependent or translated fields, or a
  default the context gives to a relational or non-stored field), and no override of the
  entries' creation by another module (its logic would be skipped).

What it writes equals what ``create`` writes: the same columns (the defaults of the fields it
is not given from ``default_get``, as create takes them), the description sanitised by the
field itself, the commercial partner and the company from the partner as crm_log_batch
chooses them. Afterwards the ORM itself is told about the new rows: ``modified`` (what
depends on entries), the Python constraints and the record rules for creation, as at the end
of create. ``test_fastpath`` compares raw rows of both paths; ``CRM_FASTPATH=0`` forces the
ORM everywhere.
"""

import re

from odoo import models
from odoo.tools import SQL

from odoo.addons.crm_core.tools import fastpath

# below this many entries the ORM is fast enough (and keeps single entries ordinary)
MIN_ENTRIES = 100
# the fields the INSERT writes from the rows it is given
ROW_FIELDS = (
    "partner_id",
    "type_id",
    "name",
    "description",
    "date",
    "user_id",
    "duration",
    "state",
    "source_model",
    "source_id",
)
# ... of which these are NULL when empty (create leaves them out then)
OPTIONAL_FIELDS = ("description", "source_model", "source_id")
# ... and those it derives from the partner
DERIVED_FIELDS = ("commercial_partner_id", "company_id")
# modules whose overrides of the creation the INSERT reproduces (mail's only with
# tracking_disable, see above)
CREATE_MODULES = {None, "base", "mail", "crm_chronicle"}
CREATE_METHODS = ("create", "_create", "_add_missing_default_values", "_prepare_create_values")

# What Odoo's HTML sanitiser gives back unchanged (a paragraph of plain text) or wraps in a
# paragraph (plain text that starts with a visible character): no markup, no entity, no
# control, no non-breaking space (written as &nbsp;), no noncharacter or surrogate.
_SAFE = r"[^<>&\x00-\x1f\x7f-\xa0\ufffe\uffff\ud800-\udfff]"
_PARAGRAPH = re.compile(rf"<p>{_SAFE}*</p>\Z")
_PLAIN = re.compile(rf"(?!\s){_SAFE}+\Z")


def enabled(env, count):
    """Whether `count` entries may take the fast path in `env` (see the module's
    docstring; ``blockers`` is checked separately)."""
    minimum = env.context.get("crm_chronicle_fastpath_min", MIN_ENTRIES)
    return count >= minimum and bool(env.context.get("tracking_disable")) and fastpath.enabled(env)


def blockers(entries):
    """What keeps the INSERT from writing entries as create would (see the module's
    docstring), as a list of reasons; empty when it may run."""
    reasons = []
    handled = {*ROW_FIELDS, *DERIVED_FIELDS, *models.MAGIC_COLUMNS}
    for name, field in entries._fields.items():
        if name in handled or not field.store or not field.column_type:
            continue
        if field.compute or field.related or field.company_dependent or field.translate:
            reasons.append(f"field {name}")
    unhandled = [name for name in entries._fields if name not in handled]
    for name in entries.default_get(unhandled):
        field = entries._fields[name]
        if not field.store or not field.column_type:
            reasons.append(f"default of {name}")
    final = type(entries)
    for cls in final.__mro__:
        module = getattr(cls, "_module", None)
        for method in CREATE_METHODS:
            if method in vars(cls) and (cls is final or module not in CREATE_MODULES):
                reasons.append(f"{module}: {method}")
    return reasons


def html(field, record, value, cache):
    """The column value of the HTML `value` as the field's create writes it: plain text
    and paragraphs of it without markup directly, anything else through the field's own
    sanitiser (once per distinct value, in `cache`)."""
    if not value:
        return None
    if _PARAGRAPH.match(value):
        return value
    if _PLAIN.match(value):
        return f"<p>{value}</p>"
    if value not in cache:
        cache[value] = field.convert_to_column_insert(value, record)
    return cache[value]


def _array(values, column_type):
    """PostgreSQL array literal of these values (None for NULL) of a column of this type:
    one parameter, read by PostgreSQL at C speed."""
    if column_type in ("int4", "float8", "numeric"):
        items = ("NULL" if value is None else repr(value) for value in values)
    else:
        items = (
            "NULL"
            if value is None
            else '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for value in values
        )
    return "{" + ",".join(items) + "}"


def insert(entries, columns, count):
    """Write `count` new chronicle entries and return them (in order).

    `entries`: the crm.chronicle.entry model in the environment of the logging (its user,
    company and context). `columns`: {name: value} for each of the ROW_FIELDS and
    ``company_id``, the value either a list of one value per entry or one value for all
    (ids for relations, False for empty; ``company_id`` False: the partner's company when
    it is one of the user's, else the environment's company, as crm_log_batch decides).
    Call ``blockers`` first.

    One INSERT ... SELECT: a value shared by all entries (the type, date and user of an ABC
    analysis' class changes) is one parameter, the others one array each (unnest) in the
    order of ids taken beforehand; the values the Python constraints check come back from
    the INSERT (RETURNING) into the cache, so that checking them reads nothing again."""
    env = entries.env
    entries.check_access("create")
    if not count:
        return entries.browse()
    fields = entries._fields
    defaults = {}
    unhandled = [
        name
        for name, field in fields.items()
        if field.store
        and field.column_type
        and name not in {*ROW_FIELDS, *DERIVED_FIELDS, *models.MAGIC_COLUMNS}
    ]
    for name, value in entries.default_get(unhandled).items():
        field = fields[name]
        cache_value = field.convert_to_cache(value, entries)
        defaults[name] = field.convert_to_column_insert(
            field.convert_to_write(cache_value, entries), entries
        )
    sanitized = {}
    description, date = fields["description"], fields["date"]
    convert = {
        "description": lambda value: html(description, entries, value, sanitized),
        "date": lambda value: date.convert_to_column_insert(value, entries),
        "duration": lambda value: float(value or 0.0),
    }
    # the new ids, taken first: the entries get them in their order without a sort
    ids = [
        entry_id
        for (entry_id,) in env.execute_query(
            SQL(
                "SELECT nextval(pg_get_serial_sequence('crm_chronicle_entry', 'id'))"
                " FROM generate_series(1, %s)",
                count,
            )
        )
    ]
    # {column: one value for all entries} and {column: the entries' values}
    shared, arrays = {}, {"id": ids}
    for name in (*ROW_FIELDS, "company_id"):
        values = columns[name]
        function = convert.get(name, lambda value: value if value is not False else None)
        if isinstance(values, list):
            if len(values) != count:
                raise ValueError(
                    f"crm_chronicle fast path: {count} entries, {name} has {len(values)}"
                )
            first = values[0]
            if name == "partner_id" or not all(
                value == first and type(value) is type(first) for value in values
            ):
                arrays[name] = [function(value) for value in values]
                continue
            values = first
        shared[name] = function(values)
    selected = {
        name: SQL.identifier("v", name)
        if name in arrays
        else SQL("%s::%s", shared[name], SQL(fields[name].column_type[1]))
        for name in ROW_FIELDS
    }
    company = (
        SQL.identifier("v", "company_id")
        if "company_id" in arrays
        else SQL("%s::int4", shared["company_id"])
    )
    constrained = {name for check in entries._constraint_methods for name in check._constrains}
    written = [*ROW_FIELDS, *DERIVED_FIELDS, *defaults]
    checked = [name for name in written if name in constrained]
    env["res.partner"].flush_model(["commercial_partner_id", "company_id"])
    query = SQL(
        """
        INSERT INTO crm_chronicle_entry (id, %(columns)s, commercial_partner_id, company_id,
                                         %(default_columns)s
                                         create_uid, write_uid, create_date, write_date)
        SELECT v.id, %(values)s, p.commercial_partner_id,
               COALESCE(%(company)s, CASE WHEN p.company_id = ANY(%(user_companies)s)
                                          THEN p.company_id ELSE %(env_company)s END),
               %(default_values)s
               %(uid)s, %(uid)s, %(now)s, %(now)s
          FROM unnest(%(arrays)s) AS v(%(names)s)
          JOIN res_partner p ON p.id = v.partner_id
     RETURNING id%(returning)s
        """,
        columns=SQL(", ").join(SQL.identifier(name) for name in selected),
        default_columns=SQL("").join(SQL("%s, ", SQL.identifier(name)) for name in defaults),
        values=SQL(", ").join(selected.values()),
        company=company,
        default_values=SQL("").join(SQL("%s, ", value) for value in defaults.values()),
        user_companies=env.user.company_ids.ids,
        env_company=env.company.id,
        uid=env.uid,
        now=env.cr.now(),
        arrays=SQL(", ").join(
            SQL(
                "%s::%s[]",
                _array(values, fields[name].column_type[1]),
                SQL(fields[name].column_type[1]),
            )
            for name, values in arrays.items()
        ),
        names=SQL(", ").join(SQL.identifier(name) for name in arrays),
        returning=SQL("").join(SQL(", %s", SQL.identifier(name)) for name in checked),
    )
    returned = env.execute_query(query)
    if len(returned) != count:
        # a partner that does not exist (the callers check before): nothing half written
        raise ValueError("crm_chronicle fast path: a partner of the entries does not exist")
    records = entries.browse(ids)
    # what create does once the rows are in: dependents marked, constraints, record rules
    # (the written fields that are computed, such as the related commercial partner, are
    # protected from recomputation as create protects them)
    with env.protecting([fields[name] for name in written if fields[name].compute], records):
        records.modified(fields, create=True)
    if checked:
        returned_ids, *values_of_checked = zip(*returned, strict=True)
        for name, values in zip(checked, values_of_checked, strict=True):
            fields[name]._insert_cache(entries.browse(returned_ids), values)
        records._validate_fields(checked)
    records.check_access("create")
    return records
