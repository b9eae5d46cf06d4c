from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_number_ids = fields.One2many(
        "crm.partner.number", "partner_id", string="Debtor/Creditor Numbers"
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
        Number = self.env["crm.partner.number"]
        company = self.env.company
        for partner in self:
            value = partner[f"crm_{kind}_number"]
            commercial = partner.commercial_partner_id
            existing = Number.search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", company.id),
                    ("kind", "=", kind),
                ]
            )
            if not value:
                existing.unlink()
            elif existing:
                existing.name = value
            else:
                Number.create(
                    {
                        "partner_id": commercial.id,
                        "company_id": company.id,
                        "kind": kind,
                        "name": value,
                    }
                )

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

    # ------------------------------------------------------------------------------------------
    # Assignment
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
        vals_list = []
        for partner in commercial:
            company = partner.company_id or self.env.company
            if (partner.id, company.id) not in have:
                have.add((partner.id, company.id))
                vals_list.append(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "kind": kind,
                        "name": company._crm_next_number(kind),
                    }
                )
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

    def _crm_assign_numbers_by_rank(self):
        customers = self.filtered(lambda p: p.customer_rank > 0)
        suppliers = self.filtered(lambda p: p.supplier_rank > 0)
        if customers:
            customers._crm_assign_numbers("debtor")
        if suppliers:
            suppliers._crm_assign_numbers("creditor")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._crm_assign_numbers_by_rank()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("customer_rank") or vals.get("supplier_rank"):
            self._crm_assign_numbers_by_rank()
        return result
