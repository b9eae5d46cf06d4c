"""Which listener serves a Fritz!Box: PostgreSQL session-level advisory locks.

A Fritz!Box call monitor sends every event to every connected client, so two `odoo-bin
crm_callmonitor` processes (one per application server) connected to the same box would log
each call twice. Each listener therefore claims a box before it connects to it: it takes the
advisory lock (CLAIM_CLASS, box id) on a connection of its own, outside Odoo's connection pool,
and holds it as long as it serves the box. The others stand by and try again every few seconds.
PostgreSQL releases a session's advisory locks when the session ends, so when the serving
process dies (a crash, kill -9, its machine gone: TCP keepalives end the session) a standby
process takes the box over; when the lock connection itself breaks (PostgreSQL restarted), the
listener drops all its boxes at once and claims them again on a new connection.

No ORM here (psycopg2 only): the command builds it from Odoo's connection parameters.
"""

import logging

import psycopg2

_logger = logging.getLogger(__name__)

# pg_advisory_lock(int4, int4): the first key says "a crm_telephony call-monitor box", the
# second is the box id (crm.telephony.box). The number is arbitrary but fixed.
CLAIM_CLASS = 0x43524D54  # "CRMT"
# dead peers are noticed by the kernel after about idle + interval * count seconds
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


class BoxClaims:
    """Advisory locks on one dedicated autocommit connection.

    `connect` returns a new psycopg2 connection. Every method answers from the database;
    a broken connection counts as "no claims held" (`alive()` is False and `held` empty).
    """

    def __init__(self, connect):
        self.connect = connect
        self.conn = None
        self.held = set()

    def _cursor(self):
        if self.conn is None or self.conn.closed:
            self.held = set()
            self.conn = self.connect()
            self.conn.autocommit = True
        return self.conn.cursor()

    def _lost(self, error):
        if self.held:
            _logger.warning(
                "call monitor: lost the database session that held boxes %s: %s",
                sorted(self.held),
                str(error).strip() or error.__class__.__name__,
            )
        self.held = set()
        if self.conn is not None:
            try:
                self.conn.close()
            except psycopg2.Error:
                pass
        self.conn = None

    def alive(self):
        """True when the session that holds our claims still exists. False after it broke
        (the claims are gone with it: stop serving every box, then claim again)."""
        if self.conn is None:
            return not self.held
        try:
            with self.conn.cursor() as cr:
                cr.execute("SELECT 1")
            return True
        except psycopg2.Error as error:
            self._lost(error)
            return False

    def claim(self, box_id):
        """Take box_id if no other listener serves it: True when we hold it, False when
        another listener does, None when the database cannot be reached."""
        if box_id in self.held:
            return True
        try:
            with self._cursor() as cr:
                cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (CLAIM_CLASS, box_id))
                got = cr.fetchone()[0]
        except psycopg2.Error as error:
            self._lost(error)
            return None
        if got:
            self.held.add(box_id)
        return got

    def release(self, box_id):
        if box_id not in self.held:
            return
        self.held.discard(box_id)
        try:
            with self._cursor() as cr:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", (CLAIM_CLASS, box_id))
        except psycopg2.Error as error:
            self._lost(error)

    def close(self):
        self.held = set()
        if self.conn is not None and not self.conn.closed:
            self.conn.close()
        self.conn = None
