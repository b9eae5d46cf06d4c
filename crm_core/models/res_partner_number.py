"""res.partner: debtor and creditor numbers (crm.partner.number) of the current company,
as two fields of the customer record; assigned from the company's number ranges when a
partner becomes a customer or supplier."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools.boundary import Records, Selection, public


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_number_ids = fields.One2many(
        "crm.partner.number",
        "partner_id",
        string="Debtor/Creditor Numbers",
        groups="crm_core.group_user",
    )
    crm_debtor_number = fields.Char(
        "Debtor Number",
        compute="_compute_crm_numbers",
        inverse="_inverse_crm_debtor_number",
        search="_search_crm_debtor_number",
        help="The customer's number in the current company's accounts receivable "
        "(German: Debitorennummer). Assigned when the partner first becomes a customer.",
    )
    crm_creditor_number = fields.Char(
        "Creditor Number",
        compute="_compute_crm_numbers",
        inverse="_inverse_crm_creditor_number",
        search="_search_crm_creditor_number",
        help="The supplier's number in the current company's accounts payable "
        "(German: Kreditorennummer). Assigned when the partner first becomes a supplier.",
    )

    # ------------------------------------------------------------------------------------------
    # The numbers of the current company as fields
    # ------------------------------------------------------------------------------------------
    @api.depends_context("company")
    @api.depends("commercial_partner_id", "crm_number_ids.name")
    def _compute_crm_numbers(self):
        numbers = (
            self.env["crm.partner.number"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "kind", "name"],
            )
        )
        by_key = {(n.partner_id.id, n.kind): n.name for n in numbers}
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.crm_debtor_number = by_key.get((commercial, "debtor"), False)
            partner.crm_creditor_number = by_key.get((commercial, "creditor"), False)

    def _inverse_crm_debtor_number(self):
        self._crm_set_numbers("debtor")

    def _inverse_crm_creditor_number(self):
        self._crm_set_numbers("creditor")

    def _crm_set_numbers(self, kind):
        """Write the numbers of `kind` of self in the current company: one query for the
        existing numbers, one create, one unlink for all (an import sets thousands). A
        contact person shows its company's number; an empty number written on the person
        (as an import or a batch create of a company with its persons does) does not delete
        the company's number."""
        partners = self.filtered(lambda p: p[f"crm_{kind}_number"] or p.commercial_partner_id == p)
        partners._crm_check_numbers_free(kind)
        Number = self.env["crm.partner.number"]
        company = self.env.company
        wanted = {}
        for partner in partners:
            wanted[partner.commercial_partner_id.id] = partner[f"crm_{kind}_number"]
        existing = {
            number.partner_id.id: number
            for number in Number.search_fetch(
                [
                    ("partner_id", "in", list(wanted)),
                    ("company_id", "=", company.id),
                    ("kind", "=", kind),
                ],
                ["partner_id", "name"],
            )
        }
        to_unlink = Number
        vals_list = []
        for partner_id, value in wanted.items():
            number = existing.get(partner_id)
            if not value:
                to_unlink |= number or Number
            elif number:
                if number.name != value:
                    number.name = value
            else:
                vals_list.append(
                    {
                        "partner_id": partner_id,
                        "company_id": company.id,
                        "kind": kind,
                        "name": value,
                    }
                )
        to_unlink.unlink()
        Number.create(vals_list)

    def _crm_search_number(self, kind, operator, value):
        if operator not in ("in", "ilike", "=ilike", "like", "=like"):
            return NotImplemented
        numbers = (
            self.env["crm.partner.number"]
            .sudo()
            ._search(
                [
                    ("kind", "=", kind),
                    ("company_id", "=", self.env.company.id),
                    ("name", operator, value),
                ]
            )
        )
        return Domain("commercial_partner_id", "in", numbers.subselect("partner_id"))

    def _search_crm_debtor_number(self, operator, value):
        return self._crm_search_number("debtor", operator, value)

    def _search_crm_creditor_number(self, operator, value):
        return self._crm_search_number("creditor", operator, value)

    def _crm_check_numbers_free(self, kind):
        """Refuse a number that another partner holds (or that two partners of this batch
        get), naming both, before the database's unique index answers in SQL terms."""
        field = f"crm_{kind}_number"
        wanted = {p: p[field] for p in self if p[field]}
        if not wanted:
            return
        company = self.env.company
        taken = (
            self.env["crm.partner.number"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", kind),
                    ("name", "in", list(set(wanted.values()))),
                ],
                ["name", "partner_id"],
            )
        )
        holders = {number.name: number.partner_id for number in taken}
        kinds = dict(
            self.env["crm.partner.number"]._fields["kind"]._description_selection(self.env)
        )
        for partner, value in wanted.items():
            commercial = partner.commercial_partner_id
            other = holders.setdefault(value, commercial)
            if other != commercial:
                raise ValidationError(
                    self.env._(
                        "%(kind)s number %(number)s of %(partner)s is already used by "
                        "%(other)s in company %(company)s.",
                        kind=kinds[kind],
                        number=value,
                        partner=commercial.display_name,
                        other=other.display_name,
                        company=company.name,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # Assigning numbers from the company's number ranges
    # ------------------------------------------------------------------------------------------
    def _crm_assign_numbers(self, kind):
        """Give the commercial partners of self a number of `kind` in their company (or the
        current one) unless they have one; return the numbers created."""
        commercial = self.commercial_partner_id
        if not commercial:
            return self.env["crm.partner.number"]
        Number = self.env["crm.partner.number"].sudo()
        existing = Number.search_fetch(
            [("partner_id", "in", commercial.ids), ("kind", "=", kind)],
            ["partner_id", "company_id"],
        )
        have = {(n.partner_id.id, n.company_id.id) for n in existing}
        missing = {}  # company: partners without a number there, in order
        for partner in commercial:
            company = partner.company_id or self.env.company
            if (partner.id, company.id) not in have:
                have.add((partner.id, company.id))
                missing.setdefault(company, []).append(partner)
        vals_list = []
        for company, partners in missing.items():
            numbers = company._crm_next_numbers(kind, len(partners))
            vals_list += [
                {"partner_id": partner.id, "company_id": company.id, "kind": kind, "name": name}
                for partner, name in zip(partners, numbers, strict=True)
            ]
        return Number.create(vals_list)

    def action_assign_debtor_number(self):
        """Assign a debtor number to these partners where missing (button and RPC)."""
        self.check_access("write")
        self._crm_assign_numbers("debtor")
        return True

    def action_assign_creditor_number(self):
        """Assign a creditor number to these partners where missing (button and RPC)."""
        self.check_access("write")
        self._crm_assign_numbers("creditor")
        return True

    @api.model
    @public(partner_ids=Records("res.partner"), kind=Selection(("debtor", "creditor")))
    def crm_assign_numbers(self, partner_ids, kind):
        """Give the partners `partner_ids` (their commercial entities) a debtor or creditor
        number (`kind`) of their company's number range where they have none; return
        {partner id: number} of all of them."""
        partner_ids.check_access("write")
        partner_ids._crm_assign_numbers(kind)
        partner_ids.invalidate_recordset([f"crm_{kind}_number"])
        return {partner.id: partner[f"crm_{kind}_number"] for partner in partner_ids}

    def _crm_assign_numbers_by_rank(self):
        customers = self.filtered(lambda p: p.customer_rank > 0)
        suppliers = self.filtered(lambda p: p.supplier_rank > 0)
        if customers:
            customers._crm_assign_numbers("debtor")
        if suppliers:
            suppliers._crm_assign_numbers("creditor")
