import logging
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmAbcAnalysis(models.AbstractModel):
    """The ABC analysis of a company's customers, in one SQL statement per company.

    Revenue = posted customer invoices minus credit notes (untaxed, company currency) whose
    invoice date lies in the company's ABC period. Customers are ranked by revenue; a
    customer gets the first class whose threshold is above the share of total revenue of the
    customers ranked before it (so the customer crossing the 80 % mark is still an A);
    customers without (positive) revenue get the last class.
    Classes set by hand are kept. Each class change leaves a tracking message in the
    partner's chatter, written by the same statement, so the number of statements does not
    depend on the number of partners or invoice lines; the changes are then handed in one
    call to res.partner._crm_on_class_changes (crm_chronicle logs them there)."""

    _name = "crm.abc.analysis"
    _description = "Customer ABC Analysis"

    def init(self):
        """Leave 10 % free space in the pages of res_partner, so that the nightly update of
        classes (columns without index) can stay on the same page (PostgreSQL "HOT" update)
        instead of writing a new entry into each of the table's many indexes. Applies to
        pages written from now on."""
        self.env.cr.execute("ALTER TABLE res_partner SET (fillfactor = 90)")

    @api.model
    def _period(self, company, today=None):
        today = today or fields.Date.context_today(self)
        return today - relativedelta(months=company.crm_abc_months or 12), today

    @api.model
    def _run(self, company, partner_ids=None, today=None):
        """Recompute the classes of `company`'s customers (only of `partner_ids` if given,
        still ranked among all customers). Returns the number of class changes."""
        company.ensure_one()
        company._crm_ensure_classes()
        self.env.flush_all()
        date_from, date_to = self._period(company, today)
        field = self.env["ir.model.fields"]._get("res.partner", "crm_class_id")
        subtype = self.env.ref("mail.mt_note")
        author = self.env.user.partner_id
        key = str(company.id)
        restrict = SQL("TRUE")
        if partner_ids is not None:
            restrict = SQL("r.partner_id = ANY(%s)", list(partner_ids) or [0])
        query = SQL(
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
    SELECT s.id AS partner_id, s.old_class_id, s.manual,
           COALESCE(r.revenue, 0) AS revenue,
           CASE WHEN r.revenue > 0 THEN
               100.0 * (SUM(r.revenue) FILTER (WHERE r.revenue > 0) OVER (
                            ORDER BY r.revenue DESC NULLS LAST, s.id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - r.revenue)
                     / SUM(r.revenue) FILTER (WHERE r.revenue > 0) OVER ()
           END AS share_before
      FROM scope s LEFT JOIN revenue r ON r.partner_id = s.id
),
result AS (
    SELECT r.partner_id, r.revenue, r.old_class_id, r.manual,
           COALESCE(
               (SELECT c.id FROM classes c WHERE r.share_before < c.threshold
                 ORDER BY c.sequence, c.id LIMIT 1),
               (SELECT id FROM lowest)) AS class_id
      FROM ranked r
     WHERE %(restrict)s
),
updated AS (
    UPDATE res_partner p
       SET crm_abc_revenue = COALESCE(p.crm_abc_revenue, '{}'::jsonb)
                             || jsonb_build_object(%(key)s, ROUND(x.revenue::numeric, 2)),
           crm_class_id = CASE WHEN x.manual THEN p.crm_class_id
                               ELSE COALESCE(p.crm_class_id, '{}'::jsonb)
                                    || jsonb_build_object(%(key)s, x.class_id) END,
           write_date = CASE WHEN x.manual OR x.class_id IS NOT DISTINCT FROM x.old_class_id
                             THEN p.write_date ELSE NOW() AT TIME ZONE 'UTC' END
      FROM result x
     WHERE p.id = x.partner_id
       AND ((p.crm_abc_revenue ->> %(key)s)::numeric IS DISTINCT FROM ROUND(x.revenue::numeric, 2)
            OR (NOT x.manual AND x.class_id IS DISTINCT FROM x.old_class_id))
    RETURNING p.id
),
changed AS (
    SELECT x.partner_id, x.old_class_id, x.class_id
      FROM result x
     WHERE NOT x.manual AND x.class_id IS DISTINCT FROM x.old_class_id
),
messages AS (
    INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id, body,
                              date, is_internal, email_add_signature,
                              create_uid, create_date, write_uid, write_date)
    SELECT 'res.partner', ch.partner_id, 'notification', %(subtype)s, %(author)s, '',
           NOW() AT TIME ZONE 'UTC', TRUE, FALSE,
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM changed ch
    RETURNING id, res_id
),
tracked AS (
INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_integer,
                                 old_value_char, new_value_integer, new_value_char,
                                 create_uid, create_date, write_uid, write_date)
SELECT %(field)s, m.id, ch.old_class_id, COALESCE(oc.name ->> %(lang)s, oc.name ->> 'en_US'),
       ch.class_id, COALESCE(nc.name ->> %(lang)s, nc.name ->> 'en_US'),
       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
  FROM messages m
  JOIN changed ch ON ch.partner_id = m.res_id
  LEFT JOIN crm_partner_class oc ON oc.id = ch.old_class_id
  LEFT JOIN crm_partner_class nc ON nc.id = ch.class_id
RETURNING mail_message_id, old_value_integer, new_value_integer
)
SELECT m.res_id, t.old_value_integer, t.new_value_integer
  FROM tracked t JOIN messages m ON m.id = t.mail_message_id
            """,
            company=company.id,
            key=key,
            date_from=date_from,
            date_to=date_to,
            restrict=restrict,
            subtype=subtype.id,
            author=author.id,
            uid=self.env.uid,
            field=field.id,
            lang=self.env.lang or "en_US",
        )
        self.env.cr.execute(query)
        changes = self.env.cr.fetchall()
        self.env["res.partner"].invalidate_model(
            ["crm_class_id", "crm_abc_revenue", "write_date", "message_ids"]
        )
        self.env["mail.message"].invalidate_model()
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
    def _cron_run(self):
        """Nightly: recompute the classes of every company, committing after each."""
        companies = self.env["res.company"].search([])
        self.env["ir.cron"]._commit_progress(remaining=len(companies))
        for company in companies:
            start = time.monotonic()
            changes = self._run(company)
            _logger.info(
                "ABC analysis of %s: %d class changes in %.1f s",
                company.name,
                changes,
                time.monotonic() - start,
            )
            self.env["ir.cron"]._commit_progress(1)
