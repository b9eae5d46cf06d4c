import datetime

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.ical import build_calendar, html_to_text


class CrmChronicleIcal(models.AbstractModel):
    """iCalendar export of appointments and resubmissions, and the per-user feed.

    The rows are read with one SQL query per model, restricted to the ids the caller's
    search returned (record rules applied): a feed of 5,000 items costs two queries."""

    _name = "crm.chronicle.ical"
    _description = "Chronicle iCalendar Export"

    FEED_PAST_DAYS = 90
    EXPORTABLE = ("crm.chronicle.entry", "crm.chronicle.resubmission")

    @api.model
    def _entry_rows(self, ids_sql):
        self.env["crm.chronicle.entry"].flush_model()
        lang = self.env.lang or "en_US"
        return self.env.execute_query_dict(
            SQL(
                """SELECT e.id, e.name, e.date, e.duration, e.description, e.state,
                          e.write_date, COALESCE(t.name->>%(lang)s, t.name->>'en_US') AS type,
                          p.complete_name AS partner, p.street, p.zip, p.city
                     FROM crm_chronicle_entry e
                     JOIN crm_chronicle_type t ON t.id = e.type_id
                     JOIN res_partner p ON p.id = e.partner_id
                    WHERE e.id IN %(ids)s
                 ORDER BY e.date, e.id""",
                lang=lang,
                ids=ids_sql,
            )
        )

    @api.model
    def _resubmission_rows(self, ids_sql):
        self.env["crm.chronicle.resubmission"].flush_model()
        self.env["crm.chronicle.entry"].flush_model(["name"])
        return self.env.execute_query_dict(
            SQL(
                """SELECT r.id, r.date, r.all_day, r.note, r.write_date, e.name,
                          p.complete_name AS partner
                     FROM crm_chronicle_resubmission r
                     JOIN crm_chronicle_entry e ON e.id = r.entry_id
                     JOIN res_partner p ON p.id = r.partner_id
                    WHERE r.id IN %(ids)s
                 ORDER BY r.date, r.id""",
                ids=ids_sql,
            )
        )

    @api.model
    def _entry_events(self, rows):
        domain = self._uid_domain()
        base_url = self.get_base_url()
        events = []
        for row in rows:
            town = " ".join(filter(None, [row["zip"], row["city"]]))
            events.append(
                {
                    "uid": f"crm-chronicle-entry-{row['id']}@{domain}",
                    "summary": f"{row['name']} – {row['partner']}",
                    "start": row["date"],
                    "end": row["date"] + datetime.timedelta(hours=row["duration"] or 0.5),
                    "description": html_to_text(row["description"]),
                    "location": ", ".join(filter(None, [row["street"], town])),
                    "url": f"{base_url}/odoo/crm.chronicle.entry/{row['id']}",
                    "categories": [row["type"]],
                    "status": "CONFIRMED" if row["state"] == "done" else "TENTATIVE",
                    "last_modified": row["write_date"],
                }
            )
        return events

    @api.model
    def _resubmission_events(self, rows, tz_name):
        domain = self._uid_domain()
        base_url = self.get_base_url()
        tz = pytz.timezone(tz_name or "UTC")
        label = self.env._("Resubmission")
        events = []
        for row in rows:
            event = {
                "uid": f"crm-chronicle-resubmission-{row['id']}@{domain}",
                "summary": f"{label}: {row['name']} – {row['partner']}",
                "description": row["note"] or "",
                "url": f"{base_url}/odoo/crm.chronicle.resubmission/{row['id']}",
                "categories": [label],
                "last_modified": row["write_date"],
            }
            if row["all_day"]:
                event["day"] = pytz.utc.localize(row["date"]).astimezone(tz).date()
            else:
                event["start"] = row["date"]
            events.append(event)
        return events

    @api.model
    def _uid_domain(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")

    @api.model
    def _calendar(self, entry_ids_sql, resubmission_ids_sql, name, tz_name):
        tz_name = tz_name if tz_name in pytz.all_timezones_set else "UTC"
        events = []
        if entry_ids_sql is not None:
            events += self._entry_events(self._entry_rows(entry_ids_sql))
        if resubmission_ids_sql is not None:
            events += self._resubmission_events(
                self._resubmission_rows(resubmission_ids_sql), tz_name
            )
        return build_calendar(events, name, tz_name)

    @api.model
    def _export(self, model, ids):
        """The .ics of the selected appointments (crm.chronicle.entry) or resubmissions,
        read with the current user's rights (the route /crm_chronicle/export.ics checks the
        arguments)."""
        if model not in self.EXPORTABLE:
            raise ValueError(f"crm.chronicle.ical: {model!r} cannot be exported")
        records = self.env[model].browse(ids).exists()
        records.check_access("read")
        ids_sql = SQL("%s", tuple(records.ids) or (0,))
        name = self.env._("CRM Chronicle")
        tz_name = self.env.user.tz or "UTC"
        if model == "crm.chronicle.entry":
            return self._calendar(ids_sql, None, name, tz_name)
        return self._calendar(None, ids_sql, name, tz_name)

    @api.model
    def _feed(self, user):
        """One user's feed: their appointments (from 90 days ago) and open resubmissions,
        searched with that user's rights (for the feed route, which checked the user's
        secret token)."""
        env = self.with_user(user).env
        since = fields.Datetime.now() - datetime.timedelta(days=self.FEED_PAST_DAYS)
        entries = env["crm.chronicle.entry"]._search(
            [
                ("user_id", "=", user.id),
                ("type_id.is_appointment", "=", True),
                ("date", ">=", since),
            ]
        )
        resubmissions = env["crm.chronicle.resubmission"]._search(
            [("user_id", "=", user.id), ("state", "=", "open")]
        )
        name = self.env._("CRM: %(user)s", user=user.name)
        return self.with_user(user)._calendar(
            entries.subselect(), resubmissions.subselect(), name, user.tz
        )
