from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import CrmCoreAccountCommon


@tagged("post_install", "-at_install")
class TestStatistics(CrmCoreAccountCommon):
    def test_revenue_by_year_class_and_role(self):
        today = fields.Date.today()
        big = self._customer("Großkunde AG", customer_rank=1)
        small = self._customer("Kleinkunde s.r.o.", customer_rank=1)
        self._post(big, 1000, invoice_date=today)
        last_year = today - relativedelta(years=1, days=1)  # outside the 12-month ABC period
        self._post(big, 400, invoice_date=last_year)
        self._post(big, 100, move_type="out_refund", invoice_date=today)
        self._post(small, 50, invoice_date=today)
        self._post(small, 999, post=False)
        self.env["crm.abc.analysis"]._run(self.company)
        self.env.flush_all()
        Report = self.env["crm.revenue.report"].with_user(self.crm_user)
        domain = [("partner_id", "in", (big | small).ids)]
        by_year = Report._read_group(domain, ["partner_id", "date:year"], ["revenue:sum"])
        self.assertEqual(
            {(p.name, year.year): total for p, year, total in by_year},
            {
                ("Großkunde AG", today.year): 900.0,
                ("Großkunde AG", last_year.year): 400.0,
                ("Kleinkunde s.r.o.", today.year): 50.0,
            },
        )
        by_class = Report._read_group(domain, ["class_id"], ["revenue:sum"])
        self.assertEqual({c.name: total for c, total in by_class}, {"A": 1300.0, "B": 50.0})
        by_role = Report._read_group(domain, ["role_id"], ["revenue:sum"])
        self.assertEqual({r.code: total for r, total in by_role}, {"customer": 1350.0})
        # the ABC chart: shares of revenue and customers per class
        Abc = self.env["crm.abc.report"].with_user(self.crm_user)
        rows = Abc._read_group(
            [("company_id", "=", self.company.id)],
            ["class_id"],
            ["revenue_share:sum", "customer_share:sum", "customer_count:sum"],
        )
        shares = {c.name: (round(r, 2), round(s, 2), n) for c, r, s, n in rows}
        self.assertEqual(shares["A"][0], round(100 * 900 / 950, 2))
        self.assertEqual(shares["B"][0], round(100 * 50 / 950, 2))
        # (each share is stored with two decimals)
        self.assertAlmostEqual(sum(s for _r, s, _n in shares.values()), 100.0, delta=0.05)
        self.assertEqual(sum(n for _r, _s, n in shares.values()), Abc.search_count([]))
