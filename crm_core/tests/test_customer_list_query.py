"""The Customers menu's first page with many customers (issue 20: 1.6 s with 100,000 extra
customers). Its domain (customer role, companies and private persons) and its order (Odoo's
customer search mode: customer_rank DESC, complete_name, id DESC) must reach PostgreSQL so
that it reads the first rows from an index instead of sorting every customer."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestCustomerListQuery(TransactionCase):
    def _customers_query(self):
        action = self.env.ref("crm_core.res_partner_action_customers")
        Partner = self.env["res.partner"].with_context(res_partner_search_mode="customer")
        self.assertIn("'res_partner_search_mode': 'customer'", action.context)
        domain = [
            ("crm_role_ids.code", "=", "customer"),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]
        return Partner._search(domain, limit=80, order=Partner._order)

    def test_role_is_given_as_ids(self):
        """The role reaches PostgreSQL as ids (its statistics then know how many partners
        have it), not as a sub-query on the roles (estimated at a few hundred rows, which
        made it sort all customers); a role search of its own keeps its order and limit."""
        sql = self._customers_query().select()
        self.assertNotIn('FROM "crm_partner_role"', sql.code)
        self.assertIn((self.env.ref("crm_core.crm_partner_role_customer").id,), sql.params)
        Role = self.env["crm.partner.role"]
        self.assertEqual(
            Role.search([("code", "in", ["supplier", "customer"])], order="id desc").mapped("code"),
            ["supplier", "customer"],
        )
        self.assertEqual(len(Role.search([], limit=2)), 2)
        self.assertFalse(Role.search([("code", "=", "no such role")]))
        self.assertEqual(
            self.env["res.partner"].search_count([("crm_role_ids.code", "=", "no such role")]),
            0,
        )

    def test_first_page_read_from_the_index(self):
        """With 20,000 customers in the table, the plan of the first page walks an index in the
        list's order and stops after the page (no sort of all customers)."""
        template = self.env["res.partner"].create(
            {"name": "Index Kunde GmbH", "is_company": True, "customer_rank": 3}
        )
        role = self.env.ref("crm_core.crm_partner_role_customer")
        self.assertIn(role, template.crm_role_ids)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'res_partner' AND table_schema = current_schema()
                  AND column_name NOT IN ('id', 'name', 'complete_name', 'customer_rank')"""
        )
        columns = [SQL.identifier(row[0]) for row in cr.fetchall()]
        # copies of the template (every column as it has it), named and ranked apart
        cr.execute(
            SQL(
                """INSERT INTO res_partner (name, complete_name, customer_rank, %(columns)s)
                   SELECT 'Index Kunde ' || n, 'Index Kunde ' || n, 1 + n %% 7, %(values)s
                     FROM res_partner t, generate_series(1, 20000) n WHERE t.id = %(id)s""",
                columns=SQL(", ").join(columns),
                values=SQL(", ").join(SQL("t.%s", c) for c in columns),
                id=template.id,
            )
        )
        cr.execute(
            """INSERT INTO crm_partner_role_rel (partner_id, role_id)
               SELECT id, %s FROM res_partner WHERE name LIKE 'Index Kunde %%'
               ON CONFLICT DO NOTHING""",
            [role.id],
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE crm_partner_role_rel")
        query = self._customers_query()
        cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in cr.fetchall())
        self.assertIn("res_partner_crm_customer_order_idx", plan, plan)
        self.assertNotIn("Sort", plan, plan)
