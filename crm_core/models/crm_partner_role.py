from odoo import api, fields, models

RANKS = [("customer", "Customer rank"), ("supplier", "Supplier rank")]


class CrmPartnerRole(models.Model):
    """A role a partner plays for us (customer, prospect, supplier, competitor, ...).

    A partner holds several roles at once. Roles without a company are offered in every
    company; a company can add its own. A role linked to an Odoo rank is kept consistent with
    ``customer_rank`` / ``supplier_rank``: a partner whose rank becomes positive gets the role,
    a partner given the role gets a positive rank."""

    _name = "crm.partner.role"
    _description = "Partner Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code used by the suite (customer, prospect, supplier, reseller, "
        "competitor, other) and by integrations.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to offer the role in every company."
    )
    rank = fields.Selection(
        RANKS,
        string="Linked Odoo Rank",
        help="Keeps the role and Odoo's rank consistent: the first posted customer invoice "
        "gives the customer role (and removes the role 'prospect').",
    )

    _unique_code = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "A role code must be unique per company.",
    )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        """Roles are few: a search used inside a partner domain (the Customers menu's
        ``crm_role_ids.code = customer``) is resolved at once, so that PostgreSQL reads
        ``role_id IN (1)`` and knows from its statistics how many partners have the role. As
        a sub-query it guessed a few hundred customers out of 100,000 and sorted all of them
        for the first page (1.4 s instead of a few ms). Searches with an order, a limit or an
        offset (search(), name_search) keep the query as it is."""
        query = super()._search(domain, offset, limit, order, **kwargs)
        if limit is None and not offset and not order and not query.is_empty():
            return self.browse(query.get_result_ids())._as_query(ordered=False)
        return query

    @api.model
    def _get_by_code(self, code):
        """The role of that code for the current company (own role before shared one)."""
        return self.sudo().search(
            [("code", "=", code), ("company_id", "in", [False, self.env.company.id])],
            order="company_id",
            limit=1,
        )
