from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

# the chronicle of a company: its entries and those of its contact persons
ENTRIES = CockpitButton("crm.chronicle.entry", "commercial_partner_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_chronicle_count = fields.Integer(
        "Chronicle Entries", compute="_compute_crm_cockpit", compute_sudo=False
    )
    crm_chronicle_entry_ids = fields.Many2many(
        "crm.chronicle.entry",
        string="Chronicle",
        compute="_compute_crm_chronicle_entry_ids",
        help="The latest entries of this customer's chronicle (a company's include those "
        "of its contact persons).",
    )

    def _crm_cockpit_groups(self):
        """A company's chronicle: the entries of the company and its contact persons (a
        contact person's own count is `_crm_chronicle_person_counts`)."""
        return {**super()._crm_cockpit_groups(), "crm_chronicle.entries": CockpitGroup(ENTRIES)}

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        entries = groups["crm_chronicle.entries"]
        persons = self.filtered(lambda p: not p.is_company and p.parent_id and p._origin.id)
        counts = {}
        if persons and self.env["crm.chronicle.entry"].has_access("read"):
            counts = persons._origin._crm_chronicle_person_counts(persons._origin)
        for partner in self:
            if partner in persons:
                partner.crm_chronicle_count = counts.get(partner._origin.id, 0)
            else:
                key = (partner.commercial_partner_id._origin.id,)
                partner.crm_chronicle_count = entries.get(key, [0])[0]

    def _crm_chronicle_person_counts(self, persons):
        """{person id: number of entries logged on them or naming them as contact}, for
        all `persons` in one query (record rules applied through _search)."""
        Entry = self.env["crm.chronicle.entry"]
        Entry.flush_model(["partner_id", "contact_ids"])
        query = Entry._search(
            Domain("partner_id", "in", persons.ids) | Domain("contact_ids", "in", persons.ids)
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT person.id, COUNT(DISTINCT entry.id)
                  FROM crm_chronicle_entry entry
                  JOIN res_partner person ON person.id = ANY(%(ids)s)
                 WHERE entry.id IN %(entries)s
                   AND (entry.partner_id = person.id OR EXISTS (
                        SELECT 1 FROM crm_chronicle_entry_contact_rel rel
                         WHERE rel.entry_id = entry.id AND rel.partner_id = person.id))
                 GROUP BY person.id
                """,
                ids=persons.ids,
                entries=query.subselect(),
            )
        )
        return dict(rows)

    @api.depends_context("uid")
    def _compute_crm_chronicle_entry_ids(self):
        Entry = self.env["crm.chronicle.entry"]
        for partner in self:
            if not partner.id or not Entry.has_access("read"):
                partner.crm_chronicle_entry_ids = False
                continue
            partner.crm_chronicle_entry_ids = Entry.search(Entry._partner_domain(partner), limit=80)

    @one_record
    def action_open_crm_chronicle(self):
        """The customer's chronicle; on a contact person, filtered on them by a facet the
        user removes to see the whole company's entries."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_chronicle.crm_chronicle_entry_action"
        )
        commercial = self.commercial_partner_id
        context = {"default_partner_id": self.id}
        if self.is_company or not self.parent_id:
            domain = [("commercial_partner_id", "=", commercial.id)]
        else:
            domain = [
                "|",
                ("commercial_partner_id", "=", commercial.id),
                ("contact_ids", "in", self.id),
            ]
            context["search_default_partner_id"] = self.id
        action.update(
            {
                "name": self.env._("Chronicle of %(partner)s", partner=self.display_name),
                "domain": domain,
                "context": context,
            }
        )
        return action

    @one_record
    def action_new_crm_chronicle_entry(self):
        """Log an entry on this customer from its Chronicle tab: the entry form in a dialog,
        the customer preset; the tab shows the entry when the dialog closes."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Chronicle Entry"),
            "res_model": "crm.chronicle.entry",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    @one_record
    def action_open_crm_correspondence(self):
        """Every document about the customer (its company when a contact person)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_chronicle.crm_chronicle_correspondence_action"
        )
        action.update(
            {
                "name": self.env._(
                    "Correspondence of %(partner)s", partner=self.commercial_partner_id.name
                ),
                "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            }
        )
        return action

    # ------------------------------------------------------------------------------------------
    # Class changes (ABC analysis and classes set by hand) in the chronicle
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_on_class_changes(self, company, changes, by_hand):
        """One "class_change" entry per changed partner (see
        crm.chronicle.entry._log_class_changes): a constant number of queries."""
        result = super()._crm_on_class_changes(company, changes, by_hand)
        self.env["crm.chronicle.entry"]._log_class_changes(company, changes, by_hand)
        return result

    # ------------------------------------------------------------------------------------------
    # The GDPR data export (crm_core: res_partner_personal_data.py)
    # ------------------------------------------------------------------------------------------
    def _crm_personal_data(self, files):
        """The chronicle entries and resubmissions of the customer and its contacts."""
        data = super()._crm_personal_data(files)
        entries = self._crm_personal_data_search(
            "crm.chronicle.entry", [("commercial_partner_id", "=", self.id)], "date, id"
        )
        resubmissions = self._crm_personal_data_search(
            "crm.chronicle.resubmission", [("partner_id", "child_of", self.id)], "id"
        )
        data["crm_chronicle.entries"] = self._crm_personal_data_rows(entries)
        data["crm_chronicle.resubmissions"] = self._crm_personal_data_rows(resubmissions)
        return data
