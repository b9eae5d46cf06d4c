import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, clean_context

from odoo.addons.crm_core.tools.boundary import (
    ArgumentError,
    Dict,
    Float,
    Record,
    Str,
    one_record,
    public,
)

from ..tools import ical
from ..tools.dates import bucket_bounds, next_occurrence
from .crm_chronicle_entry_log import BODY_MAX, SUBJECT_MAX

RECURRENCES = [
    ("none", "None"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
BUCKETS = [
    ("overdue", "Overdue"),
    ("today", "Today"),
    ("week", "This Week"),
    ("later", "Later"),
    ("done", "Done"),
]
# what only closing (action_done) writes
CLOSING_FIELDS = ("state", "done_date", "done_user_id", "followup_entry_id")
FOLLOWUP = Dict(
    {
        "name": Str(max_len=SUBJECT_MAX),
        "description": Str(max_len=BODY_MAX, multiline=True, required=False),
        "type_id": Record("crm.chronicle.type", required=False),
        "duration": Float(minimum=0, required=False),
    },
    required=False,
)


class CrmChronicleResubmission(models.Model):
    """ "Bring this entry back to me (or a colleague) on date X" (German: Wiedervorlage)."""

    _name = "crm.chronicle.resubmission"
    _description = "Resubmission"
    _order = "date, id"
    _rec_name = "entry_id"
    _check_company_auto = True

    entry_id = fields.Many2one(
        "crm.chronicle.entry", "Entry", required=True, ondelete="cascade", index=True
    )
    # stored: the list of "My resubmissions" shows them without reading the entries
    name = fields.Char(related="entry_id.name", string="Subject", store=True)
    type_id = fields.Many2one(related="entry_id.type_id", store=True)
    icon = fields.Char(related="entry_id.type_id.icon")
    partner_id = fields.Many2one(
        related="entry_id.partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="entry_id.company_id", store=True, index=True)
    # the partner's company and whether it is a customer, for the record rule "partners the
    # user sees" without a join to res_partner on every search (My Resubmissions, the feed)
    partner_company_id = fields.Many2one(
        related="partner_id.company_id", string="Customer's Company", store=True
    )
    partner_share = fields.Boolean(related="partner_id.partner_share", store=True)
    private = fields.Boolean(related="entry_id.private", store=True)
    entry_user_id = fields.Many2one(
        related="entry_id.user_id", string="Entry Responsible", store=True
    )
    date = fields.Datetime("Due", required=True)
    all_day = fields.Boolean(help="Due on the day, at no particular time.")
    user_id = fields.Many2one(
        "res.users",
        "Resubmit To",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    note = fields.Text()
    recurrence = fields.Selection(RECURRENCES, required=True, default="none")
    state = fields.Selection([("open", "Open"), ("done", "Done")], required=True, default="open")
    done_date = fields.Datetime("Done On", readonly=True)
    done_user_id = fields.Many2one("res.users", "Done By", readonly=True)
    followup_entry_id = fields.Many2one("crm.chronicle.entry", "Follow-up Entry", readonly=True)
    due_bucket = fields.Selection(
        BUCKETS,
        compute="_compute_due_bucket",
        search="_search_due_bucket",
        group_expand="_group_expand_due_bucket",
        string="Due Bucket",
    )
    color = fields.Integer(compute="_compute_due_bucket")

    # "My resubmissions" (overdue / today / this week): the user's open ones by date
    _user_open_date_idx = models.Index("(user_id, date) WHERE state = 'open'")
    # the team view and statistics: open ones by date
    _open_date_idx = models.Index("(date) WHERE state = 'open'")

    # ------------------------------------------------------------------------------------------
    # Create and write: closed only by action_done
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("state", "open") != "open" or any(
                    vals.get(name) for name in CLOSING_FIELDS[1:]
                ):
                    raise ArgumentError(
                        self.env._("A resubmission is created open; it is closed with Done.")
                    )
        resubmissions = super().create(vals_list)
        # an entry on resubmission is open
        reopened = resubmissions.filtered(lambda r: r.state == "open").entry_id.filtered(
            lambda entry: entry.state == "done"
        )
        reopened.sudo().write({"state": "open"})
        return resubmissions

    def write(self, vals):
        if not self.env.su and set(CLOSING_FIELDS).intersection(vals):
            changed = self.filtered(
                lambda r: any(
                    r._fields[name].convert_to_write(r[name], r) != vals[name]
                    for name in CLOSING_FIELDS
                    if name in vals
                )
            )
            if changed:
                # (a wrong value given to write: logged at INFO like any wrong argument)
                raise ArgumentError(
                    self.env._(
                        "The resubmission of %(entry)s is closed only with Done, which also "
                        "schedules its next occurrence and closes its entry.",
                        entry=changed[0].entry_id.display_name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Due buckets, seen from the current user's day and time zone
    # ------------------------------------------------------------------------------------------
    def _bucket_bounds(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return bucket_bounds(fields.Date.context_today(self), tz)

    @api.depends("date", "state")
    @api.depends_context("tz", "uid")
    def _compute_due_bucket(self):
        today, tomorrow, next_week = self._bucket_bounds()
        colors = {"overdue": 1, "today": 3, "week": 4, "later": 0, "done": 10}
        for resubmission in self:
            date = resubmission.date
            if resubmission.state == "done":
                bucket = "done"
            elif not date or date < today:
                bucket = "overdue"
            elif date < tomorrow:
                bucket = "today"
            elif date < next_week:
                bucket = "week"
            else:
                bucket = "later"
            resubmission.due_bucket = bucket
            resubmission.color = colors[bucket]

    def _bucket_domain(self, bucket):
        today, tomorrow, next_week = self._bucket_bounds()
        is_open = Domain("state", "=", "open")
        return {
            "overdue": is_open & Domain("date", "<", today),
            "today": is_open & Domain("date", ">=", today) & Domain("date", "<", tomorrow),
            "week": is_open & Domain("date", ">=", tomorrow) & Domain("date", "<", next_week),
            "later": is_open & Domain("date", ">=", next_week),
            "done": Domain("state", "=", "done"),
        }[bucket]

    def _search_due_bucket(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain.OR(self._bucket_domain(bucket) for bucket in value if bucket)
        return domain if operator == "in" else ~domain

    def _group_expand_due_bucket(self, values, domain):
        """Today's column always (also empty: "nothing today"), the others only when
        something is in them: a phone shows one column at a time and opens on the first,
        which must be what is due, not an empty "Overdue (0)"."""
        return [key for key, _label in BUCKETS if key == "today" or key in values]

    def _field_to_sql(self, alias, field_expr, query=None):
        if field_expr != "due_bucket":
            return super()._field_to_sql(alias, field_expr, query)
        today, tomorrow, next_week = self._bucket_bounds()
        date = super()._field_to_sql(alias, "date", query)
        state = super()._field_to_sql(alias, "state", query)
        return SQL(
            "CASE WHEN %(state)s = 'done' THEN 'done' WHEN %(date)s < %(today)s THEN 'overdue'"
            " WHEN %(date)s < %(tomorrow)s THEN 'today'"
            " WHEN %(date)s < %(next_week)s THEN 'week' ELSE 'later' END",
            state=state,
            date=date,
            today=today,
            tomorrow=tomorrow,
            next_week=next_week,
        )

    def _bucket_rank_sql(self, bucket_sql):
        return SQL("array_position(%s, %s)", [key for key, _label in BUCKETS], bucket_sql)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # buckets sort by urgency (overdue, today, this week, later), not alphabetically
        if field_name != "due_bucket":
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        bucket = self._field_to_sql(alias, "due_bucket", query)
        return SQL("%s %s", self._bucket_rank_sql(bucket), direction)

    def _read_group_orderby(self, order, groupby_terms, query):
        if "due_bucket" not in groupby_terms or (order and "due_bucket" not in order):
            return super()._read_group_orderby(order, groupby_terms, query)
        terms = dict(groupby_terms)
        terms["due_bucket"] = self._bucket_rank_sql(groupby_terms["due_bucket"])
        return super()._read_group_orderby(order or ",".join(groupby_terms), terms, query)

    # ------------------------------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------------------------------
    def _next_date(self):
        """The next occurrence of a recurring resubmission, computed in the user's local
        time so that 09:00 stays 09:00 across daylight saving time."""
        self.ensure_one()
        tz = pytz.timezone(self.user_id.tz or self.env.user.tz or "UTC")
        local = pytz.utc.localize(self.date).astimezone(tz).replace(tzinfo=None)
        following = next_occurrence(local, self.recurrence)
        if following is None:
            return None
        return tz.localize(following).astimezone(pytz.utc).replace(tzinfo=None)

    @public(followup=FOLLOWUP)
    def action_done(self, followup=None):
        """Close these resubmissions; create the next occurrence of recurring ones and,
        when `followup` is given, the follow-up entry of each: a dictionary with the keys
        name (subject), description (HTML), type_id (a crm.chronicle.type id) and duration
        (hours), each optional. Returns the follow-up entries. The only way a resubmission
        is closed: written as superuser once the user's right to write them is checked."""
        if not self:
            return self.env["crm.chronicle.entry"]
        self.check_access("write")
        already = self.filtered(lambda r: r.state == "done")
        if already:
            raise UserError(
                self.env._(
                    "The resubmission of %(entry)s was already closed by %(user)s.",
                    entry=already[0].entry_id.display_name,
                    user=already[0].done_user_id.name or "?",
                )
            )
        # Lock the rows: two users closing the same resubmission cannot both succeed. If
        # another transaction closed it since ours began, PostgreSQL raises a serialization
        # failure: Odoo retries the whole request, which then reports "already closed".
        # That failure is expected, so it is not logged as a bad query.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_chronicle_resubmission WHERE id IN %s AND state = 'open'"
                " FOR NO KEY UPDATE",
                tuple(self.ids),
            ),
            log_exceptions=False,
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        if locked != set(self.ids):
            raise UserError(self.env._("Another user just closed one of these resubmissions."))
        # no default_* of the caller's context (e.g. default_resubmission_ids of the wizard)
        # may leak into the entries and resubmissions created here
        self = self.with_context(clean_context(self.env.context))
        Entry = self.env["crm.chronicle.entry"]
        if followup and followup.get("type_id") is not None:
            followup = {**followup, "type_id": followup["type_id"].id}
        followups = Entry
        next_vals = []
        for resubmission in self:
            entry = resubmission.entry_id
            following = resubmission._next_date()
            if following:
                next_vals.append(
                    {
                        "entry_id": entry.id,
                        "date": following,
                        "all_day": resubmission.all_day,
                        "user_id": resubmission.user_id.id,
                        "note": resubmission.note,
                        "recurrence": resubmission.recurrence,
                    }
                )
            vals = {
                "state": "done",
                "done_date": fields.Datetime.now(),
                "done_user_id": self.env.uid,
            }
            if followup is not None:
                followup_entry = Entry.create(resubmission._followup_vals(followup))
                followups |= followup_entry
                vals["followup_entry_id"] = followup_entry.id
            resubmission.sudo().write(vals)
            if not following and entry.sudo().state == "open":
                if not entry.sudo().resubmission_ids.filtered(lambda r: r.state == "open"):
                    # its last resubmission closed: the entry is done
                    entry.sudo().write({"state": "done"})
        self.create(next_vals)
        return followups

    def _followup_vals(self, values):
        self.ensure_one()
        # the resubmission user of another's private entry may not read the entry itself:
        # the follow-up takes its customer and subject (which the resubmission shows) but
        # links to it only when readable
        entry = self.entry_id.sudo()
        vals = {
            "partner_id": entry.partner_id.id,
            "type_id": entry.type_id.id,
            "name": self.env._("Follow-up: %(subject)s", subject=entry.name),
            "project_id": entry.project_id.id,
            "contact_ids": [(6, 0, entry.contact_ids.ids)],
            "company_id": entry.company_id.id,
            "user_id": self.env.uid,
            "date": fields.Datetime.now(),
            "state": "done",
        }
        if self.entry_id._filtered_access("read"):
            vals.update(source_model=entry._name, source_id=entry.id)
        vals.update({k: v for k, v in values.items() if v is not None})
        return vals

    def action_open_done_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Done"),
            "res_model": "crm.chronicle.resubmission.done",
            "view_mode": "form",
            "target": "new",
            "context": {"default_resubmission_ids": self.ids},
        }

    def action_export_ics(self):
        """Download these records as an iCalendar (.ics) file."""
        return ical.download_action(self)

    @one_record
    def action_open_entry(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.chronicle.entry",
            "res_id": self.entry_id.id,
            "views": [(False, "form")],
        }

    @api.model
    def _systray_counts(self):
        """(overdue, today, planned) counts of the current user's open resubmissions, in
        one indexed query."""
        today, tomorrow, _next_week = self._bucket_bounds()
        query = self._search([("user_id", "=", self.env.uid), ("state", "=", "open")])
        row = self.env.execute_query(
            SQL(
                "SELECT count(*) FILTER (WHERE %(date)s < %(today)s),"
                " count(*) FILTER (WHERE %(date)s >= %(today)s AND %(date)s < %(tomorrow)s),"
                " count(*) FILTER (WHERE %(date)s >= %(tomorrow)s) FROM %(from)s WHERE %(where)s",
                date=SQL.identifier("crm_chronicle_resubmission", "date"),
                today=today,
                tomorrow=tomorrow,
                **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
            )
        )
        return row[0]

    @api.constrains("date", "user_id")
    def _check_user(self):
        for resubmission in self:
            if resubmission.user_id.share:
                raise ValidationError(
                    self.env._(
                        "The resubmission of %(entry)s cannot go to %(user)s: not an "
                        "internal user.",
                        entry=resubmission.entry_id.display_name,
                        user=resubmission.user_id.name,
                    )
                )
