from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmPartnerLink(models.Model):
    """A contact person's role at a company: at its own company (to name the main contact
    per role) or at further companies, without duplicating the person."""

    _name = "crm.partner.link"
    _description = "Contact Person Role at a Company"
    _order = "company_partner_id, is_main desc, role_id, id"
    _rec_name = "contact_id"

    company_partner_id = fields.Many2one(
        "res.partner",
        "Company",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Contact Person",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', False)]",
    )
    role_id = fields.Many2one("crm.contact.role", "Role", required=True, ondelete="restrict")
    is_main = fields.Boolean("Main Contact", help="The company's main contact for this role.")
    function = fields.Char("Job Position at this Company")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        related="company_partner_id.company_id", store=True, index=True, string="Owner"
    )
    # (as the reader may read them: a contact of another company stays closed)
    contact_email = fields.Char(related="contact_id.email", compute_sudo=False)
    contact_phone = fields.Char(related="contact_id.phone", compute_sudo=False)
    is_own_company = fields.Boolean(
        compute="_compute_is_own_company", help="The contact belongs to this company."
    )

    _unique_role = models.Constraint(
        "UNIQUE(company_partner_id, contact_id, role_id)",
        "A contact person has each role at a company once.",
    )
    _one_main_per_role = models.UniqueIndex(
        "(company_partner_id, role_id) WHERE is_main AND active",
        "A company has one main contact per role.",
    )

    @api.depends("company_partner_id", "contact_id.parent_id")
    def _compute_is_own_company(self):
        for link in self:
            link.is_own_company = link.contact_id.parent_id == link.company_partner_id

    @api.constrains("company_partner_id", "contact_id")
    def _check_partners(self):
        for link in self:
            if link.contact_id == link.company_partner_id or link.contact_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a company, not a contact person, and cannot be "
                        "linked to %(company)s.",
                        contact=link.contact_id.display_name,
                        company=link.company_partner_id.display_name,
                    )
                )

    # (the owner follows the company: its change is the company's)
    _crm_event_skip_fields = frozenset({"company_id"})

    # ------------------------------------------------------------------------------------------
    # Writing, with the customer's event log (crm.partner.event): one batch per ORM call
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._unset_main(
            [
                (vals["company_partner_id"], vals["role_id"])
                for vals in vals_list
                if vals.get("is_main") and vals.get("company_partner_id") and vals.get("role_id")
            ]
        )
        links = super().create(vals_list)
        Event = self.env["crm.partner.event"]
        Event._log(Event._presence(links, "created"))
        return links

    def write(self, vals):
        if vals.get("is_main"):
            self._unset_main(
                [
                    (
                        vals.get("company_partner_id", link.company_partner_id.id),
                        vals.get("role_id", link.role_id.id),
                    )
                    for link in self
                ],
                exclude=self.ids,
            )
        return self.env["crm.partner.event"]._logged_write(
            self, vals, super().write, moving=("company_partner_id", "contact_id")
        )

    def unlink(self):
        Event = self.env["crm.partner.event"]
        vals_list = Event._presence(self.exists(), "removed")
        result = super().unlink()
        Event._log(vals_list)
        return result

    @api.model
    def _unset_main(self, pairs, exclude=()):
        """Before links become the main contacts of their roles, the previous main contacts
        of those roles (pairs: (company partner id, role id)) stop being it - one search and
        one write (logged) for all."""
        pairs = {(company, role) for company, role in pairs if company and role}
        if not pairs:
            return
        previous = self.search(
            [
                ("company_partner_id", "in", sorted({company for company, _r in pairs})),
                ("role_id", "in", sorted({role for _c, role in pairs})),
                ("is_main", "=", True),
                ("id", "not in", list(exclude)),
            ]
        ).filtered(lambda link: (link.company_partner_id.id, link.role_id.id) in pairs)
        if previous:
            self.env["crm.partner.event"]._logged_write(
                previous, {"is_main": False}, super(CrmPartnerLink, previous).write
            )
            previous.flush_recordset(["is_main"])
