"""odoo-bin crm_callmonitor: listen to the call monitor of every active Fritz!Box.

    odoo-bin --addons-path=... crm_callmonitor -c /etc/odoo/odoo.conf -d <database>

Runs in the foreground until SIGTERM/SIGINT, connects to each box of the database whose
"Call Monitor" is enabled (crm.telephony.box), reconnects with backoff, turns RING / CALL /
CONNECT / DISCONNECT into call records, notifies the users of the line live, and re-reads the
box list every --reload seconds. Run one per application server: each box is served by one
of them at a time (a PostgreSQL advisory lock per box, tools/claims.py), the others stand by
and take over within seconds when it stops. See readme/CONFIGURE.md for a systemd unit.
"""

import logging
import optparse
import signal
import sys
import threading

from odoo.cli.command import Command
from odoo.modules.registry import Registry
from odoo.tools import config

_logger = logging.getLogger("odoo.addons.crm_telephony.callmonitor")


class Crm_callmonitor(Command):  # noqa: N801 - Odoo derives the command name from the class
    """Listen to the Fritz!Box call monitors of a database (crm_telephony)."""

    name = "crm_callmonitor"

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = self.prog
        group = optparse.OptionGroup(parser, "Call monitor")
        group.add_option(
            "--reload",
            dest="crm_reload",
            type="int",
            my_default=60,
            help="Seconds between two readings of the box configuration (default 60).",
        )
        parser.add_option_group(group)
        opt = config.parse_config(cmdargs, setup_logging=True)
        dbnames = config["db_name"]
        if not dbnames or len(dbnames) != 1:
            sys.exit("crm_callmonitor needs exactly one database: -d <database>")
        registry = Registry(dbnames[0])
        from odoo.addons.crm_telephony.tools.claims import BoxClaims
        from odoo.addons.crm_telephony.tools.listener import MonitorSupervisor

        service = CallMonitorService(registry)
        supervisor = MonitorSupervisor(
            service.on_line, service.on_status, claims=BoxClaims(service.claims_connection)
        )
        stop = threading.Event()

        def _stop(signum, frame):
            _logger.info("call monitor: stopping (signal %s)", signum)
            stop.set()
            supervisor.stop()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)

        def reload_boxes():
            supervisor.set_boxes(service.boxes())
            if not stop.is_set():
                timer = threading.Timer(opt.crm_reload or 60, reload_boxes)
                timer.daemon = True
                timer.start()

        reload_boxes()
        _logger.info("call monitor: listening for database %s", dbnames[0])
        supervisor.run()


class CallMonitorService:
    """Database side of the listener: one short transaction per event."""

    def __init__(self, registry):
        self.registry = registry

    def claims_connection(self):
        """A connection of its own (outside Odoo's pool) for the box claims: its session
        holds the advisory locks, with TCP keepalives so a vanished server frees them."""
        import psycopg2

        from odoo.sql_db import connection_info_for

        from odoo.addons.crm_telephony.tools.claims import KEEPALIVES

        _dbname, info = connection_info_for(self.registry.db_name)
        info = dict(info, application_name="crm_callmonitor box claims")
        return psycopg2.connect(**info, **KEEPALIVES)

    def boxes(self):
        from odoo import api

        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            return env["crm.telephony.box"]._monitor_targets()

    def _run(self, box_id, method, *args):
        """box.method(*args) in a transaction of its own, run again by Odoo's retrying when
        it meets another one (a synchronisation of the box on any server)."""
        from odoo import api
        from odoo.service.model import retrying

        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            box = env["crm.telephony.box"].browse(box_id)
            return retrying(lambda: getattr(box, method)(*args), env)

    def on_line(self, box_id, line):
        self._run(box_id, "_monitor_process_line", line)

    def on_status(self, box_id, state, error):
        self._run(box_id, "_monitor_set_status", state, error)


Crm_callmonitor.service_class = CallMonitorService
