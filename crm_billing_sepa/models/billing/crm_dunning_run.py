from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_date

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools.boundary import Bool, Date, Selection, one_record, public
from odoo.addons.crm_core.tools.state import StateError

FEE_MODES = [
    ("none", "No Fees"),
    ("invoice", "Separate Fee Invoice"),
    ("lines", "Lines on the Next Invoice"),
]


class CrmDunningRun(models.Model):
    """A dunning run: proposes one letter per overdue customer (the highest level of its
    invoices wins), then confirms them: levels and dates on customers and invoices, fees,
    chronicle entries. Idempotent per day: a customer gets at most one letter a day, and an
    invoice is dunned again only when it reaches a higher level."""

    _name = "crm.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "crm.state.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    fee_mode = fields.Selection(
        FEE_MODES,
        "Fees",
        required=True,
        default="invoice",
        help="Book the fees and interest of each letter as a separate fee invoice, or as "
        "lines on the customer's next services invoice, or not at all.",
    )
    state = fields.Selection(
        [("draft", "Proposed"), ("done", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    letter_ids = fields.One2many("crm.dunning.letter", "run_id", "Letters")
    letter_count = fields.Integer(compute="_compute_totals")
    amount_due = fields.Monetary("Overdue", compute="_compute_totals")
    amount_fees = fields.Monetary("Fees and Interest", compute="_compute_totals")

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Dunning run %(date)s", date=format_date(self.env, run.date) if run.date else ""
            )

    @api.depends("letter_ids.amount_due", "letter_ids.fee_amount", "letter_ids.interest_amount")
    def _compute_totals(self):
        for run in self:
            letters = run.letter_ids.filtered(lambda le: le.state != "cancel")
            run.letter_count = len(letters)
            run.amount_due = sum(letters.mapped("amount_due"))
            run.amount_fees = sum(letters.mapped("fee_amount")) + sum(
                letters.mapped("interest_amount")
            )

    def _state_actions(self):
        return self.env._("Propose Letters, Confirm")

    def write(self, vals):
        done = self.filtered(lambda run: run.state == "done")
        if done and not self.env.su and {"date", "company_id", "fee_mode"} & set(vals):
            self.check_access("write")
            raise StateError(
                self.env._(
                    "%(run)s is confirmed: its date, company and fees can no longer change.",
                    run=done[0].name,
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Proposal
    # ------------------------------------------------------------------------------------------
    def _overdue_rows(self):
        """Overdue open customer invoices of the run's company, in one query: customers
        with a dunning block, invoices paid another way (account.move's hook
        _crm_dunning_skip_domain: in a direct debit) and customers who already have a letter
        of this day are left out."""
        self.ensure_one()
        Move = self.env["account.move"]
        Move.check_access("read")
        skip = Move._crm_dunning_skip_domain()
        skipped = (
            SQL("AND m.id NOT IN (%s)", Move.sudo()._search(skip).subselect())
            if not skip.is_false()
            else SQL()
        )
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.invoice_date_due,
                       m.amount_residual_signed, m.crm_dunning_level_id, m.crm_dunning_date
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                 WHERE m.company_id = %(company)s
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.amount_residual_signed > 0
                   AND m.invoice_date_due < %(date)s
                   AND p.crm_dunning_block IS NOT TRUE
                   %(skipped)s
                   AND NOT EXISTS (
                        SELECT 1 FROM crm_dunning_letter d
                         WHERE d.partner_id = m.commercial_partner_id
                           AND d.company_id = m.company_id
                           AND d.date = %(date)s
                           AND d.state != 'cancel')
                 ORDER BY m.commercial_partner_id, m.invoice_date_due, m.id
                """,
                company=self.company_id.id,
                date=self.date,
                skipped=skipped,
            )
        )

    def action_propose(self):
        """(Re)compute the proposed letters of these draft runs."""
        self.check_access("write")
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._("%(run)s is confirmed: it cannot be proposed again.", run=run.name)
                )
            run.letter_ids.filtered(lambda le: le.state == "draft").unlink()
            run._propose()
        return True

    def _propose(self):
        """The letters of this run. Proposals of a company take turns on all servers
        (crm_core/tools/concurrency.py): one that had to wait runs again and leaves out the
        customers the other one wrote to today."""
        self.ensure_one()
        concurrency.exclusive(self.env, "crm_billing_sepa.dunning", self.company_id.id)
        levels = self.env["crm.dunning.level"].search([("company_id", "=", self.company_id.id)])
        if not levels:
            raise UserError(
                self.env._(
                    "Dunning run %(run)s: define the dunning levels of %(company)s first.",
                    run=self.name,
                    company=self.company_id.name,
                )
            )
        level_days = [(level.days, level) for level in levels.sorted("days")]
        all_days = {
            level.id: level.days
            for level in levels.with_context(active_test=False).search(
                [("company_id", "=", self.company_id.id), ("active", "in", (True, False))]
            )
        }
        currency = self.company_id.currency_id
        by_partner = {}
        for move_id, partner_id, due, residual, current, last in self._overdue_rows():
            days = (self.date - due).days
            level = False
            for level_min, candidate in level_days:
                if days >= level_min:
                    level = candidate
            by_partner.setdefault(partner_id, []).append(
                (move_id, due, residual, days, level, all_days.get(current, 0), last)
            )
        letters = []
        for partner_id, rows in by_partner.items():
            escalated = [
                row[4] for row in rows if row[4] and row[4].days > row[5]
            ]  # invoices that reach a higher level than they have
            if not escalated:
                continue
            letter_level = max(escalated, key=lambda level: level.days)
            charge = self.fee_mode != "none"
            rate = letter_level.interest_rate if charge else 0.0
            lines = []
            for move_id, due, residual, days, level, _current, last in rows:
                since = max(due, last) if last else due
                interest_days = max((self.date - since).days, 0)
                interest = currency.round(residual * rate / 100.0 * interest_days / 365.0)
                lines.append(
                    Command.create(
                        {
                            "move_id": move_id,
                            "date_due": due,
                            "days_overdue": days,
                            "amount_residual": residual,
                            "level_id": level.id if level else False,
                            "interest_days": interest_days,
                            "interest": interest,
                        }
                    )
                )
            letters.append(
                {
                    "run_id": self.id,
                    "partner_id": partner_id,
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "level_id": letter_level.id,
                    "fee_amount": letter_level.fee if charge else 0.0,
                    "line_ids": lines,
                }
            )
        return (
            self.env["crm.dunning.letter"]
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(letters)
        )

    # ------------------------------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------------------------------
    def action_confirm(self):
        """Confirm draft runs: their proposed letters are confirmed (levels, fees,
        chronicle)."""
        for run in self:
            if run.state != "draft":
                continue
            letters = run.letter_ids.filtered(lambda le: le.state == "draft")
            letters._confirm(run.fee_mode)
            run._write_state({"state": "done"})
        return True

    def action_print(self):
        letters = self.letter_ids.filtered(lambda le: le.state in ("done", "sent"))
        if not letters:
            raise UserError(self.env._("There are no confirmed letters to print."))
        return self.env.ref("crm_billing_sepa.crm_dunning_letter_report").report_action(letters)

    def action_send(self):
        letters = self.letter_ids.filtered(lambda le: le.state == "done")
        letters.action_send()
        return True

    @one_record
    def action_open_letters(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "crm.dunning.letter",
            "view_mode": "list,form",
            "domain": [("run_id", "=", self.id)],
        }

    @api.model
    @public(
        date=Date(required=False),
        fee_mode=Selection([mode for mode, _label in FEE_MODES]),
        confirm=Bool(),
    )
    def run_dunning(self, date=False, fee_mode="invoice", confirm=True):
        """Propose (and confirm) a dunning run of the current company for `date` (default
        today); returns {"run_id", "letter_ids"}. For schedulers and integrations."""
        date = date or fields.Date.context_today(self)
        run = self.create({"date": date, "fee_mode": fee_mode})
        letters = run._propose()
        if confirm:
            run.action_confirm()
        return {"run_id": run.id, "letter_ids": letters.ids}
