import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from ..tools.dates import local_midnight_utc

STATES = [("open", "Open"), ("done", "Done")]
CRM_LOG_ARGUMENTS = {
    "partner",
    "type_code",
    "subject",
    "body",
    "source",
    "date",
    "user",
    "duration",
    "resubmission_date",
    "resubmission_user",
    "attachment_ids",
}
# From this many class changes on (a first ABC analysis: every customer), the "Class Change"
# entries are written by one INSERT ... SELECT instead of the ORM (crm_log_batch).
CLASS_CHANGE_SQL_MIN = 1000
# the columns of an entry that this INSERT fills itself (the other ones take their default)
CLASS_CHANGE_COLUMNS = {
    "partner_id",
    "commercial_partner_id",
    "type_id",
    "name",
    "date",
    "user_id",
    "duration",
    "description",
    "company_id",
    "source_model",
    "source_id",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
}
CALENDAR_FIELDS = {
    "type_id",
    "name",
    "date",
    "duration",
    "user_id",
    "partner_id",
    "contact_ids",
    "description",
    "private",
}


def _int_array(values):
    """PostgreSQL array literal of integers (None and 0 become NULL)."""
    return "{" + ",".join(str(int(value)) if value else "NULL" for value in values) + "}"


class CrmChronicleEntry(models.Model):
    """One contact with a customer (call, visit, letter, e-mail, ...) in its chronicle."""

    _name = "crm.chronicle.entry"
    _description = "Chronicle Entry"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Subject", required=True, tracking=True)
    type_id = fields.Many2one(
        "crm.chronicle.type",
        "Type",
        required=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self.env["crm.chronicle.type"].search([], limit=1),
    )
    type_code = fields.Char(related="type_id.code", string="Type Code")
    icon = fields.Char(related="type_id.icon")
    color = fields.Integer(related="type_id.color")
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Float(help="Duration in hours.")
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        help="The customer, or one of its contact persons, this entry is about.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity",
        store=True,
        precompute=True,  # in the INSERT of a create, not in an UPDATE after it
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "crm_chronicle_entry_contact_rel",
        "entry_id",
        "partner_id",
        string="Contact Persons",
        help="The customer's contact persons involved (attendees of an appointment).",
    )
    project_id = fields.Many2one(
        "project.project", "Project", index="btree_not_null", check_company=True
    )
    description = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_chronicle_entry_attachment_rel",
        "entry_id",
        "attachment_id",
        string="Attachments",
    )
    state = fields.Selection(STATES, required=True, default="done", tracking=True)
    tag_ids = fields.Many2many("crm.chronicle.tag", string="Tags")
    private = fields.Boolean(
        help="Only the author, the responsible user and CRM managers see a private entry."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    is_appointment = fields.Boolean(related="type_id.is_appointment")
    calendar_event_id = fields.Many2one(
        "calendar.event",
        "Calendar Event",
        ondelete="set null",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Appointments (meetings, visits) keep a calendar event in sync, with the contact "
        "persons as attendees.",
    )
    source_model = fields.Char("Source Model", index=True, readonly=True)
    source_id = fields.Many2oneReference("Source Record", model_field="source_model", readonly=True)
    source_name = fields.Char("Source Document", compute="_compute_source_name")
    resubmission_ids = fields.One2many(
        "crm.chronicle.resubmission", "entry_id", string="Resubmissions"
    )
    resubmission_date = fields.Datetime(
        "Resubmit On",
        compute="_compute_resubmission",
        inverse="_inverse_resubmission",
        help="When this entry comes back to the resubmission user (the next open resubmission).",
    )
    resubmission_user_id = fields.Many2one(
        "res.users",
        "Resubmit To",
        compute="_compute_resubmission",
        inverse="_inverse_resubmission",
        domain=[("share", "=", False)],
    )
    resubmission_note = fields.Text(
        "Resubmission Note", compute="_compute_resubmission", inverse="_inverse_resubmission"
    )

    # the partner's chronicle (newest first) and an integration's "did I log this already"
    _partner_date_idx = models.Index("(commercial_partner_id, date DESC, id DESC)")
    # a user's appointments (calendar feed, "my entries")
    _user_date_idx = models.Index("(user_id, date)")
    _source_idx = models.Index("(source_id, source_model) WHERE source_id IS NOT NULL")

    @api.constrains("duration")
    def _check_duration(self):
        for entry in self:
            if entry.duration < 0:
                raise ValidationError(
                    self.env._(
                        "Chronicle entry %(entry)s: the duration cannot be negative.",
                        entry=entry.display_name,
                    )
                )

    @api.depends("source_model", "source_id")
    def _compute_source_name(self):
        for entry in self:
            source = entry._get_source()
            entry.source_name = source.sudo().display_name if source else False

    @api.depends("resubmission_ids.date", "resubmission_ids.state", "resubmission_ids.user_id")
    def _compute_resubmission(self):
        for entry in self:
            first = entry.resubmission_ids.filtered(lambda r: r.state == "open").sorted("date")[:1]
            entry.resubmission_date = first.date
            entry.resubmission_user_id = first.user_id
            entry.resubmission_note = first.note

    def _inverse_resubmission(self):
        Resubmission = self.env["crm.chronicle.resubmission"]
        vals_list = []
        for entry in self:
            first = entry.resubmission_ids.filtered(lambda r: r.state == "open").sorted("date")[:1]
            if not entry.resubmission_date:
                first.unlink()
                continue
            vals = {
                "date": entry.resubmission_date,
                "user_id": (entry.resubmission_user_id or entry.user_id or self.env.user).id,
                "note": entry.resubmission_note,
            }
            if first:
                first.write(vals)
            else:
                vals_list.append({**vals, "entry_id": entry.id})
        Resubmission.create(vals_list)

    @api.onchange("type_id", "date")
    def _onchange_type_resubmission_delay(self):
        delay = self.type_id.resubmission_delay
        if delay and not self.resubmission_date and self.date and not self.id:
            self.resubmission_date = self.date + datetime.timedelta(days=delay)

    @api.model_create_multi
    def create(self, vals_list):
        # the chatter shows changes; "entry created" notes would only repeat the entry itself
        entries = super(CrmChronicleEntry, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )
        entries.filtered("type_id.is_appointment")._sync_calendar_event()
        return entries

    def write(self, vals):
        result = super().write(vals)
        if CALENDAR_FIELDS.intersection(vals) and not self.env.context.get(
            "crm_chronicle_from_event"
        ):
            self._sync_calendar_event()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_calendar_event(self):
        self.calendar_event_id.with_context(no_mail_to_attendees=True).unlink()

    # ------------------------------------------------------------------------------------------
    # Appointments: a calendar event in sync
    # ------------------------------------------------------------------------------------------
    def _calendar_event_vals(self):
        self.ensure_one()
        attendees = self.contact_ids or self.partner_id
        return {
            "name": f"{self.name} – {self.commercial_partner_id.display_name}",
            "start": self.date,
            "stop": self.date + datetime.timedelta(hours=max(self.duration or 0.0, 0.5)),
            "user_id": self.user_id.id,
            "partner_ids": [Command.set((attendees | self.user_id.partner_id).ids)],
            "description": self.description,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "privacy": "private" if self.private else False,
        }

    def _sync_calendar_event(self):
        context = {"no_mail_to_attendees": True, "crm_chronicle_from_entry": True}
        Event = self.env["calendar.event"].with_context(**context)
        for entry in self:
            event = entry.calendar_event_id.with_context(**context)
            if not entry.type_id.is_appointment:
                if event:
                    super(CrmChronicleEntry, entry).write({"calendar_event_id": False})
                    event.unlink()
                continue
            vals = entry._calendar_event_vals()
            if event:
                event.write(vals)
            else:
                event = Event.create(vals)
                super(CrmChronicleEntry, entry).write({"calendar_event_id": event.id})

    # ------------------------------------------------------------------------------------------
    # Source document
    # ------------------------------------------------------------------------------------------
    def _get_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id or self.source_model not in self.env:
            return None
        return self.env[self.source_model].browse(self.source_id).exists() or None

    def action_open_source(self):
        self.ensure_one()
        source = self._get_source()
        if not source:
            raise ValidationError(
                self.env._(
                    "Chronicle entry %(entry)s has no source document (any more).",
                    entry=self.display_name,
                )
            )
        if source._name == "mail.message" and source.model and source.res_id:
            # an e-mail opens on the document it belongs to
            source = self.env[source.model].browse(source.res_id).exists() or source
        source.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": source._name,
            "res_id": source.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_export_ics(self):
        """Download these records as an iCalendar (.ics) file."""
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_chronicle/export.ics?model={self._name}&ids="
            + ",".join(str(i) for i in self.ids),
            "target": "download",
        }

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    # ------------------------------------------------------------------------------------------
    # The public logging API
    # ------------------------------------------------------------------------------------------
    @api.model
    def crm_log(
        self,
        partner,
        type_code,
        subject,
        body=False,
        source=False,
        date=False,
        user=False,
        duration=False,
        resubmission_date=False,
        resubmission_user=False,
        attachment_ids=False,
    ):
        """Log an entry into a customer's chronicle and return it.

        :param partner: res.partner record or id (person or company)
        :param type_code: code of a crm.chronicle.type ("call", "visit", "letter", ...)
        :param subject: subject line
        :param body: HTML description
        :param source: any record (or "model,id") the entry links to
        :param date: datetime of the contact (default: now)
        :param user: responsible res.users record or id (default: the current user)
        :param duration: hours
        :param resubmission_date: date or datetime: puts the entry on resubmission
        :param resubmission_user: res.users record or id the resubmission goes to
            (default: the responsible user)
        :param attachment_ids: ir.attachment records or ids linked to the entry
        :return: the new crm.chronicle.entry

        Runs with the caller's access rights; it never writes on the partner, so logging
        does not need write access to it. To log many entries at once, use crm_log_batch."""
        return self.crm_log_batch(
            [
                {
                    "partner": partner,
                    "type_code": type_code,
                    "subject": subject,
                    "body": body,
                    "source": source,
                    "date": date,
                    "user": user,
                    "duration": duration,
                    "resubmission_date": resubmission_date,
                    "resubmission_user": resubmission_user,
                    "attachment_ids": attachment_ids,
                }
            ]
        )

    @api.model
    def crm_log_batch(self, entries):
        """Log many entries (for as many partners) at once and return them, in the order
        given: one dictionary per entry with the arguments of crm_log as keys (``partner``,
        ``type_code`` and ``subject`` required). The arguments are checked together and the
        entries created by one ``create``, so the number of queries does not grow with the
        number of entries. Bad input raises a ValidationError naming the entry and nothing
        is written."""
        if not isinstance(entries, list | tuple) or not all(isinstance(e, dict) for e in entries):
            raise ValidationError(
                self.env._("crm_log_batch: give a list of dictionaries, one per entry.")
            )
        for index, entry in enumerate(entries, start=1):
            unknown = set(entry) - CRM_LOG_ARGUMENTS
            missing = {"partner", "type_code", "subject"} - set(entry)
            if unknown or missing:
                raise ValidationError(
                    self.env._(
                        "crm_log_batch: entry %(index)s has unknown arguments %(unknown)s or "
                        "lacks %(missing)s.",
                        index=index,
                        unknown=sorted(unknown) or "-",
                        missing=sorted(missing) or "-",
                    )
                )
        if not entries:
            return self.browse()
        partners = self._crm_log_records(
            "res.partner", [e["partner"] for e in entries], "partner", required=True
        )
        users = self._crm_log_records("res.users", [e.get("user") for e in entries], "user")
        resubmission_users = self._crm_log_records(
            "res.users",
            [e.get("resubmission_user") for e in entries],
            "resubmission_user",
        )
        attachments = self._crm_log_records(
            "ir.attachment",
            [e.get("attachment_ids") for e in entries],
            "attachment_ids",
            many=True,
        )
        types = self._crm_log_types({e["type_code"] for e in entries})
        user_companies = self.env.user.company_ids
        now = fields.Datetime.now()
        vals_list = []
        for entry, partner, user, resubmission_user, attachment in zip(
            entries, partners, users, resubmission_users, attachments, strict=True
        ):
            user = user or self.env.user
            subject = entry["subject"]
            if not subject or not str(subject).strip():
                raise ValidationError(
                    self.env._(
                        "A chronicle entry for %(partner)s needs a subject.",
                        partner=partner.display_name,
                    )
                )
            duration = entry.get("duration")
            if duration and duration < 0:
                raise ValidationError(
                    self.env._(
                        "Chronicle entry %(subject)s: the duration cannot be negative.",
                        subject=subject,
                    )
                )
            company = partner.sudo().company_id
            vals = {
                "partner_id": partner.id,
                "type_id": types[entry["type_code"]].id,
                "name": str(subject).strip(),
                "description": entry.get("body") or False,
                "date": self._crm_log_datetime(entry.get("date"), "date") or now,
                "user_id": user.id,
                "duration": duration or 0.0,
                "company_id": (
                    company if company and company in user_companies else self.env.company
                ).id,
            }
            if entry.get("source"):
                model, res_id = self._crm_log_source(entry["source"])
                vals.update(source_model=model, source_id=res_id)
            if attachment:
                vals["attachment_ids"] = [Command.set(attachment.ids)]
            resubmission_date = entry.get("resubmission_date")
            if resubmission_date:
                resubmission_user = resubmission_user or user
                all_day = not isinstance(resubmission_date, datetime.datetime) and not (
                    isinstance(resubmission_date, str) and len(resubmission_date) > 10
                )
                if all_day:
                    day = self._crm_log_date(resubmission_date, "resubmission_date")
                    when = local_midnight_utc(day, resubmission_user.tz or self.env.user.tz)
                else:
                    when = self._crm_log_datetime(resubmission_date, "resubmission_date")
                vals["resubmission_ids"] = [
                    Command.create(
                        {"date": when, "all_day": all_day, "user_id": resubmission_user.id}
                    )
                ]
                vals["state"] = "open"
            vals_list.append(vals)
        return self.create(vals_list)

    @api.model
    def _crm_log_types(self, codes):
        """{code: type} for these codes, in one query; a clear error for an unknown one."""
        found = {
            chronicle_type.code: chronicle_type
            for chronicle_type in self.env["crm.chronicle.type"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(codes))])
        }
        for code in sorted(codes, key=str):
            if code not in found:
                raise ValidationError(
                    self.env._(
                        "There is no chronicle entry type with the code %(code)r.", code=code
                    )
                )
        return found

    @api.model
    def _crm_log_records(self, model, values, argument, required=False, many=False):
        """The records given as `values` (records, ids or lists of ids; one value per
        entry), as a list of recordsets, checked to exist with one query for all."""
        per_entry = []
        for value in values:
            if not value:
                if required:
                    raise ValidationError(
                        self.env._("crm_log: the %(argument)s is missing.", argument=argument)
                    )
                per_entry.append(())
                continue
            if isinstance(value, models.BaseModel):
                if value._name != model:
                    raise ValidationError(
                        self.env._(
                            "crm_log: %(argument)s must be a %(model)s record, not %(given)s.",
                            argument=argument,
                            model=model,
                            given=value._name,
                        )
                    )
                ids = value.ids
            else:
                ids = value if isinstance(value, list | tuple) else [value]
                if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
                    raise ValidationError(
                        self.env._(
                            "crm_log: %(argument)s must be a %(model)s record or id, "
                            "not %(given)r.",
                            argument=argument,
                            model=model,
                            given=value,
                        )
                    )
            if not many and len(ids) > 1:
                raise ValidationError(
                    self.env._(
                        "crm_log: %(argument)s must be one record, got %(count)s.",
                        argument=argument,
                        count=len(ids),
                    )
                )
            per_entry.append(tuple(ids))
        all_ids = list(dict.fromkeys(i for ids in per_entry for i in ids))
        if all_ids:
            existing = set(self.env[model].sudo().browse(all_ids).exists().ids)
            missing = [i for i in all_ids if i not in existing]
            if missing:
                raise ValidationError(
                    self.env._(
                        "crm_log: %(argument)s %(model)s %(ids)s does not exist.",
                        argument=argument,
                        model=model,
                        ids=missing,
                    )
                )
        return [self.env[model].browse(ids).with_prefetch(all_ids) for ids in per_entry]

    @api.model
    def _crm_log_date(self, value, argument):
        try:
            return fields.Date.to_date(value)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "crm_log: %(argument)s %(value)r is not a date.",
                    argument=argument,
                    value=value,
                )
            ) from error

    @api.model
    def _crm_log_datetime(self, value, argument):
        if not value:
            return False
        try:
            return fields.Datetime.to_datetime(value)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "crm_log: %(argument)s %(value)r is not a date and time.",
                    argument=argument,
                    value=value,
                )
            ) from error

    @api.model
    def _crm_log_source(self, source):
        if isinstance(source, models.BaseModel):
            if len(source) != 1:
                raise ValidationError(
                    self.env._(
                        "crm_log: the source must be one record, got %(count)s.",
                        count=len(source),
                    )
                )
            return source._name, source.id
        model, _sep, res_id = str(source).partition(",")
        if model not in self.env or not res_id.strip().isdigit():
            raise ValidationError(
                self.env._(
                    "crm_log: the source %(value)r is neither a record nor 'model,id'.",
                    value=source,
                )
            )
        return model, int(res_id)

    # ------------------------------------------------------------------------------------------
    # Chronicle of a partner
    # ------------------------------------------------------------------------------------------
    @api.model
    def _partner_domain(self, partner):
        """Entries about `partner`: a company's chronicle holds those of its contact
        persons; a contact person's those logged on them or naming them as contact."""
        if partner.is_company or not partner.parent_id:
            return Domain("commercial_partner_id", "=", partner.commercial_partner_id.id)
        return Domain("partner_id", "=", partner.id) | Domain("contact_ids", "in", partner.id)

    # ------------------------------------------------------------------------------------------
    # Class changes (ABC analysis, classes set by hand): one entry per changed partner
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_log_class_changes(self, company, changes, by_hand, now=None):
        """Log one "class_change" entry per (partner_id, old_class_id, new_class_id) of
        `changes` (ids or None), subject in the partner's language (else the company's).
        Small batches go through crm_log_batch; from CLASS_CHANGE_SQL_MIN changes on (or the
        context key ``crm_class_change_sql_min``), one INSERT ... SELECT writes the same
        rows, unless the model has stored fields that SQL cannot fill (computed ones added
        by another addon). Returns the number of entries written."""
        if not changes:
            return 0
        sql_min = self.env.context.get("crm_class_change_sql_min", CLASS_CHANGE_SQL_MIN)
        if len(changes) >= sql_min and self._crm_class_change_other_fields() is not None:
            return self._crm_log_class_changes_sql(company, changes, by_hand, now=now)
        return len(self._crm_log_class_changes_orm(company, changes, by_hand, now=now))

    @api.model
    def _crm_class_change_context(self, company, changes, by_hand):
        """What both ways of logging class changes share: the entries' model (sudo, in
        `company`, without mail side effects), the responsible user, the languages and
        the subjects {(lang, old_class_id or 0, new_class_id or 0): subject}."""
        user = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        Entry = (
            self.sudo()
            .with_company(company)
            .with_context(mail_create_nosubscribe=True, tracking_disable=True)
        )
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        fallback = next(
            (lang for lang in (company.partner_id.lang, self.env.lang) if lang in langs),
            langs[0] if langs else "en_US",
        )
        pairs = {(old or 0, new or 0) for _partner, old, new in changes}
        classes = (
            self.env["crm.partner.class"].sudo().browse({c for pair in pairs for c in pair if c})
        )
        subjects = {}
        for lang in langs or [fallback]:
            env = self.with_context(lang=lang).env
            names = {c.id: c.name for c in classes.with_context(lang=lang)}
            none = env._("none")
            for old, new in pairs:
                values = {"old": names.get(old, none), "new": names.get(new, none)}
                subjects[lang, old, new] = (
                    env._("Class set by hand: %(old)s → %(new)s", **values)
                    if by_hand
                    else env._("ABC analysis: class %(old)s → %(new)s", **values)
                )
        return Entry, user, langs, fallback, subjects

    @api.model
    def _crm_log_class_changes_orm(self, company, changes, by_hand, now=None):
        """The class-change entries through crm_log_batch (5,000 per create)."""
        Entry, user, langs, fallback, subjects = self._crm_class_change_context(
            company, changes, by_hand
        )
        partners = self.env["res.partner"].sudo().browse([p for p, _old, _new in changes])
        lang_of = {
            partner.id: partner.lang if partner.lang in langs else fallback for partner in partners
        }
        now = now or fields.Datetime.now()
        entries = self.browse()
        for start in range(0, len(changes), 5000):
            entries |= Entry.crm_log_batch(
                [
                    {
                        "partner": partner_id,
                        "type_code": "class_change",
                        "subject": subjects[lang_of[partner_id], old or 0, new or 0],
                        "source": f"crm.partner.class,{new}" if new else False,
                        "user": user.id,
                        "date": now,
                    }
                    for partner_id, old, new in changes[start : start + 5000]
                ]
            )
        return entries

    @api.model
    def _crm_class_change_other_fields(self):
        """The stored fields (with a column) that CLASS_CHANGE_COLUMNS does not hold; they
        take their default value. None when one of them cannot be filled that way
        (computed or related fields added by other addons: the ORM must compute them)."""
        others = [
            field
            for name, field in self._fields.items()
            if field.store
            and field.column_type
            and name != "id"
            and name not in CLASS_CHANGE_COLUMNS
        ]
        if any(
            field.compute or field.related or field.company_dependent or field.translate
            for field in others
        ):
            return None
        return others

    @api.model
    def _crm_class_change_sql_columns(self, others, values):
        """{column: SQL expression} of every stored column of an entry, for the INSERT of
        _crm_log_class_changes_sql: from the change (alias c), the partner (p), the
        subject (s) and the run's `values`; the `others` (see
        _crm_class_change_other_fields) with their defaults, as create() gives them."""
        columns = {
            "partner_id": SQL("c.partner_id"),
            "commercial_partner_id": SQL("p.commercial_partner_id"),
            "type_id": SQL("%s", values["type_id"]),
            "name": SQL("s.name"),
            "date": SQL("%s", values["date"]),
            "user_id": SQL("%s", values["user_id"]),
            "duration": SQL("0.0"),
            "description": SQL("NULL"),
            "company_id": SQL(
                "CASE WHEN p.company_id = ANY(%s) THEN p.company_id ELSE %s END",
                values["user_companies"],
                values["company_id"],
            ),
            "source_model": SQL(
                "(CASE WHEN c.new_id IS NOT NULL THEN %s END)", "crm.partner.class"
            ),
            "source_id": SQL("c.new_id"),
            "create_uid": SQL("%s", values["uid"]),
            "write_uid": SQL("%s", values["uid"]),
            "create_date": SQL("%s", values["cr_now"]),
            "write_date": SQL("%s", values["cr_now"]),
        }
        assert set(columns) == CLASS_CHANGE_COLUMNS
        defaults = self.default_get([field.name for field in others])
        for field in others:
            value = field.convert_to_write(
                field.convert_to_cache(defaults.get(field.name, False), self), self
            )
            columns[field.name] = SQL("%s", field.convert_to_column_insert(value, self))
        return columns

    @api.model
    def _crm_log_class_changes_sql(self, company, changes, by_hand, now=None):
        """The rows _crm_log_class_changes_orm would create, written by one INSERT ...
        SELECT (a first ABC analysis changes the class of every customer: 200,000 ORM
        creates took minutes). The entries' ORM cache is emptied afterwards."""
        Entry, user, langs, fallback, subjects = self._crm_class_change_context(
            company, changes, by_hand
        )
        entry_type = Entry._crm_log_types({"class_change"})["class_change"]
        others = Entry._crm_class_change_other_fields()
        if others is None or entry_type.is_appointment:
            return len(self._crm_log_class_changes_orm(company, changes, by_hand, now=now))
        columns = Entry._crm_class_change_sql_columns(
            others,
            {
                "type_id": entry_type.id,
                "date": now or fields.Datetime.now(),
                "user_id": user.id,
                "user_companies": self.env.user.company_ids.ids,
                "company_id": company.id,
                "uid": self.env.uid,
                "cr_now": self.env.cr.now(),
            },
        )
        self.env["res.partner"].flush_model(["lang", "company_id", "commercial_partner_id"])
        self.flush_model()
        keys = list(subjects)
        # (the changes as array literals: PostgreSQL parses one text value much faster
        # than an ARRAY[...] of 200,000 constants; the ids are the run's own integers)
        query = SQL(
            """
            WITH changes AS (
                SELECT * FROM unnest(%(partner_ids)s::int[], %(old_ids)s::int[],
                                     %(new_ids)s::int[])
                       AS c(partner_id, old_id, new_id)
            ),
            subjects AS (
                SELECT * FROM unnest(%(s_langs)s::varchar[], %(s_old)s::int[],
                                     %(s_new)s::int[], %(s_names)s::varchar[])
                       AS s(lang, old_id, new_id, name)
            )
            INSERT INTO crm_chronicle_entry (%(names)s)
            SELECT %(values)s
              FROM changes c
              JOIN res_partner p ON p.id = c.partner_id
              JOIN subjects s
                ON s.lang = CASE WHEN p.lang = ANY(%(langs)s) THEN p.lang
                                 ELSE %(fallback)s END
               AND s.old_id = COALESCE(c.old_id, 0) AND s.new_id = COALESCE(c.new_id, 0)
            """,
            names=SQL(", ").join(SQL.identifier(name) for name in columns),
            values=SQL(", ").join(columns.values()),
            partner_ids=_int_array(partner for partner, _old, _new in changes),
            old_ids=_int_array(old for _partner, old, _new in changes),
            new_ids=_int_array(new for _partner, _old, new in changes),
            s_langs=[key[0] for key in keys],
            s_old=[key[1] for key in keys],
            s_new=[key[2] for key in keys],
            s_names=[subjects[key] for key in keys],
            langs=langs,
            fallback=fallback,
        )
        self.env.cr.execute(query)
        count = self.env.cr.rowcount
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(["crm_chronicle_count", "crm_chronicle_entry_ids"])
        return count
