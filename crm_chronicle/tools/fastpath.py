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


def _array(values):
    """PostgreSQL array literal of these values (str, int, float, None; datetimes as
    text): one parameter, read by PostgreSQL at C speed."""
    items = []
    for value in values:
        if value is None or value is False:
            items.append("NULL")
        elif isinstance(value, bool):
            items.append("t" if value else "f")
        elif isinstance(value, int | float):
            items.append(repr(value))
        else:
            text = str(value)
            items.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


def insert(entries, rows):
    """Write `rows` as new chronicle entries and return them (in the rows' order).

    `entries`: the crm.chronicle.entry model in the environment of the logging (its user,
    company and context). `rows`: dicts with the ROW_FIELDS (ids for relations, False for
    empty) and ``company_id`` (False: the partner's company when it is one of the user's,
    else the environment's company, as crm_log_batch decides). Call ``blockers`` first."""
    env = entries.env
    entries.check_access("create")
    fields = entries._fields
    columns = list(ROW_FIELDS)
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
    arrays = {
        "partner_id": [row["partner_id"] for row in rows],
        "type_id": [row["type_id"] for row in rows],
        "name": [row["name"] for row in rows],
        "description": [html(description, entries, row["description"], sanitized) for row in rows],
        "date": [date.convert_to_column_insert(row["date"], entries) for row in rows],
        "user_id": [row["user_id"] or None for row in rows],
        "duration": [float(row["duration"] or 0.0) for row in rows],
        "state": [row["state"] for row in rows],
        "source_model": [row["source_model"] or None for row in rows],
        "source_id": [row["source_id"] or None for row in rows],
        "company_id": [row.get("company_id") or None for row in rows],
    }
    types = {name: SQL(fields[name].column_type[1]) for name in arrays}
    env["res.partner"].flush_model(["commercial_partner_id", "company_id"])
    query = SQL(
        """
        INSERT INTO crm_chronicle_entry (%(columns)s, commercial_partner_id, company_id,
                                         %(default_columns)s
                                         create_uid, write_uid, create_date, write_date)
        SELECT %(values)s, p.commercial_partner_id,
               COALESCE(v.company_id, CASE WHEN p.company_id = ANY(%(user_companies)s)
                                           THEN p.company_id ELSE %(company)s END),
               %(default_values)s
               %(uid)s, %(uid)s, %(now)s, %(now)s
          FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(names)s, n)
          JOIN res_partner p ON p.id = v.partner_id
      ORDER BY v.n
     RETURNING id
        """,
        columns=SQL(", ").join(SQL.identifier(name) for name in columns),
        default_columns=SQL("").join(SQL("%s, ", SQL.identifier(name)) for name in defaults),
        values=SQL(", ").join(SQL.identifier("v", name) for name in columns),
        default_values=SQL("").join(SQL("%s, ", value) for value in defaults.values()),
        user_companies=env.user.company_ids.ids,
        company=env.company.id,
        uid=env.uid,
        now=env.cr.now(),
        arrays=SQL(", ").join(
            SQL("%s::%s[]", _array(values), types[name]) for name, values in arrays.items()
        ),
        names=SQL(", ").join(SQL.identifier(name) for name in arrays),
    )
    ids = sorted(row[0] for row in env.execute_query(query))
    if len(ids) != len(rows):
        # a partner that does not exist (the callers check before): nothing half written
        raise ValueError("crm_chronicle fast path: a partner of the entries does not exist")
    records = entries.browse(ids)
    written = [*columns, *DERIVED_FIELDS, *defaults]
    # what create does once the rows are in: dependents marked, constraints, record rules
    with env.protecting([fields[name] for name in written], records):
        records.modified(fields, create=True)
    constrained = {name for check in entries._constraint_methods for name in check._constrains}
    checked = [name for name in written if name in constrained]
    if checked:
        records.fetch(checked)
        records._validate_fields(checked)
    records.check_access("create")
    return records
