from odoo import fields, models, tools
from odoo.tools import SQL


class CrmRevenueReport(models.Model):
    """Revenue per customer: one row per posted customer invoice or credit note (credit
    notes negative), untaxed, in company currency; with the customer's class and main role
    so that pivot and graph group by month, year (with prior-year comparison), class and
    role."""

    _name = "crm.revenue.report"
    _description = "Customer Revenue Statistics"
    _auto = False
    _order = "date desc"
    _rec_name = "move_id"

    date = fields.Date("Invoice Date", readonly=True)
    move_id = fields.Many2one("account.move", "Document", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")], "Type", readonly=True
    )
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    country_id = fields.Many2one("res.country", "Country", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Currency", readonly=True)
    class_id = fields.Many2one("crm.partner.class", "Class", readonly=True)
    role_id = fields.Many2one(
        "crm.partner.role", "Main Role", readonly=True, help="The customer's first role."
    )
    revenue = fields.Monetary("Revenue", readonly=True, currency_field="currency_id")
    invoice_count = fields.Integer("Documents", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %(table)s AS (
    SELECT m.id AS id,
           m.id AS move_id,
           m.invoice_date AS date,
           m.move_type AS move_type,
           m.commercial_partner_id AS partner_id,
           p.country_id AS country_id,
           m.invoice_user_id AS user_id,
           m.company_id AS company_id,
           c.currency_id AS currency_id,
           (p.crm_class_id ->> m.company_id::text)::int AS class_id,
           (SELECT r.id FROM crm_partner_role_rel rr
              JOIN crm_partner_role r ON r.id = rr.role_id
             WHERE rr.partner_id = p.id
             ORDER BY r.sequence, r.id LIMIT 1) AS role_id,
           m.amount_untaxed_signed AS revenue,
           1 AS invoice_count
      FROM account_move m
      JOIN res_partner p ON p.id = m.commercial_partner_id
      JOIN res_company c ON c.id = m.company_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
)""",
                table=SQL.identifier(self._table),
            )
        )
