from odoo import api, models
from odoo.tools import SQL

# entries of the chronicle printed on a contact sheet
CONTACT_SHEET_ENTRIES = 10


class ReportCrmContactSheet(models.AbstractModel):
    """The contact sheet's chronicle section (crm_core's extension point): the latest
    entries and the open resubmissions of each printed customer, in two queries for all
    printed customers together, within the printing user's access rights."""

    _inherit = "report.crm_core.report_contact_sheet"

    @api.model
    def _extra_sections(self, partners):
        result = super()._extra_sections(partners)
        Entry = self.env["crm.chronicle.entry"]
        Resubmission = self.env["crm.chronicle.resubmission"]
        if not partners or not Entry.has_access("read"):
            return result
        commercial_ids = partners.commercial_partner_id.ids
        # the newest entries per customer (record rules apply through _search)
        visible = Entry._search([("commercial_partner_id", "in", commercial_ids)])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM (
                    SELECT e.id, ROW_NUMBER() OVER (
                               PARTITION BY e.commercial_partner_id
                               ORDER BY e.date DESC, e.id DESC) AS position
                      FROM crm_chronicle_entry e
                     WHERE e.id IN %(visible)s
                ) ranked
                 WHERE position <= %(limit)s
                """,
                visible=visible.subselect(),
                limit=CONTACT_SHEET_ENTRIES,
            )
        )
        entries = Entry.browse([row[0] for row in rows]).sorted()
        resubmissions = Resubmission.search(
            [
                ("state", "=", "open"),
                ("entry_id.commercial_partner_id", "in", commercial_ids),
            ]
        )
        for partner in partners:
            commercial = partner.commercial_partner_id
            section = result.setdefault(partner.id, {})
            section["chronicle_entries"] = entries.filtered(
                lambda e, c=commercial: e.commercial_partner_id == c
            )
            section["chronicle_resubmissions"] = resubmissions.filtered(
                lambda r, c=commercial: r.entry_id.commercial_partner_id == c
            )
        return result
