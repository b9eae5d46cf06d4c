import datetime

from odoo import api, models
from odoo.fields import Command

# the entry's fields its calendar event shows
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


class CrmChronicleEntry(models.Model):
    """Appointments (entries of a type marked as such) keep a calendar event in sync: same
    time, the contact persons (or the customer) and the responsible user as attendees. The
    event of a private entry is private; calendar.event's record rule of crm_chronicle hides
    it from everybody but its organizer, its attendees and its author."""

    _inherit = "crm.chronicle.entry"

    @api.model_create_multi
    def create(self, vals_list):
        entries = super().create(vals_list)
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
        self.calendar_event_id.sudo().with_context(no_mail_to_attendees=True).unlink()

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
        """Create, update or remove the calendar event of these entries, as superuser: the
        event mirrors the entry, which the user may write (a private entry's event is
        hidden even from managers, who may edit the entry)."""
        context = {"no_mail_to_attendees": True, "crm_chronicle_from_entry": True}
        Event = self.env["calendar.event"].sudo().with_context(**context)
        for entry in self:
            event = entry.sudo().calendar_event_id.with_context(**context)
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
