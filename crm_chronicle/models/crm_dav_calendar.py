import datetime

import pytz

from odoo import fields, models
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.crm_core.tools import sanitize

from ..tools import ical

DONE_DAYS = 30  # done resubmissions stay this long in the calendar (as completed todos)


def _utc(value, tz):
    """A vobject DATE or DATE-TIME value as (naive UTC datetime, is a date)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = tz.localize(value)
        return value.astimezone(pytz.utc).replace(tzinfo=None), False
    midnight = tz.localize(datetime.datetime.combine(value, datetime.time()))
    return midnight.astimezone(pytz.utc).replace(tzinfo=None), True


class CrmDavCalendar(models.AbstractModel):
    """The CalDAV calendar of a user: their chronicle appointments as events and their
    resubmissions as todos (open ones, and those done in the last 30 days as completed).

    An event moved or edited in a calendar app moves the appointment; a todo completed there
    closes the resubmission (logged as done by the user, the next one of a recurring
    resubmission created); a new event becomes an appointment of the customer one of its
    attendees' e-mail addresses belongs to (else of the user's company), a new todo a
    resubmission. Deleting an event keeps the appointment in the chronicle (marked removed
    on a device); deleting a todo closes the resubmission. What a device stores that no
    field holds (alarms, its own categories, attendees, a recurrence rule) is kept with the
    object and written back as sent; a recurring event is one appointment in the chronicle,
    on its first date."""

    _name = "crm.dav.calendar"
    _inherit = "crm.dav.collection"
    _description = "CalDAV Calendar"

    _dav_collection = "calendar"
    _dav_tag = "VCALENDAR"
    _dav_kinds = {
        "event": ("crm.chronicle.entry", "appointment"),
        "todo": ("crm.chronicle.resubmission", "resubmission"),
    }
    _dav_extension = ".ics"
    _dav_precondition = "C:valid-calendar-data"
    _dav_components = {"event": "VEVENT", "todo": "VTODO"}
    _dav_known = frozenset(
        """UID DTSTAMP DTSTART DTEND DURATION DUE SUMMARY DESCRIPTION LOCATION URL CLASS STATUS
        COMPLETED PERCENT-COMPLETE LAST-MODIFIED CREATED SEQUENCE""".split()
    )
    # a device's own categories replace the appointment type the calendar writes as one
    _dav_yielding = frozenset({"CATEGORIES"})

    def init(self):
        Change = self.env["crm.dav.change"]
        Change._install_log_triggers(
            "chronicle_entry",
            "crm_chronicle_entry",
            "event",
            ("id",),
            (
                "name",
                "date",
                "duration",
                "description",
                "state",
                "user_id",
                "partner_id",
                "type_id",
                "private",
                "company_id",
                "dav_removed",
            ),
            follow=[
                (
                    "todo",
                    ("name", "partner_id", "private"),
                    "SELECT r.id FROM crm_chronicle_resubmission r"
                    " JOIN changed x ON r.entry_id = x.id",
                )
            ],
            # the calendar shows appointments only (a change of type is an update, logged)
            shown="r.type_id IN (SELECT id FROM crm_chronicle_type WHERE is_appointment)",
        )
        Change._install_log_triggers(
            "chronicle_resubmission",
            "crm_chronicle_resubmission",
            "todo",
            ("id",),
            (
                "date",
                "all_day",
                "note",
                "state",
                "user_id",
                "entry_id",
                "company_id",
                "done_date",
                "dav_removed",
            ),
        )

    def _dav_meta(self):
        return {
            "tag": self._dav_tag,
            "D:displayname": self.env._("CRM Appointments"),
            "C:calendar-description": self.env._(
                "Appointments and resubmissions of %(user)s", user=self.env.user.name
            ),
            "C:supported-calendar-component-set": "VEVENT,VTODO",
        }

    def _dav_domain(self, kind):
        if kind == "event":
            return [
                ("user_id", "=", self.env.uid),
                ("type_id.is_appointment", "=", True),
                ("dav_removed", "=", False),
            ]
        since = fields.Datetime.now() - datetime.timedelta(days=DONE_DAYS)
        return [
            ("user_id", "=", self.env.uid),
            ("dav_removed", "=", False),
            "|",
            ("state", "=", "open"),
            ("done_date", ">=", since),
        ]

    def _tz(self):
        return pytz.timezone(self.env.user.tz or "UTC")

    # ------------------------------------------------------------------------------------------
    # Writing appointments and resubmissions as iCalendar
    # ------------------------------------------------------------------------------------------
    def _location(self, partner):
        town = " ".join(filter(None, [partner.zip, partner.city]))
        return ", ".join(filter(None, [partner.complete_name, partner.street, town]))

    def _dav_render(self, kind, records, names):
        base_url = self.get_base_url()
        result = {}
        for record in records:
            uid = names[record.id][1]
            stamp = ical.utc_stamp(record.write_date)
            if kind == "event":
                lines = ical.event_lines(
                    {
                        "uid": uid,
                        "summary": sanitize.text(record.name),
                        "start": record.date,
                        "end": record.date + datetime.timedelta(hours=record.duration or 0.5),
                        "description": sanitize.text(
                            html2plaintext(record.description or ""), multiline=True
                        ),
                        "location": sanitize.text(self._location(record.partner_id)),
                        "url": f"{base_url}/odoo/crm.chronicle.entry/{record.id}",
                        "categories": [sanitize.text(record.type_id.name)],
                        "private": record.private,
                        "last_modified": record.write_date,
                    },
                    stamp,
                )
                result[record.id] = (ical.calendar_object(lines), "VEVENT")
            else:
                todo = {
                    "uid": uid,
                    "summary": sanitize.text(record.entry_id.name),
                    "description": sanitize.text(record.note or "", multiline=True),
                    "location": sanitize.text(self._location(record.partner_id)),
                    "url": f"{base_url}/odoo/crm.chronicle.resubmission/{record.id}",
                    "private": record.private,
                    "completed": record.state == "done" and (record.done_date or record.write_date),
                    "last_modified": record.write_date,
                }
                if record.all_day:
                    todo["due_day"] = pytz.utc.localize(record.date).astimezone(self._tz()).date()
                else:
                    todo["due"] = record.date
                result[record.id] = (ical.calendar_object(ical.todo_lines(todo, stamp)), "VTODO")
        return result

    # ------------------------------------------------------------------------------------------
    # Reading iCalendar back
    # ------------------------------------------------------------------------------------------
    def _component(self, calendar):
        components = [
            c for c in calendar.getChildren() if c.name in ("VEVENT", "VTODO", "VJOURNAL")
        ]
        if not components:
            raise self._dav_refused(self.env._("The object holds no event and no todo."))
        names = {c.name for c in components}
        if "VJOURNAL" in names:
            raise self._dav_refused(self.env._("Journal entries are not kept in this calendar."))
        if len(components) > 1 or hasattr(components[0], "recurrence_id"):
            raise self._dav_refused(
                self.env._(
                    "Changed or cancelled single dates of a recurring event are not kept in "
                    "this calendar: change the series, or plan single appointments."
                )
            )
        return components[0]

    def _dav_component_uid(self, calendar):
        component = self._component(calendar)
        return component.uid.value if hasattr(component, "uid") else ""

    def _dav_kind_of(self, calendar):
        return "event" if self._component(calendar).name == "VEVENT" else "todo"

    def _value(self, component, name, default=None):
        prop = getattr(component, name, None)
        return prop.value if prop is not None else default

    def _text(self, component, name):
        value = self._value(component, name, "")
        return sanitize.text(value if isinstance(value, str) else "", multiline=True)

    def _customer(self, component):
        """The customer of a new object: the partner one of the attendees' e-mail addresses
        belongs to, else the user's company."""
        emails = []
        for attendee in component.contents.get("attendee", []):
            value = str(attendee.value or "")
            if value.lower().startswith("mailto:"):
                emails.append(value[7:].strip().lower())
        if emails:
            partner = self.env["res.partner"].search(
                [("email_normalized", "in", emails)], limit=1, order="is_company desc, id"
            )
            if partner:
                return partner
        return self.env.company.partner_id

    def _times(self, component, kind):
        tz = self._tz()
        if kind == "event":
            start = self._value(component, "dtstart")
            if start is None:
                raise self._dav_refused(self.env._("The event has no start (DTSTART)."))
            start_utc, all_day = _utc(start, tz)
            end = self._value(component, "dtend")
            duration = self._value(component, "duration")
            if end is not None:
                end_utc = _utc(end, tz)[0]
            elif duration is not None:
                end_utc = start_utc + duration
            else:
                end_utc = start_utc + (
                    datetime.timedelta(days=1) if all_day else datetime.timedelta()
                )
            hours = max((end_utc - start_utc).total_seconds() / 3600, 0)
            return start_utc, hours
        due = self._value(component, "due") or self._value(component, "dtstart")
        if due is None:
            return None, False
        return _utc(due, tz)

    def _dav_store(self, kind, record, calendar, uid):
        component = self._component(calendar)
        if kind == "event":
            return self._store_event(record, component)
        return self._store_todo(record, component)

    def _store_event(self, entry, component):
        start, hours = self._times(component, "event")
        summary = sanitize.text(self._value(component, "summary", "")) or self.env._("Appointment")
        description = self._text(component, "description")
        private = str(self._value(component, "class", "")).upper() in ("PRIVATE", "CONFIDENTIAL")
        if not entry:
            appointment_type = self.env["crm.chronicle.type"].search(
                [("is_appointment", "=", True)], limit=1
            )
            return self.env["crm.chronicle.entry"].create(
                {
                    "name": summary,
                    "type_id": appointment_type.id,
                    "partner_id": self._customer(component).id,
                    "date": start,
                    "duration": hours,
                    "user_id": self.env.uid,
                    "state": "open" if start > fields.Datetime.now() else "done",
                    "description": plaintext2html(description) if description else False,
                    "private": private,
                }
            )
        vals = {}
        if summary != sanitize.text(entry.name):
            vals["name"] = summary
        if start != entry.date:
            vals["date"] = start
        if abs(hours - (entry.duration or 0.5)) > 1 / 120:
            vals["duration"] = hours
        current = sanitize.text(html2plaintext(entry.description or ""), multiline=True)
        if description != current:
            vals["description"] = plaintext2html(description) if description else False
        if private != entry.private:
            vals["private"] = private
        if vals:
            entry.write(vals)
        return entry

    def _store_todo(self, resubmission, component):
        due, all_day = self._times(component, "todo")
        summary = sanitize.text(self._value(component, "summary", "")) or self.env._("Resubmission")
        note = self._text(component, "description")
        status = str(self._value(component, "status", "")).upper()
        completed = status == "COMPLETED" or self._value(component, "completed") is not None
        if not resubmission:
            entry = self.env["crm.chronicle.entry"].create(
                {
                    "name": summary,
                    "type_id": self.env.ref("crm_chronicle.crm_chronicle_type_note").id,
                    "partner_id": self._customer(component).id,
                    "user_id": self.env.uid,
                    "state": "open",
                }
            )
            resubmission = self.env["crm.chronicle.resubmission"].create(
                {
                    "entry_id": entry.id,
                    "date": due or fields.Datetime.now(),
                    "all_day": all_day,
                    "user_id": self.env.uid,
                    "note": note or False,
                }
            )
            if completed:
                resubmission.action_done()
            return resubmission
        if summary != sanitize.text(resubmission.entry_id.name):
            resubmission.entry_id.write({"name": summary})
        vals = {}
        if due and (due != resubmission.date or all_day != resubmission.all_day):
            vals.update(date=due, all_day=all_day)
        if note != sanitize.text(resubmission.note or "", multiline=True):
            vals["note"] = note or False
        if vals and resubmission.state == "open":
            resubmission.write(vals)
        if completed and resubmission.state == "open":
            resubmission.action_done()
        elif not completed and resubmission.state == "done":
            raise self._dav_refused(
                self.env._(
                    "The resubmission %(name)s was closed in the CRM and cannot be reopened "
                    "from a device.",
                    name=resubmission.display_name,
                )
            )
        return resubmission

    def _dav_archive(self, kind, record):
        if kind == "event":
            record.write({"dav_removed": True})
            record.message_post(
                body=self.env._(
                    "Removed from the calendar on a device by %(user)s.", user=self.env.user.name
                )
            )
        else:
            if record.state == "open":
                record.action_done()
            record.write({"dav_removed": True})
