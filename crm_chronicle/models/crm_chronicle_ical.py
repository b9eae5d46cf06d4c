import datetime

import pytz

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools.ical import build_calendar


class CrmChronicleIcal(models.AbstractModel):
    """iCalendar export of appointments and resubmissions, and the per-user feed."""

    _name = "crm.chronicle.ical"
    _description = "Chronicle iCalendar Export"

    FEED_PAST_DAYS = 90

    @api.model
    def _uid_domain(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")

    @api.model
    def _location(self, partner):
        town = " ".join(filter(None, [partner.zip, partner.city]))
        return ", ".join(filter(None, [partner.street, town]))

    @api.model
    def _entry_events(self, entries):
        domain = self._uid_domain()
        base_url = self.get_base_url()
        events = []
        for entry in entries:
            start = entry.date
            hours = entry.duration or 0.5
            events.append(
                {
                    "uid": f"crm-chronicle-entry-{entry.id}@{domain}",
                    "summary": f"{entry.name} – {entry.partner_id.display_name}",
                    "start": start,
                    "end": start + datetime.timedelta(hours=hours),
                    "description": html2plaintext(entry.description) if entry.description else "",
                    "location": self._location(entry.partner_id),
                    "url": f"{base_url}/odoo/crm.chronicle.entry/{entry.id}",
                    "categories": [entry.type_id.name],
                    "status": "CONFIRMED" if entry.state == "done" else "TENTATIVE",
                    "last_modified": entry.write_date,
                }
            )
        return events

    @api.model
    def _resubmission_events(self, resubmissions, tz_name):
        domain = self._uid_domain()
        base_url = self.get_base_url()
        tz = pytz.timezone(tz_name or "UTC")
        label = self.env._("Resubmission")
        events = []
        for resubmission in resubmissions:
            event = {
                "uid": f"crm-chronicle-resubmission-{resubmission.id}@{domain}",
                "summary": f"{label}: {resubmission.name} – {resubmission.partner_id.display_name}",
                "description": resubmission.note or "",
                "url": f"{base_url}/odoo/crm.chronicle.resubmission/{resubmission.id}",
                "categories": [label],
                "last_modified": resubmission.write_date,
            }
            if resubmission.all_day:
                event["day"] = pytz.utc.localize(resubmission.date).astimezone(tz).date()
            else:
                event["start"] = resubmission.date
            events.append(event)
        return events

    @api.model
    def _calendar(self, entries, resubmissions, name, tz_name):
        tz_name = tz_name if tz_name in pytz.all_timezones_set else "UTC"
        events = self._entry_events(entries) + self._resubmission_events(resubmissions, tz_name)
        return build_calendar(events, name, tz_name)

    @api.model
    def export(self, model, ids):
        """The .ics of the selected appointments (crm.chronicle.entry) or resubmissions,
        read with the current user's rights."""
        records = self.env[model].browse(ids).exists()
        records.check_access("read")
        tz_name = self.env.user.tz or "UTC"
        name = self.env._("CRM Chronicle")
        if model == "crm.chronicle.entry":
            return self._calendar(records, self.env["crm.chronicle.resubmission"], name, tz_name)
        return self._calendar(self.env["crm.chronicle.entry"], records, name, tz_name)

    @api.model
    def feed(self, user):
        """One user's feed: their appointments (from 90 days ago) and open resubmissions,
        read with that user's rights."""
        env = self.with_user(user).env
        since = fields.Datetime.now() - datetime.timedelta(days=self.FEED_PAST_DAYS)
        entries = env["crm.chronicle.entry"].search_fetch(
            [
                ("user_id", "=", user.id),
                ("type_id.is_appointment", "=", True),
                ("date", ">=", since),
            ],
            [
                "name",
                "date",
                "duration",
                "description",
                "partner_id",
                "type_id",
                "state",
                "write_date",
            ],
        )
        resubmissions = env["crm.chronicle.resubmission"].search_fetch(
            [("user_id", "=", user.id), ("state", "=", "open")],
            ["entry_id", "date", "all_day", "note", "partner_id", "write_date"],
        )
        name = self.env._("CRM: %(user)s", user=user.name)
        return self.with_user(user)._calendar(entries, resubmissions, name, user.tz)
