"""Work that several Odoo workers or servers may start at the same time on one database.

Odoo runs every transaction in REPEATABLE READ: a transaction sees the database as it was when
it began. Two runs of the same job (a dunning run started on two servers, the nightly ABC
analysis and the button, a Fritz!Box synchronisation by the cron and by a user) would each
decide from their own snapshot and both do the work. Odoo's answer is to lock and, when
PostgreSQL reports a conflict, to run the transaction again on a fresh snapshot
(odoo.service.model.retrying, which HTTP requests and RPC calls get for free). These two
helpers apply it without conflicts in the log:

- `exclusive(env, name, key)`: one transaction at a time for a job: it takes the job's row in
  the table crm_turn (crm_core/models/crm_turn.py) with an upsert. A second transaction waits
  for the first; when the first commits, PostgreSQL refuses the second's upsert ("could not
  serialize access"), because the row changed after its snapshot began, even if the first
  committed before the second asked. Odoo's retrying runs it again on a fresh snapshot
  that sees what the first one did (nothing is done twice). Requests get that for free; crons
  wrap each unit of work in `retrying(...)` themselves.
- `lock(records)`: lock rows before writing them, waiting for a transaction that holds them;
  a row changed after our snapshot fails the transaction for Odoo's retrying (as the write
  itself would), without the "bad query" error Odoo logs for a refused write.
- `try_lock(records)`: odoo's `try_lock_for_update()` for queues worked on by several
  processes: rows another transaction holds are skipped, and so are rows another transaction
  changed after our snapshot (PostgreSQL refuses to lock those: "could not serialize access");
  they were just worked on, so they are not ours to take - without the "bad query" error that
  Odoo would log for the refused lock.
"""

import psycopg2.errors

from odoo.tools import SQL


def exclusive(env, name, key=0):
    """Let one transaction at a time run the job `name` (for `key`, e.g. a company or box
    id): wait until no other transaction runs it; when one ran it after this transaction
    began, fail with a serialization error, which Odoo's retrying answers by running the
    transaction again (a cron calls its work through odoo.service.model.retrying)."""
    env.cr.execute(
        SQL(
            """INSERT INTO crm_turn (name, key) VALUES (%s, %s)
               ON CONFLICT (name, key) DO UPDATE SET turns = crm_turn.turns + 1""",
            name,
            int(key),
        ),
        # the refusal is the expected answer to a concurrent run, not a bad query to log
        log_exceptions=False,
    )


def lock(records, allow_referencing=True):
    """Lock the rows of `records` for this transaction before writing them (waiting while
    another transaction holds them). A row another transaction changed after our snapshot
    began raises psycopg2's SerializationFailure, which Odoo's retrying answers by running
    the transaction again."""
    ids = sorted(record_id for record_id in records._ids if isinstance(record_id, int))
    if not ids:
        return
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id %s",
            SQL.identifier(records._table),
            ids,
            SQL("FOR NO KEY UPDATE" if allow_referencing else "FOR UPDATE"),
        ),
        log_exceptions=False,
    )


def try_lock(records, limit=None, allow_referencing=False):
    """The records of `records` this transaction could lock now (in their order, at most
    `limit`): like records.try_lock_for_update(), and a record changed by another transaction
    after our snapshot began counts as taken, instead of failing the transaction."""
    env = records.env
    ids = [record_id for record_id in records._ids if isinstance(record_id, int)]
    if not ids:
        return records.browse()
    records.flush_recordset()
    locked = _lock(env, records._table, ids, limit, allow_referencing)
    if locked is None:
        # one of them changed since our snapshot: lock them one by one, skipping those
        locked = []
        for record_id in ids:
            if limit is not None and len(locked) >= limit:
                break
            locked += _lock(env, records._table, [record_id], 1, allow_referencing) or []
    return records.browse(locked)


def _lock(env, table, ids, limit, allow_referencing):
    """Ids of `ids` locked now, in their order (None: one of them changed after our
    snapshot, nothing locked)."""
    query = SQL(
        "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY array_position(%s, id) %s %s SKIP LOCKED",
        SQL.identifier(table),
        ids,
        ids,
        SQL("LIMIT %s", limit) if limit is not None else SQL(),
        SQL("FOR NO KEY UPDATE" if allow_referencing else "FOR UPDATE"),
    )
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute(query, log_exceptions=False)
            return [row[0] for row in env.cr.fetchall()]
    except psycopg2.errors.SerializationFailure:
        return None
