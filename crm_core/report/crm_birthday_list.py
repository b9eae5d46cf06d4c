import calendar

from babel.dates import format_date

from odoo import api, models
from odoo.tools.misc import get_lang


class ReportCrmBirthdayList(models.AbstractModel):
    """Contact persons of the selection (and of the selected companies) with a birthday,
    grouped by month and sorted by day."""

    _name = "report.crm_core.report_birthday_list"
    _description = "Birthday List Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        persons = partners.filtered(lambda p: not p.is_company)
        persons |= self.env["res.partner"].search_fetch(
            [("parent_id", "in", partners.filtered("is_company").ids), ("type", "=", "contact")],
            ["name", "crm_birthday", "parent_id", "function", "phone", "email"],
        )
        persons = persons.filtered("crm_birthday")
        locale = get_lang(self.env).code
        months = []
        for month in range(1, 13):
            members = persons.filtered(lambda p, m=month: p.crm_birthday.month == m).sorted(
                lambda p: (p.crm_birthday.day, p.name or "")
            )
            if members:
                name = format_date(members[0].crm_birthday, "LLLL", locale=locale)
                months.append({"month": month, "name": name, "persons": members})
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "months": months,
            "month_names": calendar.month_name,
        }
