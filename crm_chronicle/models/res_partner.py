from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_chronicle_count = fields.Integer(
        "Chronicle Entries", compute="_compute_crm_chronicle_count", compute_sudo=False
    )
    crm_chronicle_entry_ids = fields.Many2many(
        "crm.chronicle.entry",
        string="Chronicle",
        compute="_compute_crm_chronicle_entry_ids",
        help="The latest entries of this customer's chronicle (a company's include those "
        "of its contact persons).",
    )

    def _compute_crm_chronicle_count(self):
        Entry = self.env["crm.chronicle.entry"]
        if not Entry.has_access("read"):
            self.crm_chronicle_count = 0
            return
        companies = self.filtered(lambda p: p.is_company or not p.parent_id)
        persons = self - companies
        counts = {}
        if companies:
            counts.update(
                (partner.id, count)
                for partner, count in Entry._read_group(
                    [("commercial_partner_id", "in", companies.commercial_partner_id.ids)],
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
        for person in persons:
            counts[person.id] = Entry.search_count(Entry._partner_domain(person))
        for partner in self:
            key = partner.id if partner in persons else partner.commercial_partner_id.id
            partner.crm_chronicle_count = counts.get(key, 0)

    @api.depends_context("uid")
    def _compute_crm_chronicle_entry_ids(self):
        Entry = self.env["crm.chronicle.entry"]
        for partner in self:
            if not partner.id or not Entry.has_access("read"):
                partner.crm_chronicle_entry_ids = False
                continue
            partner.crm_chronicle_entry_ids = Entry.search(Entry._partner_domain(partner), limit=80)

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
