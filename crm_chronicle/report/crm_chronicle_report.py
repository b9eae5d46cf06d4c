import datetime

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.crm_core.tools.boundary import ArgumentError

from ..tools.dates import local_midnight_utc


class CrmChronicleReport(models.AbstractModel):
    _name = "report.crm_chronicle.report_chronicle"
    _description = "Chronicle Report"

    @api.model
    def _report_date(self, data, key):
        """The date `key` of the report's data (the wizard's, or the options of a
        /report/pdf/... URL, which anyone may write): a date, or an ArgumentError naming it
        (a 422, logged at INFO as the caller's mistake)."""
        value = data.get(key)
        if not value:
            return None
        if isinstance(value, datetime.date):
            return fields.Date.to_date(value)
        if isinstance(value, str) and len(value) <= 32:
            try:
                return fields.Date.to_date(value[:10])
            except ValueError:
                pass
        raise ArgumentError(
            self.env._(
                "Chronicle report: %(key)s must be a date (YYYY-MM-DD), not %(value)s.",
                key=key,
                value=repr(value)[:40],
            )
        )

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        # only what the user may read: partners and (through their record rules) entries
        partners = self.env["res.partner"].browse(docids).exists()._filtered_access("read")
        today = fields.Date.context_today(self)
        date_from = self._report_date(data, "date_from") or today.replace(month=1, day=1)
        date_to = self._report_date(data, "date_to") or today
        tz = self.env.user.tz or "UTC"
        start = local_midnight_utc(date_from, tz)
        end = local_midnight_utc(date_to + datetime.timedelta(days=1), tz)
        Entry = self.env["crm.chronicle.entry"]
        entries = {}
        for partner in partners:
            if data.get("include_contacts", True):
                domain = Entry._partner_domain(partner)
            else:
                domain = Domain("partner_id", "=", partner.id)
            entries[partner.id] = Entry.search(
                domain & Domain("date", ">=", start) & Domain("date", "<", end),
                order="date, id",
            )
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "entries": entries,
            "date_from": date_from,
            "date_to": date_to,
        }
