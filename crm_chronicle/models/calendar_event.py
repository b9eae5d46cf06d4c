from odoo import models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def write(self, vals):
        result = super().write(vals)
        if {"start", "stop"}.intersection(vals) and not self.env.context.get(
            "crm_chronicle_from_entry"
        ):
            self._crm_chronicle_sync_entries()
        return result

    def _crm_chronicle_sync_entries(self):
        """An appointment moved in the calendar moves its chronicle entry."""
        entries = (
            self.env["crm.chronicle.entry"].sudo().search([("calendar_event_id", "in", self.ids)])
        )
        for entry in entries:
            event = entry.calendar_event_id
            entry.with_context(crm_chronicle_from_event=True).write(
                {"date": event.start, "duration": event.duration}
            )
