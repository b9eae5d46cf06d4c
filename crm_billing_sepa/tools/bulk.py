"""Set-based writes of many new rows of a model, where the ORM's create would spend its time
row by row: which fields such an INSERT must leave to the ORM, and the INSERT itself. The
callers tell the ORM what depends on the new rows."""

import json
from datetime import date
from decimal import Decimal

from psycopg2.extras import Json as PsycopgJson

from odoo import models
from odoo.tools import SQL


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


def insert_rows(model, rows):
    """INSERT these rows (dicts of column values; False is empty except for booleans) of
    `model` with the log columns, one array per column (unnest: cheaper to pass than
    thousands of rows of VALUES); return the new ids in the rows' order."""
    names = sorted({name for row in rows for name in row if name in model._fields})
    arrays = SQL(", ").join(
        SQL(
            "%s::%s[]",
            array_literal(
                row.get(name)
                if row.get(name) is not False or model._fields[name].type == "boolean"
                else None
                for row in rows
            ),
            SQL(model._fields[name].column_type[1]),
        )
        for name in names
    )
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
                arrays=arrays,
                uid=model.env.uid,
                now=model.env.cr.now(),
            )
        )
    )
