"""Work that several Odoo workers or servers may start at the same time on one database.

Odoo runs every transaction in REPEATABLE READ: a transaction sees the database as it was when
it began. Two runs of the same job (a dunning run started on two servers, the nightly ABC
analysis and the button, a Fritz!Box synchronisation by the cron and by a user) would each
decide from their own snapshot and both do the work. Odoo's answer is to lock and, when
PostgreSQL reports a conflict, to run the transaction again on a fresh snapshot
(odoo.service.model.retrying, which HTTP requests and RPC calls get for free). These two
helpers apply it without conflicts in the log:

- `exclusive(env, name, *keys)`: one transaction at a time for a job (a PostgreSQL advisory
  lock until the transaction ends). A transaction that had to wait saw the database from
  before the other one finished: it raises odoo.exceptions.ConcurrencyError, and Odoo's
  retrying runs it again at once, now seeing what the other one did (nothing is done twice).
  Crons wrap each unit of work in `retrying(...)` themselves.
- `try_lock(records)`: odoo's `try_lock_for_update()` for queues worked on by several
  processes: rows another transaction holds are skipped, and so are rows another transaction
  changed after our snapshot (PostgreSQL refuses to lock those: "could not serialize access");
  they were just worked on, so they are not ours to take - without the "bad query" error that
  Odoo would log for the refused lock.
"""

import zlib

import psycopg2.errors

from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL


def _key(name):
    """A stable int4 for the job's name (the first key of pg_advisory_xact_lock(int4, int4))."""
    return zlib.crc32(name.encode()) - 2**31


def exclusive(env, name, key=0):
    """Let one transaction at a time run the job `name` (for `key`, e.g. a company or box
    id): wait until no other transaction runs it. When we had to wait, raise
    ConcurrencyError so that the caller's transaction is run again on a fresh snapshot (Odoo
    does it for requests; a cron calls its work through odoo.service.model.retrying)."""
    cr = env.cr
    cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", _key(name), int(key)))
    if cr.fetchone()[0]:
        return
    cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", _key(name), int(key)))
    raise ConcurrencyError(f"{name} ({key}) ran in another transaction meanwhile: run again")


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
