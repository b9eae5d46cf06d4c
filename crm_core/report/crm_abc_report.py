from odoo import fields, models, tools
from odoo.tools import SQL


class CrmAbcReport(models.Model):
    """The ABC chart: one row per customer and company with its class and its revenue of
    the last ABC analysis, and its shares of the company's revenue and customers, so that
    grouping by class gives the share of revenue and of customers per class."""

    _name = "crm.abc.report"
    _description = "ABC Analysis Chart"
    _auto = False
    _order = "revenue desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Currency", readonly=True)
    class_id = fields.Many2one("crm.partner.class", "Class", readonly=True)
    manual = fields.Boolean("Set by Hand", readonly=True)
    revenue = fields.Monetary("Revenue", readonly=True, currency_field="currency_id")
    revenue_share = fields.Float("Share of Revenue (%)", readonly=True, digits=(16, 2))
    customer_share = fields.Float("Share of Customers (%)", readonly=True, digits=(16, 2))
    customer_count = fields.Integer("Customers", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %(table)s AS (
    WITH rows AS (
        SELECT p.id AS partner_id, c.id AS company_id, c.currency_id,
               (p.crm_class_id ->> c.id::text)::int AS class_id,
               COALESCE((p.crm_class_manual ->> c.id::text)::boolean, FALSE) AS manual,
               COALESCE((p.crm_abc_revenue ->> c.id::text)::numeric, 0) AS revenue
          FROM res_partner p
          JOIN res_company c ON p.crm_class_id ? c.id::text
         WHERE p.active AND p.crm_class_id IS NOT NULL
    )
    SELECT ROW_NUMBER() OVER (ORDER BY company_id, partner_id) AS id,
           partner_id, company_id, currency_id, class_id, manual, revenue,
           100.0 * GREATEST(revenue, 0)
               / NULLIF(SUM(GREATEST(revenue, 0)) OVER (PARTITION BY company_id), 0)
               AS revenue_share,
           100.0 / COUNT(*) OVER (PARTITION BY company_id) AS customer_share,
           1 AS customer_count
      FROM rows
)""",
                table=SQL.identifier(self._table),
            )
        )
