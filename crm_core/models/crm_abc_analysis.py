import logging
import time
from functools import partial

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.service.model import retrying
from odoo.tools import SQL

from ..tools import concurrency, fastpath, fastpath_abc

_logger = logging.getLogger(__name__)


class CrmAbcAnalysis(models.AbstractModel):
    """The ABC analysis of a company's customers.

    Revenue = posted customer invoices minus credit notes (untaxed, company currency) whose
    invoice date lies in the company's ABC period. Customers are ranked by revenue; a
    customer gets the first class whose threshold is above the share of total revenue of the
    customers ranked before it (so the customer crossing the 80 % mark is still an A);
    customers without (positive) revenue get the last class. Classes set by hand are kept.

    One SQL query ranks all customers of a company (`_ranking`). The new classes and
    revenues, with a tracking message in the partner's chatter per class change, are written
    by the fast path (tools/fastpath_abc.py: one statement, whatever the number of partners)
    or, with the fast paths off or where it steps aside, through the ORM (`_apply_with_orm`)
    - the same rows either way. The changes are then handed in one call to
    res.partner._crm_on_class_changes (crm_chronicle logs them there)."""

    _name = "crm.abc.analysis"
    _description = "Customer ABC Analysis"

    @api.model
    def _period(self, company, today=None):
        today = today or fields.Date.context_today(self)
        return today - relativedelta(months=company.crm_abc_months or 12), today

    @api.model
    def _ranking(self, company, partner_ids=None, today=None):
        """The SQL query of the new class and revenue of each customer of `company` (only
        of `partner_ids` if given, still ranked among all customers): the columns
        partner_id, revenue, old_revenue (NULL: none yet), old_class_id, manual, class_id."""
        date_from, date_to = self._period(company, today)
        restrict = SQL("TRUE")
        if partner_ids is not None:
            restrict = SQL("r.partner_id = ANY(%s)", list(partner_ids) or [0])
        return SQL(
            """
WITH classes AS (
    SELECT c.id, c.name, c.threshold, c.sequence,
           ROW_NUMBER() OVER (ORDER BY c.sequence DESC, c.id DESC) AS from_last
      FROM crm_partner_class c
     WHERE c.company_id = %(company)s AND c.active
),
lowest AS (SELECT id FROM classes WHERE from_last = 1),
scope AS (
    SELECT p.id,
           (p.crm_class_id ->> %(key)s)::int AS old_class_id,
           (p.crm_abc_revenue ->> %(key)s)::numeric AS old_revenue,
           COALESCE((p.crm_class_manual ->> %(key)s)::boolean, FALSE) AS manual
      FROM res_partner p
     WHERE p.active AND p.id = p.commercial_partner_id
       AND (p.company_id IS NULL OR p.company_id = %(company)s)
       AND (p.customer_rank > 0 OR EXISTS (
                SELECT 1 FROM crm_partner_role_rel rr
                  JOIN crm_partner_role ro ON ro.id = rr.role_id
                 WHERE rr.partner_id = p.id AND ro.rank = 'customer'))
),
revenue AS (
    SELECT m.commercial_partner_id AS partner_id, SUM(m.amount_untaxed_signed) AS revenue
      FROM account_move m
     WHERE m.company_id = %(company)s AND m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
     GROUP BY m.commercial_partner_id
),
ranked AS (
    SELECT s.id AS partner_id, s.old_class_id, s.old_revenue, s.manual,
           COALESCE(r.revenue, 0) AS revenue,
           CASE WHEN r.revenue > 0 THEN
               100.0 * (SUM(r.revenue) FILTER (WHERE r.revenue > 0) OVER (
                            ORDER BY r.revenue DESC NULLS LAST, s.id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - r.revenue)
                     / SUM(r.revenue) FILTER (WHERE r.revenue > 0) OVER ()
           END AS share_before
      FROM scope s LEFT JOIN revenue r ON r.partner_id = s.id
)
SELECT r.partner_id, r.revenue, r.old_revenue, r.old_class_id, r.manual,
       COALESCE(
           (SELECT c.id FROM classes c WHERE r.share_before < c.threshold
             ORDER BY c.sequence, c.id LIMIT 1),
           (SELECT id FROM lowest)) AS class_id
  FROM ranked r
 WHERE %(restrict)s
            """,
            company=company.id,
            key=str(company.id),
            date_from=date_from,
            date_to=date_to,
            restrict=restrict,
        )

    @api.model
    def _run(self, company, partner_ids=None, today=None):
        """Recompute the classes of `company`'s customers (only of `partner_ids` if given,
        still ranked among all customers). Returns the number of class changes.

        Runs of a company take turns on all servers (the nightly cron, the button, a class
        set back to automatic): a run that had to wait runs again on what the other one
        wrote, so no class change is tracked twice (tools/concurrency.py)."""
        company.ensure_one()
        concurrency.exclusive(self.env, "crm_core.abc_analysis", company.id)
        company._crm_ensure_classes()
        self.env.flush_all()
        ranking = self._ranking(company, partner_ids, today)
        note = self.env["res.partner"]._crm_note_values()
        if fastpath.enabled(self.env) and fastpath_abc.applicable(self.env):
            changes = fastpath_abc.apply(self.env, company, ranking, note)
        else:
            changes = self._apply_with_orm(company, ranking, note)
        if partner_ids is None:
            # by SQL: an ORM write on res.company would empty every ormcache of the server
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET crm_abc_last_run = NOW() AT TIME ZONE 'UTC' "
                    "WHERE id = %s",
                    company.id,
                )
            )
            company.invalidate_recordset(["crm_abc_last_run"])
        self.env["res.partner"]._crm_on_class_changes(company, changes, by_hand=False)
        return len(changes)

    @api.model
    def _apply_with_orm(self, company, ranking, note):
        """What fastpath_abc.apply writes, through the ORM: the revenues and classes of the
        rows of `ranking` that changed (one write per distinct value), and a tracking message
        per class change. Returns the class changes: [(partner_id, old_class_id,
        new_class_id)]."""
        rows = self.env.execute_query(SQL("%s ORDER BY partner_id", ranking))
        Partner = self.env["res.partner"].sudo().with_company(company).with_context(crm_abc=True)
        by_revenue, by_class, changes = {}, {}, []
        for partner_id, revenue, old_revenue, old_class_id, manual, class_id in rows:
            revenue = round(float(revenue), 2)
            if float(old_revenue or 0) != revenue:
                by_revenue.setdefault(revenue, []).append(partner_id)
            if not manual and class_id != old_class_id:
                by_class.setdefault(class_id, []).append(partner_id)
                changes.append((partner_id, old_class_id, class_id))
        for revenue, ids in by_revenue.items():
            Partner.browse(ids).write({"crm_abc_revenue": revenue})
        for class_id, ids in by_class.items():
            Partner.browse(ids).write({"crm_class_id": class_id})
        if changes:
            classes = self.env["crm.partner.class"].sudo().search([("company_id", "=", company.id)])
            names = {cls.id: cls.display_name for cls in classes.with_context(active_test=False)}
            Partner._crm_log_class_changes(changes, note, names)
        self.env.flush_all()
        return changes

    @api.model
    def _cron_run(self):
        """Nightly: recompute the classes of every company, committing after each (a
        company whose run met another transaction is run again: Odoo's retrying)."""
        companies = self.env["res.company"].search([])
        self.env["ir.cron"]._commit_progress(remaining=len(companies))
        for company in companies:
            start = time.monotonic()
            changes = retrying(partial(self._run, company), self.env)
            _logger.info(
                "ABC analysis of %s: %d class changes in %.1f s",
                company.name,
                changes,
                time.monotonic() - start,
            )
            self.env["ir.cron"]._commit_progress(1)
