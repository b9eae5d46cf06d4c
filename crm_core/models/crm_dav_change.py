"""The change log behind CardDAV/CalDAV sync tokens (issue 21).

Every change of a record that a DAV collection shows (a partner, its numbers, bank accounts,
roles and tags; a chronicle appointment or resubmission) appends a row (kind, record id),
written by PostgreSQL triggers in the same transaction: whoever writes - the ORM, an import,
a set-based fast path - the change is logged.

Rows get their sequence number when their transaction commits, under a lock, so sequence
numbers follow the commit order: a client that synced up to number N has seen every change
numbered N or lower, and an incremental sync reads the rows above N (one indexed query).
"""

import datetime

from odoo import api, fields, models
from odoo.tools import SQL

# how long changes are kept; an older sync token makes the client sync in full
KEEP_DAYS = 60
_LOCK_KEY = 2126110421  # pg_advisory_xact_lock key of the commit-ordered numbering


class CrmDavChange(models.Model):
    _name = "crm.dav.change"
    _description = "CardDAV/CalDAV Change"
    _log_access = False
    _order = "id"

    kind = fields.Char(required=True, readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    seq = fields.Integer("Sequence", readonly=True, help="Given when the change commits.")
    date = fields.Datetime(readonly=True)

    _kind_seq_idx = models.Index("(kind, seq)")
    _pending_idx = models.Index("(id) WHERE seq IS NULL")

    def init(self):
        cr = self.env.cr
        cr.execute("CREATE SEQUENCE IF NOT EXISTS crm_dav_change_seq")
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION crm_dav_change_number() RETURNS trigger
                LANGUAGE plpgsql AS $$
                DECLARE
                    done bigint := COALESCE(
                        NULLIF(current_setting('crm_dav.numbered', true), '')::bigint, 0);
                BEGIN
                    -- at commit, once for all changes of this transaction (the rows after
                    -- the last ones numbered): one number, taken under a lock held until the
                    -- commit ends, so numbers follow the commit order
                    IF NEW.id > done THEN
                        PERFORM pg_advisory_xact_lock(%(key)s);
                        UPDATE crm_dav_change SET seq = n.v
                          FROM (SELECT nextval('crm_dav_change_seq') AS v) n
                         WHERE seq IS NULL;
                        PERFORM set_config(
                            'crm_dav.numbered',
                            (SELECT max(id) FROM crm_dav_change WHERE seq IS NOT NULL)::text,
                            true);
                    END IF;
                    RETURN NULL;
                END $$
                """,
                key=_LOCK_KEY,
            )
        )
        cr.execute("DROP TRIGGER IF EXISTS crm_dav_change_number ON crm_dav_change")
        cr.execute(
            """CREATE CONSTRAINT TRIGGER crm_dav_change_number AFTER INSERT ON crm_dav_change
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
               EXECUTE FUNCTION crm_dav_change_number()"""
        )

    # ------------------------------------------------------------------------------------------
    # Triggers on the tables a collection shows
    # ------------------------------------------------------------------------------------------
    @api.model
    def _install_log_triggers(self, tag, table, kind, ids, columns=(), follow=(), shown=None):
        """Log `kind` changes of `table` (triggers named crm_dav_log_<tag>_...): the record
        ids are the values of the `ids` columns (e.g. ("id", "parent_id")) of inserted and
        deleted rows, and, before and after, of updated rows whose `columns` changed (tables
        without an id column, such as many2many relations, only insert and delete).
        `follow` lists (kind, columns, select) for other records that show these rows: on an
        update that changes `columns`, the ids that `select` returns from `changed` (the
        updated rows) are logged as `kind` (a company's contact persons show its name).
        `shown`: an SQL condition on an inserted or deleted row (alias r) that a collection
        may show it at all; other rows are not logged when inserted or deleted (a chronicle
        entry that is no appointment: an ABC analysis logs 200,000 of them)."""
        now = "now() AT TIME ZONE 'UTC'"
        for operation, rows in (("INSERT", "new_rows"), ("DELETE", "old_rows")):
            values = ", ".join(f"(r.{column})" for column in ids)
            body = f"""
                INSERT INTO crm_dav_change (kind, res_id, date)
                SELECT DISTINCT '{kind}', v.res_id, {now}
                  FROM {rows} r, LATERAL (VALUES {values}) AS v(res_id)
                 WHERE v.res_id IS NOT NULL AND ({shown or "TRUE"});"""
            self._create_trigger(f"crm_dav_log_{tag}_{operation.lower()}", table, operation, body)
        if ids[0] != "id":
            return

        def differs(watched):
            if not watched:
                return "TRUE"
            new = ", ".join(f"n.{c}" for c in watched)
            old = ", ".join(f"o.{c}" for c in watched)
            return f"({new}, NULL) IS DISTINCT FROM ({old}, NULL)"

        values = ", ".join([f"(n.{c})" for c in ids] + [f"(o.{c})" for c in ids])
        body = f"""
            INSERT INTO crm_dav_change (kind, res_id, date)
            SELECT DISTINCT '{kind}', v.res_id, {now}
              FROM new_rows n JOIN old_rows o ON o.id = n.id,
                   LATERAL (VALUES {values}) AS v(res_id)
             WHERE v.res_id IS NOT NULL AND {differs(columns)};"""
        for follow_kind, follow_columns, select in follow:
            body += f"""
            WITH changed AS (
                SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE {differs(follow_columns)})
            INSERT INTO crm_dav_change (kind, res_id, date)
            SELECT DISTINCT '{follow_kind}', s.res_id, {now} FROM ({select}) AS s(res_id);"""
        self._create_trigger(f"crm_dav_log_{tag}_update", table, "UPDATE", body)

    def _create_trigger(self, name, table, operation, body):
        """(Re)create the statement trigger `name` on `table` running `body` (SQL written by
        _install_log_triggers from names in the code, never from data)."""
        cr = self.env.cr
        statements = SQL(body)
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION %(name)s() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN %(body)s RETURN NULL; END $$",
                name=SQL.identifier(name),
                body=statements,
            )
        )
        referencing = {
            "INSERT": SQL("INSERT ON %s REFERENCING NEW TABLE AS new_rows", SQL.identifier(table)),
            "DELETE": SQL("DELETE ON %s REFERENCING OLD TABLE AS old_rows", SQL.identifier(table)),
            "UPDATE": SQL(
                "UPDATE ON %s REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
                SQL.identifier(table),
            ),
        }[operation]
        cr.execute(
            SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(name), SQL.identifier(table))
        )
        cr.execute(
            SQL(
                "CREATE TRIGGER %(name)s AFTER %(event)s FOR EACH STATEMENT"
                " EXECUTE FUNCTION %(name)s()",
                name=SQL.identifier(name),
                event=referencing,
            )
        )

    @api.model
    def _drop_log_triggers(self):
        """Remove every trigger and function that writes to crm_dav_change (uninstall of
        crm_core: the tables they watch, such as res_partner, stay)."""
        cr = self.env.cr
        cr.execute(
            """SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE t.tgname LIKE 'crm\\_dav\\_log\\_%'"""
        )
        for name, table in cr.fetchall():
            cr.execute(
                SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(name), SQL.identifier(table))
            )
        cr.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'crm\\_dav\\_log\\_%'")
        for (name,) in cr.fetchall():
            cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(name)))

    # ------------------------------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------------------------------
    @api.model
    def _last_seq(self, kinds):
        """The number of the last committed change of these kinds (0 when none)."""
        self.env.cr.execute(
            SQL(
                "SELECT max(seq) FROM crm_dav_change WHERE kind IN %s AND seq IS NOT NULL",
                tuple(kinds),
            )
        )
        return self.env.cr.fetchone()[0] or 0

    @api.model
    def _changed_since(self, kinds, seq):
        """{kind: set of record ids} changed after `seq`."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT kind, res_id FROM crm_dav_change WHERE kind IN %s AND seq > %s",
                tuple(kinds),
                seq,
            )
        )
        result = {kind: set() for kind in kinds}
        for kind, res_id in self.env.cr.fetchall():
            result[kind].add(res_id)
        return result

    @api.model
    def _oldest_valid_seq(self):
        """Sync tokens below this number are too old (their changes were cleaned up)."""
        value = self.env["ir.config_parameter"].sudo().get_param("crm_core.dav_gc_seq")
        return int(value or 0)

    @api.autovacuum
    def _gc_changes(self):
        """Forget changes older than KEEP_DAYS; clients with an older sync token sync in
        full."""
        limit = fields.Datetime.now() - datetime.timedelta(days=KEEP_DAYS)
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_dav_change WHERE date < %s AND seq IS NOT NULL RETURNING seq",
                limit,
            )
        )
        removed = [row[0] for row in self.env.cr.fetchall()]
        if removed:
            self.env["ir.config_parameter"].sudo().set_param(
                "crm_core.dav_gc_seq", str(max(max(removed), self._oldest_valid_seq()))
            )
