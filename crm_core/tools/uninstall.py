"""Records an addon's uninstall must keep (a database cursor only, no ORM).

Odoo's module uninstall deletes every record that the module owns through an external id
(ir.model.data) and keeps those that the database refuses to delete: a row of another table
still references them through a foreign key ON DELETE RESTRICT (a customer with posted
invoices, a chronicle type that kept entries use). Each refused DELETE is logged as an error
first. An uninstall hook calls `release_referenced()` beforehand: the module gives up its
external ids of such records, so Odoo keeps them as data of no module and tries no DELETE.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def restricting_foreign_keys(cr, table):
    """(table, column) of every foreign key to `table` that refuses the deletion of a
    referenced row (ON DELETE RESTRICT or NO ACTION)."""
    cr.execute(
        """
        SELECT source.relname, attribute.attname
          FROM pg_constraint fk
          JOIN pg_class source ON source.oid = fk.conrelid
          JOIN pg_attribute attribute
            ON attribute.attrelid = fk.conrelid AND attribute.attnum = fk.conkey[1]
         WHERE fk.contype = 'f'
           AND fk.confrelid = %s::regclass
           AND fk.confdeltype IN ('r', 'a')
           AND cardinality(fk.conkey) = 1
         ORDER BY 1, 2
        """,
        [table],
    )
    return cr.fetchall()


def referenced_ids(cr, table, ids):
    """The ids among `ids` of `table` that some row references through a foreign key that
    refuses their deletion. One query per such foreign key."""
    ids = sorted(set(ids))
    found = set()
    if not ids:
        return found
    for source, column in restricting_foreign_keys(cr, table):
        cr.execute(
            SQL(
                "SELECT DISTINCT %(column)s FROM %(source)s WHERE %(column)s = ANY(%(ids)s)",
                column=SQL.identifier(column),
                source=SQL.identifier(source),
                ids=ids,
            )
        )
        found.update(row[0] for row in cr.fetchall())
    return found


def release_referenced(cr, module, model, table):
    """Drop the external ids of `module` for its records of `model` (stored in `table`) that
    other rows still reference (see the module docstring); return the ids of those records.
    The records stay; the module's uninstall no longer tries to delete them."""
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND model = %s", [module, model])
    kept = referenced_ids(cr, table, [row[0] for row in cr.fetchall()])
    if kept:
        cr.execute(
            "DELETE FROM ir_model_data WHERE module = %s AND model = %s AND res_id = ANY(%s)",
            [module, model, sorted(kept)],
        )
        _logger.info(
            "uninstalling %s: %s %s records still referenced, kept without external id: %s",
            module,
            len(kept),
            model,
            sorted(kept),
        )
    return kept
