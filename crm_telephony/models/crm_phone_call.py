import datetime
import logging

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import ArgumentError, Int, Str, public

from ..tools import phone as phone_tools

_logger = logging.getLogger(__name__)

# How far apart (seconds) a call list entry (minute precision) and a monitor record of the same
# call may start.
CALL_LIST_TOLERANCE = 120
# What the box reported about a call: set by the call monitor, the call list and
# click-to-dial only, never by a write (the partner, user and note are for people)
GUARDED = (
    "state",
    "call_type",
    "source",
    "start",
    "connect_date",
    "end_date",
    "duration",
    "number",
    "number_e164",
    "own_number",
    "extension",
    "box_id",
    "line_id",
    "monitor_key",
    "box_call_id",
    "chronicle_entry_id",
)


class CrmPhoneCall(models.Model):
    """One telephone call: from the call monitor, the box's call list or click-to-dial."""

    _name = "crm.phone.call"
    _description = "Phone Call"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.state.mixin"]
    _order = "start desc, id desc"
    _check_company_auto = True
    # what the box reported: written by the monitor, the call list and click to dial only
    # (crm.state.mixin)
    _action_fields = GUARDED

    name = fields.Char(compute="_compute_name", store=True)
    call_type = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing"), ("missed", "Missed")],
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    state = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("dialing", "Dialling"),
            ("connected", "Connected"),
            ("done", "Finished"),
        ],
        required=True,
        readonly=True,
        default="done",
    )
    source = fields.Selection(
        [("monitor", "Call Monitor"), ("call_list", "Call List"), ("dial", "Click to Dial")],
        required=True,
        readonly=True,
        default="monitor",
    )
    start = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    connect_date = fields.Datetime("Answered", readonly=True)
    end_date = fields.Datetime("Ended", readonly=True)
    duration = fields.Integer("Duration (s)", readonly=True, aggregator="sum")
    duration_display = fields.Char("Duration", compute="_compute_duration_display")
    number = fields.Char(
        "Number", readonly=True, help="The other party's number as the box reported it."
    )
    number_e164 = fields.Char("Number (E.164)", readonly=True, index="btree_not_null")
    own_number = fields.Char("Own Number", readonly=True)
    extension = fields.Char("Device", readonly=True)
    partner_id = fields.Many2one("res.partner", index=True, tracking=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    box_id = fields.Many2one(
        "crm.telephony.box", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="box_id.company_id", store=True, index=True)
    line_id = fields.Many2one("crm.telephony.line", readonly=True, index=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="User", index=True, tracking=True)
    monitor_key = fields.Char(
        readonly=True, copy=False, help="Connection id and start as the monitor saw it."
    )
    box_call_id = fields.Char("Call List Id", readonly=True, copy=False)
    note = fields.Text()
    chronicle_entry_id = fields.Many2one(
        "crm.chronicle.entry",
        string="Chronicle Entry",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )

    _unique_monitor_key = models.UniqueIndex("(box_id, monitor_key) WHERE monitor_key IS NOT NULL")
    _unique_box_call = models.UniqueIndex("(box_id, box_call_id) WHERE box_call_id IS NOT NULL")

    @api.depends("call_type", "partner_id", "number")
    def _compute_name(self):
        labels = dict(self._fields["call_type"]._description_selection(self.env))
        for call in self:
            who = call.partner_id.display_name or call.number or self.env._("unknown number")
            call.name = self.env._(
                "%(type)s call: %(who)s", type=labels.get(call.call_type, ""), who=who
            )

    @api.depends("duration")
    def _compute_duration_display(self):
        for call in self:
            minutes, seconds = divmod(call.duration or 0, 60)
            call.duration_display = f"{minutes}:{seconds:02d}"

    # ------------------------------------------------------------------------------------------
    # What the box reported: written by the monitor, the call list and click to dial only
    # ------------------------------------------------------------------------------------------
    def write(self, vals):
        result = super().write(vals)
        if "note" in vals:
            for call in self.filtered("chronicle_entry_id"):
                call.chronicle_entry_id.sudo().description = (
                    Markup("<p>%s</p>") % call.note if call.note else False
                )
        return result

    def _state_actions(self):
        return self.env._("the Fritz!Box's call monitor, call list and click to dial")

    # ------------------------------------------------------------------------------------------
    # Box time and caller identification
    # ------------------------------------------------------------------------------------------
    @api.model
    def _box_time_to_utc(self, box, local):
        """Naive local time of the box -> naive UTC datetime."""
        tz = pytz.timezone(box.tz or "Europe/Berlin")
        return tz.localize(local, is_dst=False).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _identify(self, box, number):
        if not number:
            return self.env["res.partner"]
        ids = self.env["crm.partner.identifier"].sudo()._lookup_phone(number, box._region())
        partners = self.env["res.partner"].sudo().browse(ids)
        return partners.sorted(lambda p: (p.is_company, ids.index(p.id)))[:1]

    # ------------------------------------------------------------------------------------------
    # Call monitor events
    # ------------------------------------------------------------------------------------------
    @api.model
    @state_guard.changes(*GUARDED)
    def _handle_monitor_event(self, box, event):
        """Turn one parsed call-monitor event (tools.callmonitor.CallEvent) into call records.
        Safe to call twice with the same event: nothing is written twice. Returns the call."""
        box.sudo()._monitor_touch()
        when = self._box_time_to_utc(box, event.when)
        Call = self.sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        if event.event in ("RING", "CALL"):
            key = f"{event.connection_id}@{event.when.isoformat()}"
            existing = Call.search([("box_id", "=", box.id), ("monitor_key", "=", key)], limit=1)
            if existing:
                return existing
            lines = box.line_ids
            line = lines._match(event.own_number)
            incoming = event.event == "RING"
            e164 = phone_tools.to_e164(event.external_number, box._region())
            vals = {
                "box_id": box.id,
                "monitor_key": key,
                "call_type": "incoming" if incoming else "outgoing",
                "state": "ringing" if incoming else "dialing",
                "source": "monitor",
                "start": when,
                "number": event.external_number,
                "number_e164": e164,
                "own_number": event.own_number,
                "extension": event.extension,
                "line_id": line.id,
                "user_id": line.user_ids[:1].id,
                "partner_id": self._identify(box, event.external_number).id,
            }
            if not incoming:
                dialled = self._match_click_to_dial(box, e164, when)
                if dialled:
                    dialled.write(
                        {k: v for k, v in vals.items() if k not in ("user_id",)}
                        | {
                            "user_id": dialled.user_id.id or vals["user_id"],
                            "partner_id": dialled.partner_id.id or vals["partner_id"],
                        }
                    )
                    return dialled
            call = Call.create(vals)
            if incoming:
                call._notify_incoming()
            return call
        call = Call.search(
            [
                ("box_id", "=", box.id),
                ("monitor_key", "=like", f"{event.connection_id}@%"),
                ("start", "<=", when + datetime.timedelta(seconds=5)),
            ],
            order="start desc, id desc",
            limit=1,
        )
        if not call:
            _logger.info(
                "Fritz!Box %s: %s for unknown connection %s ignored",
                box.display_name,
                event.event,
                event.connection_id,
            )
            return call
        if event.event == "CONNECT":
            if call.state in ("ringing", "dialing"):
                call.write(
                    {
                        "state": "connected",
                        "connect_date": when,
                        "extension": event.extension or call.extension,
                    }
                )
            return call
        # DISCONNECT
        if call.state == "done":
            return call
        vals = {"state": "done", "end_date": when, "duration": event.duration}
        missed = call.call_type == "incoming" and call.state == "ringing"
        if missed:
            vals["call_type"] = "missed"
        call.write(vals)
        if missed:
            call._on_missed()
        call._log_to_chronicle()
        return call

    def _match_click_to_dial(self, box, e164, when):
        if not e164:
            return self.browse()
        return self.sudo().search(
            [
                ("box_id", "=", box.id),
                ("source", "=", "dial"),
                ("monitor_key", "=", False),
                ("number_e164", "=", e164),
                ("start", ">=", when - datetime.timedelta(minutes=2)),
            ],
            order="start desc",
            limit=1,
        )

    # ------------------------------------------------------------------------------------------
    # Live notification, call-back activity and chronicle entry of a call
    # ------------------------------------------------------------------------------------------
    def _notify_users(self):
        users = self.line_id.user_ids or self.user_id
        if not users:
            users = (
                self.env["res.users"].sudo().search([("crm_telephony_box_id", "=", self.box_id.id)])
            )
        return users

    def _notify_incoming(self):
        """Live notification (bus) to the users of the call's line."""
        self.ensure_one()
        for user in self._notify_users():
            partner = self.partner_id.with_user(user).with_company(self.company_id)
            caller = False
            if partner and partner.has_access("read"):
                caller = partner._crm_caller_display_data()
            user._bus_send(
                "crm_telephony/incoming_call",
                {
                    "call_id": self.id,
                    "number": self.number or "",
                    "line": self.line_id.name or "",
                    "caller": caller,
                },
            )

    def _on_missed(self):
        """A missed call without a known caller: a "call back" activity on the call for the
        line's user. (Known callers get a resubmission in their chronicle instead, see
        _log_to_chronicle.)"""
        self.ensure_one()
        user = self.line_id.user_ids[:1] or self.user_id
        if not user or self.partner_id:
            return
        self.activity_schedule(
            "mail.mail_activity_data_call",
            summary=self.env._("Call back %(who)s", who=self.number or "?"),
            user_id=user.id,
            date_deadline=fields.Date.context_today(self),
        )

    def _log_to_chronicle(self):
        """Write finished calls with a known partner into the customer's chronicle (once);
        a missed call goes on resubmission for the line's user."""
        Entry = self.env["crm.chronicle.entry"].sudo()
        for call in self.filtered(lambda c: c.partner_id and not c.chronicle_entry_id):
            user = call.user_id or call.line_id.user_ids[:1]
            missed = call.call_type == "missed"
            body = Markup("<p>%s</p>") % call.note if call.note else False
            call.chronicle_entry_id = Entry.crm_log(
                call.partner_id,
                "call",
                call.name,
                body=body,
                source=call,
                date=call.start,
                user=user or False,
                duration=(call.duration or 0) / 3600.0,
                resubmission_date=fields.Date.context_today(call) if missed else False,
                resubmission_user=(call.line_id.user_ids[:1] or user or False) if missed else False,
            )

    # ------------------------------------------------------------------------------------------
    # Call list (TR-064 GetCallList): catch calls the listener missed, never twice
    # ------------------------------------------------------------------------------------------
    @api.model
    @state_guard.changes(*GUARDED)
    def _sync_call_list(self, box):
        """New calls of the box's call list; each once, also when the cron and users of
        several servers synchronise the box at the same time: they take turns, and one that
        had to wait runs again and finds the calls known (crm_core/tools/concurrency.py)."""
        concurrency.exclusive(self.env, "crm_telephony.box_sync", box.id)
        concurrency.lock(box)  # its status and sync time are written below
        entries = box._call("call_list")
        Call = self.sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        known = set(
            Call.search([("box_id", "=", box.id), ("box_call_id", "!=", False)]).mapped(
                "box_call_id"
            )
        )
        entries = [e for e in entries if e["box_call_id"] not in known and e["start"]]
        if not entries:
            box.sudo().call_list_synced = fields.Datetime.now()
            return 0
        for entry in entries:
            entry["start_utc"] = self._box_time_to_utc(box, entry["start"])
            entry["e164"] = phone_tools.to_e164(entry["external_number"], box._region())
        first = min(e["start_utc"] for e in entries)
        last = max(e["start_utc"] for e in entries)
        tolerance = datetime.timedelta(seconds=CALL_LIST_TOLERANCE)
        candidates = Call.search(
            [
                ("box_id", "=", box.id),
                ("box_call_id", "=", False),
                ("start", ">=", first - tolerance),
                ("start", "<=", last + tolerance),
            ]
        )
        created_vals = []
        for entry in entries:
            match = candidates.filtered(
                lambda c, e=entry: not c.box_call_id
                and abs(c.start - e["start_utc"]) <= tolerance
                and (c.number_e164 == e["e164"] if e["e164"] else c.number == e["external_number"])
                and (c.call_type == "outgoing") == (e["direction"] == "outgoing")
            )[:1]
            if match:
                match.box_call_id = entry["box_call_id"]
                continue
            line = box.line_ids._match(entry["own_number"])
            created_vals.append(
                {
                    "box_id": box.id,
                    "box_call_id": entry["box_call_id"],
                    "call_type": entry["direction"],
                    "state": "done",
                    "source": "call_list",
                    "start": entry["start_utc"],
                    "end_date": entry["start_utc"] + datetime.timedelta(seconds=entry["duration"]),
                    "duration": entry["duration"],
                    "number": entry["external_number"],
                    "number_e164": entry["e164"],
                    "own_number": entry["own_number"],
                    "extension": entry["device"],
                    "line_id": line.id,
                    "user_id": line.user_ids[:1].id,
                    "partner_id": self._identify(box, entry["external_number"]).id,
                }
            )
        calls = Call.create(created_vals)
        for call in calls.filtered(lambda c: c.call_type == "missed"):
            call._on_missed()
        calls._log_to_chronicle()
        box.sudo().call_list_synced = fields.Datetime.now()
        return len(calls)

    # ------------------------------------------------------------------------------------------
    # Click to dial
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        number=Str(max_len=64),
        res_model=Str(max_len=128, required=False),
        res_id=Int(minimum=1, maximum=2**31 - 1, required=False),
    )
    def action_dial(self, number, res_model=False, res_id=False):
        """Let the current user's Fritz!Box ring their phone, then dial `number`. The
        record dialled from (`res_model`, `res_id`: a partner, or a record with a partner)
        becomes the call's partner. Returns {'call_id', 'dialled', 'extension'}."""
        partner = self._dialled_from(res_model, res_id)
        user = self.env.user
        box = user.crm_telephony_box_id
        if not box:
            raise UserError(
                self.env._(
                    "No Fritz!Box is set for user %(user)s: set one in the user's preferences "
                    "(Telephony) to dial %(number)s.",
                    user=user.name,
                    number=number,
                )
            )
        box.check_access("read")
        try:
            dial = phone_tools.dial_string(number, box._region(), box.outside_line_prefix)
        except ValueError:
            raise UserError(
                self.env._("%(number)s is not a phone number that can be dialled.", number=number)
            ) from None
        box._dial(dial, user.crm_telephony_extension)
        with state_guard.changing(self, *GUARDED):
            call = (
                self.sudo()
                .with_context(mail_create_nolog=True)
                .create(
                    {
                        "box_id": box.id,
                        "call_type": "outgoing",
                        "state": "dialing",
                        "source": "dial",
                        "number": number,
                        "number_e164": phone_tools.to_e164(number, box._region()),
                        "user_id": user.id,
                        "partner_id": partner.id or self._identify(box, number).id,
                    }
                )
            )
        return {"call_id": call.id, "dialled": dial, "extension": user.crm_telephony_extension}

    @api.model
    def _dialled_from(self, res_model, res_id):
        """The partner of the record a number was dialled from (none without a record)."""
        where = "crm.phone.call.action_dial"
        if not (res_model and res_id):
            return self.env["res.partner"]
        if res_model not in self.env:
            raise ArgumentError(
                self.env._(
                    "%(where)s: the argument res_model names no model: %(model)s.",
                    where=where,
                    model=res_model,
                )
            )
        record = self.env[res_model].browse(res_id)
        if not record.sudo().exists():
            raise ArgumentError(
                self.env._(
                    "%(where)s: the argument res_id names a %(model)s record that does not "
                    "exist: %(id)s.",
                    where=where,
                    model=res_model,
                    id=res_id,
                )
            )
        record.check_access("read")
        if res_model == "res.partner":
            return record
        partner_field = record._fields.get("partner_id")
        if partner_field and partner_field.comodel_name == "res.partner":
            return record.partner_id
        return self.env["res.partner"]
