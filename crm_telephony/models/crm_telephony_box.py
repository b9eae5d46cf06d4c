import datetime
import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import SQL

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.crm_core.tools import breaker as outside
from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import one_record, public

from ..tools.callmonitor import CallMonitorLineError, parse_line
from ..tools.fritzbox import TIMEOUT, FritzBox, FritzBoxError

_logger = logging.getLogger(__name__)

# the box's status: found out by testing and using the connection, never written by hand
GUARDED = ("state", "monitor_state")
STATES = [
    ("new", "Not tested"),
    ("ok", "Connected"),
    ("unreachable", "Unreachable"),
    ("auth", "Wrong user or password"),
    ("error", "Error"),
]


class CrmTelephonyBox(models.Model):
    """A Fritz!Box (or other TR-064 capable AVM device) of a company."""

    _name = "crm.telephony.box"
    _description = "Fritz!Box"
    _inherit = ["crm.state.mixin"]
    _order = "company_id, name"
    _check_company_auto = True
    # found out by testing and using the connection only (crm.state.mixin)
    _action_fields = GUARDED

    name = fields.Char(required=True, default="Fritz!Box")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    host = fields.Char(
        required=True, default="fritz.box", help="Host name or IP address of the box."
    )
    tr64_port = fields.Integer("TR-064 Port", default=49000)
    use_tls = fields.Boolean("Use TLS", help="TR-064 over HTTPS (usually port 49443).")
    user = fields.Char("TR-064 User", help="A Fritz!Box user with the right 'Telephony'.")
    password = fields.Char("TR-064 Password", groups="base.group_system", copy=False)
    monitor_enabled = fields.Boolean(
        "Call Monitor",
        default=True,
        help="Listen to the box's call monitor (enable it on the box by dialling #96*5*).",
    )
    monitor_port = fields.Integer("Call Monitor Port", default=1012)
    outside_line_prefix = fields.Char(
        help="Digits dialled before external numbers, e.g. 0 behind a private exchange."
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        default=lambda self: self.env.user.tz or "Europe/Berlin",
        required=True,
        help="The box reports local times; this is its time zone.",
    )
    phonebook_name = fields.Char(
        default="CRM Suite", help="The phonebook on the box that contacts are pushed to."
    )
    phonebook_id = fields.Integer("Phonebook Id on the Box", readonly=True, copy=False)
    line_ids = fields.One2many("crm.telephony.line", "box_id", string="Lines")
    state = fields.Selection(STATES, default="new", required=True, readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    last_check = fields.Datetime(readonly=True, copy=False)
    model_name = fields.Char("Model", readonly=True, copy=False)
    monitor_state = fields.Selection(
        [("stopped", "Not listening"), ("connected", "Listening"), ("retrying", "Reconnecting")],
        default="stopped",
        readonly=True,
        copy=False,
    )
    monitor_error = fields.Char(readonly=True, copy=False)
    monitor_last_event = fields.Datetime(readonly=True, copy=False)
    call_list_synced = fields.Datetime("Call List Synchronised", readonly=True, copy=False)

    _monitor_port_range = models.Constraint(
        "CHECK(monitor_port > 0 AND monitor_port < 65536 AND tr64_port > 0 AND tr64_port < 65536)",
        "Ports must be between 1 and 65535.",
    )

    def _state_actions(self):
        return self.env._("Test connection, and the call monitor listener")

    @api.constrains("outside_line_prefix")
    def _check_outside_line_prefix(self):
        for box in self:
            prefix = box.outside_line_prefix
            if prefix and not all(c.isdigit() or c in "*#" for c in prefix):
                raise UserError(
                    self.env._(
                        "Fritz!Box %(box)s: the outside-line prefix may only contain digits, "
                        "* and # (got %(prefix)s).",
                        box=box.display_name,
                        prefix=prefix,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # Connection
    # ------------------------------------------------------------------------------------------
    def _client(self):
        self.ensure_one()
        box = self.sudo()
        return FritzBox(box.host, box.tr64_port, box.user, box.password, use_tls=box.use_tls)

    def _region(self):
        return (self.company_id.country_id.code or "DE").upper()

    def _connection_text(self, reason):
        """Why the box could not be reached, in words (crm_core's breaker reasons)."""
        texts = {
            outside.REFUSED: self.env._(
                "connection refused at %(host)s:%(port)s (is the port right and access for "
                "applications allowed on the box?)",
                host=self.host,
                port=self.tr64_port,
            ),
            outside.TIMEOUT: self.env._(
                "no answer from %(host)s:%(port)s within %(seconds)s s",
                host=self.host,
                port=self.tr64_port,
                seconds=TIMEOUT,
            ),
            outside.UNKNOWN_HOST: self.env._("unknown host name %(host)s", host=self.host),
            outside.TLS: self.env._("secure connection (TLS) failed"),
            outside.UNAVAILABLE: self.env._("the box is busy"),
        }
        return texts.get(reason) or self.env._(
            "network error on the way to %(host)s", host=self.host
        )

    def _error_text(self, error):
        """(state, text) of a FritzBoxError: the box's status and what the user reads."""
        if error.kind == "auth":
            return "auth", self.env._(
                "Wrong user or password: the box refused the login of user %(user)s.",
                user=self.sudo().user or "-",
            )
        if error.kind == "paused":
            return "unreachable", self.env._(
                "Unreachable: %(reason)s. After %(failures)s failed connections in a row the "
                "box is left alone until %(time)s.",
                reason=self._connection_text(error.reason),
                failures=error.pause.failures,
                time=self._local_time(error.pause.until),
            )
        if error.kind == "unreachable":
            return "unreachable", self.env._(
                "Unreachable: %(reason)s.", reason=self._connection_text(error.reason)
            )
        return "error", self.env._(
            "Error: the box answered, but not as expected (%(detail)s). Is access for "
            "applications (TR-064) allowed and the user's right 'Telephony' set?",
            detail=error.detail or "-",
        )

    def _local_time(self, timestamp):
        """HH:MM in the user's time zone of a time.time() value."""
        moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).replace(tzinfo=None)
        return fields.Datetime.context_timestamp(self, moment).strftime("%H:%M")

    @state_guard.changes(*GUARDED)
    def _set_status(self, state, error=False, model_name=None):
        vals = {"state": state, "last_error": error or False, "last_check": fields.Datetime.now()}
        if model_name is not None:
            vals["model_name"] = model_name
        self.sudo().write(vals)

    def _user_error(self, text, state="error"):
        error = UserError(
            self.env._("Fritz!Box %(box)s: %(error)s", box=self.display_name, error=text)
        )
        error.crm_box_status = (state, text)  # survives a rolled-back savepoint
        return error

    def _call(self, method, *args, **kwargs):
        """Run one adapter method; on failure store the status and raise a UserError that names
        the box. Returns the method's result."""
        self.ensure_one()
        client = self._client()
        try:
            result = getattr(client, method)(*args, **kwargs)
        except FritzBoxError as error:
            state, text = self._error_text(error)
            self._set_status(state, text)
            raise self._user_error(text, state) from None
        if self.state != "ok":
            self._set_status("ok")
        return result

    @public()
    @one_record
    def action_test_connection(self):
        """Log in to the box and report the result (also stored on the record)."""
        self.ensure_one()
        self.check_access("write")
        client = self._client()
        client.breaker.reset()  # an explicit test always asks the box
        try:
            info = client.test()
        except FritzBoxError as error:
            state, text = self._error_text(error)
            self._set_status(state, text)
            return self._notify(
                self.env._("Connection to %(box)s failed", box=self.display_name), text, "danger"
            )
        self._set_status("ok", model_name=info["model"])
        return self._notify(
            self.env._("Connected to %(box)s", box=self.display_name),
            self.env._(
                "%(model)s, FRITZ!OS %(version)s", model=info["model"], version=info["version"]
            ),
            "success",
        )

    def _notify(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------------------------------
    # Click to dial
    # ------------------------------------------------------------------------------------------
    def _dial(self, dial_string, extension):
        self.ensure_one()
        client = self._client()
        try:
            if extension:
                client.set_dial_port(extension)
            client.dial(dial_string)
        except FritzBoxError as error:
            state, text = self._error_text(error)
            self._set_status(state, text)
            raise UserError(
                self.env._(
                    "Fritz!Box %(box)s could not dial %(number)s: %(error)s",
                    box=self.display_name,
                    number=dial_string,
                    error=text,
                )
            ) from None

    # ------------------------------------------------------------------------------------------
    # Call monitor (the listener process calls these, one transaction per event)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _monitor_targets(self):
        """(box id, host, port) of every active box whose call monitor is enabled."""
        boxes = self.sudo().search([("monitor_enabled", "=", True)])
        return [(box.id, box.host, box.monitor_port) for box in boxes]

    @state_guard.changes(*GUARDED)
    def _monitor_set_status(self, state, error=False):
        box = self.sudo().exists()
        if not box:
            return
        concurrency.lock(box)  # a synchronisation of the box on any server may hold it
        if state == "connected":
            box.write({"monitor_state": "connected", "monitor_error": False})
        else:
            box.write({"monitor_state": "retrying", "monitor_error": error or False})
            _logger.warning("Fritz!Box %s call monitor: %s", box.display_name, error)

    def _monitor_touch(self):
        """Note the time of the box's last call-monitor event - unless the box's row is busy
        (a synchronisation of the box holds it): the note is not worth making a caller's
        event wait, nor failing it."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """UPDATE crm_telephony_box SET monitor_last_event = %s
                            WHERE id IN (SELECT id FROM crm_telephony_box WHERE id = %s
                                         FOR NO KEY UPDATE SKIP LOCKED)""",
                        fields.Datetime.now(),
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.SerializationFailure:
            pass  # changed by a synchronisation after this event's snapshot: skip the note
        self.invalidate_recordset(["monitor_last_event"])

    def _monitor_process_line(self, line):
        """One raw call-monitor line: parsed and turned into a call record. A malformed line
        is recorded on the box (monitor_error) and skipped. Returns the call or False."""
        box = self.sudo().exists()
        if not box:
            return False
        try:
            event = parse_line(line)
        except CallMonitorLineError as error:
            concurrency.lock(box)
            box.monitor_error = self.env._("Ignored a line: %(error)s", error=str(error)[:200])
            _logger.info("Fritz!Box %s call monitor: %s", box.display_name, error)
            return False
        return self.env["crm.phone.call"]._handle_monitor_event(box, event)

    # ------------------------------------------------------------------------------------------
    # Call list and phonebook
    # ------------------------------------------------------------------------------------------
    @public()
    def action_sync_call_list(self):
        self.check_access("write")
        created = 0
        for box in self:
            created += self.env["crm.phone.call"]._sync_call_list(box)
        return self._notify(
            self.env._("Call list synchronised"),
            self.env._("%(count)s new calls", count=created),
            "success",
        )

    @public()
    def action_push_phonebook(self):
        self.check_access("write")
        pushed = 0
        for box in self:
            pushed += self.env["crm.telephony.phonebook.entry"]._push_box(box)
        return self._notify(
            self.env._("Phonebook pushed"),
            self.env._("%(count)s entries written", count=pushed),
            "success",
        )

    @api.model
    def _cron_sync(self):
        """Call list and phonebook of every box, committed box by box; a box that fails
        does not stop the others. A box that a user synchronised at the same time is done
        again on what that left (Odoo's retrying, see _sync_call_list)."""
        boxes = self.search([("state", "!=", "new")])
        self.env["ir.cron"]._commit_progress(remaining=len(boxes))
        for box in boxes:
            retrying(box._sync_box, self.env)
            self.env["ir.cron"]._commit_progress(1)

    def _sync_box(self):
        for method in (
            self.env["crm.phone.call"]._sync_call_list,
            self.env["crm.telephony.phonebook.entry"]._push_box,
        ):
            try:
                with self.env.cr.savepoint():
                    method(self)
            except UserError as error:
                _logger.info("Fritz!Box synchronisation: %s", error.args[0])
                status = getattr(error, "crm_box_status", None)
                if status:
                    self._set_status(*status)
