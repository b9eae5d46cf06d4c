from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_amount, split_every

from odoo.addons.crm_core.tools.state import StateError

LETTER_STATES = [
    ("draft", "Proposed"),
    ("done", "Confirmed"),
    ("sent", "Sent"),
    ("cancel", "Cancelled"),
]
FEE_STATES = [
    ("none", "None"),
    ("to_invoice", "To Invoice"),
    ("invoiced", "Invoiced"),
]


class CrmDunningLetter(models.Model):
    """One dunning letter to one customer, listing all its overdue invoices."""

    _name = "crm.dunning.letter"
    _description = "Dunning Letter"
    _inherit = ["mail.thread", "crm.billing.state.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one("crm.dunning.run", "Dunning Run", ondelete="cascade", index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    level_id = fields.Many2one("crm.dunning.level", "Level", required=True, index=True)
    state = fields.Selection(
        LETTER_STATES, default="draft", required=True, readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("crm.dunning.letter.line", "letter_id", "Overdue Invoices")
    amount_due = fields.Monetary("Overdue", compute="_compute_amounts", store=True)
    interest_amount = fields.Monetary("Interest", compute="_compute_amounts", store=True)
    fee_amount = fields.Monetary("Fee")
    amount_total = fields.Monetary("Total", compute="_compute_amounts", store=True)
    fee_state = fields.Selection(FEE_STATES, default="none", required=True, readonly=True)
    fee_move_id = fields.Many2one("account.move", "Fee Invoice", readonly=True, copy=False)
    chronicle_entry_id = fields.Many2one(
        "crm.chronicle.entry", "Chronicle Entry", readonly=True, ondelete="set null"
    )
    letter_text = fields.Text(compute="_compute_letter_text")

    _one_letter_a_day = models.UniqueIndex(
        "(partner_id, company_id, date) WHERE state != 'cancel'",
        "A customer gets one dunning letter a day.",
    )
    # what only the run's confirmation, sending and invoicing write (crm.billing.state.mixin)
    _action_fields = ("state", "fee_state", "fee_move_id", "chronicle_entry_id")
    # what a proposed letter's review may change; a confirmed letter keeps what it said
    _letter_fields = frozenset(
        {"partner_id", "company_id", "date", "level_id", "line_ids", "fee_amount", "run_id"}
    )

    @api.depends("line_ids.amount_residual", "line_ids.interest", "fee_amount")
    def _compute_amounts(self):
        for letter in self:
            letter.amount_due = sum(letter.line_ids.mapped("amount_residual"))
            letter.interest_amount = sum(letter.line_ids.mapped("interest"))
            letter.amount_total = letter.amount_due + letter.interest_amount + letter.fee_amount

    @api.depends("level_id", "partner_id.lang")
    def _compute_letter_text(self):
        for letter in self:
            lang = letter.partner_id.lang or self.env.lang
            letter.letter_text = letter.level_id.with_context(lang=lang).letter_text

    @api.depends("partner_id", "date", "level_id")
    def _compute_display_name(self):
        for letter in self:
            letter.display_name = self.env._(
                "%(level)s %(partner)s %(date)s",
                level=letter.level_id.name or "",
                partner=letter.partner_id.name or "",
                date=letter.date or "",
            )

    def _state_actions(self):
        return self.env._("Confirm (on the dunning run), Send by E-mail, Leave Out")

    def write(self, vals):
        confirmed = self.filtered(lambda le: le.state != "draft")
        if confirmed and not self.env.su and self._letter_fields & set(vals):
            self.check_access("write")
            raise StateError(
                self.env._(
                    "The dunning letter %(letter)s is confirmed or left out: what it says can "
                    "no longer change.",
                    letter=confirmed[0].display_name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        done = self.filtered(lambda le: le.state in ("done", "sent"))
        if done:
            raise UserError(
                self.env._(
                    "The dunning letter %(letter)s is confirmed and cannot be deleted.",
                    letter=done[0].display_name,
                )
            )

    def action_cancel(self):
        """Leave proposed letters out of their run."""
        done = self.filtered(lambda le: le.state != "draft")
        if done:
            raise UserError(
                self.env._(
                    "Only proposed letters can be cancelled; %(letter)s is confirmed.",
                    letter=done[0].display_name,
                )
            )
        self._write_state({"state": "cancel"})
        return True

    def _confirm(self, fee_mode):
        """Confirm these proposed letters: level and date on customers and invoices (a few
        UPDATEs for all), fees, one chronicle entry per letter."""
        letters = self.filtered(lambda le: le.state == "draft")
        if not letters:
            return
        letters.check_access("write")
        self.env.flush_all()
        partner_rows, move_rows = [], []
        for letter in letters:
            partner_rows.append((letter.partner_id.id, letter.level_id.id, letter.date))
            move_rows.extend(
                (line.move_id.id, (line.level_id or letter.level_id).id, letter.date)
                for line in letter.line_ids
            )
        for table, rows in (("res_partner", partner_rows), ("account_move", move_rows)):
            for chunk in split_every(10000, rows):
                self.env.cr.execute(
                    SQL(
                        """UPDATE %(table)s t
                              SET crm_dunning_level_id = v.level_id, crm_dunning_date = v.day
                             FROM (VALUES %(values)s) AS v(id, level_id, day)
                            WHERE t.id = v.id""",
                        table=SQL.identifier(table),
                        values=SQL(", ").join(SQL("(%s, %s, %s::date)", *row) for row in chunk),
                    )
                )
        self.env["res.partner"].invalidate_model(["crm_dunning_level_id", "crm_dunning_date"])
        self.env["account.move"].invalidate_model(["crm_dunning_level_id", "crm_dunning_date"])
        with_fee = letters.filtered(lambda le: le.fee_amount or le.interest_amount)
        if fee_mode == "invoice":
            with_fee._create_fee_invoices()
        elif fee_mode == "lines":
            with_fee._write_state({"fee_state": "to_invoice"})
        letters._write_state({"state": "done"})
        letters._log_chronicle()

    def _log_chronicle(self):
        """One chronicle entry per letter, created in one batch."""
        Entry = self.env["crm.chronicle.entry"]
        chronicle_type = self.env["crm.chronicle.type"].sudo()._get_by_code("dunning")
        now = fields.Datetime.now()
        vals_list = []
        for letter in self:
            vals_list.append(
                {
                    "partner_id": letter.partner_id.id,
                    "type_id": chronicle_type.id,
                    "name": letter._chronicle_subject(),
                    "date": now,
                    "user_id": self.env.user.id,
                    "company_id": letter.company_id.id,
                    "source_model": self._name,
                    "source_id": letter.id,
                }
            )
        entries = Entry.with_context(tracking_disable=True, mail_create_nolog=True).create(
            vals_list
        )
        self.flush_recordset()
        for chunk in split_every(10000, list(zip(self.ids, entries.ids, strict=True))):
            self.env.cr.execute(
                SQL(
                    """UPDATE crm_dunning_letter l SET chronicle_entry_id = v.entry_id
                         FROM (VALUES %s) AS v(id, entry_id) WHERE l.id = v.id""",
                    SQL(", ").join(SQL("(%s, %s)", *row) for row in chunk),
                )
            )
        self.invalidate_recordset(["chronicle_entry_id"])

    def _chronicle_subject(self):
        self.ensure_one()
        return self.env._(
            "Dunning letter (%(level)s): %(count)s invoices, %(amount)s overdue",
            level=self.level_id.name,
            count=len(self.line_ids),
            amount=format_amount(self.env, self.amount_due, self.currency_id),
        )

    def _fee_lines(self):
        """Invoice line values of this letter's fee and interest."""
        self.ensure_one()
        product = self.env.ref("crm_billing_sepa.product_dunning_fee")
        lines = []
        if self.fee_amount:
            lines.append(
                {
                    "product_id": product.id,
                    "name": self.env._("Dunning fee (%(level)s)", level=self.level_id.name),
                    "quantity": 1,
                    "price_unit": self.fee_amount,
                    "tax_ids": [Command.clear()],
                }
            )
        if self.interest_amount:
            lines.append(
                {
                    "product_id": product.id,
                    "name": self.env._(
                        "Default interest on %(invoices)s",
                        invoices=", ".join(self.line_ids.move_id.mapped("name")),
                    ),
                    "quantity": 1,
                    "price_unit": self.interest_amount,
                    "tax_ids": [Command.clear()],
                }
            )
        return lines

    def _create_fee_invoices(self):
        if not self:
            return
        defaults = self.partner_id._crm_service_invoice_defaults()
        vals_list = []
        for letter in self:
            vals = dict(defaults[letter.partner_id.id])
            vals.update(
                move_type="out_invoice",
                company_id=letter.company_id.id,
                currency_id=letter.currency_id.id,
                invoice_date=letter.date,
                ref=letter.display_name,
                invoice_line_ids=[Command.create(line) for line in letter._fee_lines()],
            )
            vals_list.append(vals)
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
        for letter, move in zip(self, moves, strict=True):
            letter._write_state({"fee_move_id": move.id, "fee_state": "invoiced"})

    def action_print(self):
        return self.env.ref("crm_billing_sepa.crm_dunning_letter_report").report_action(self)

    def action_send(self):
        """Send the confirmed letters by e-mail with their level's template (the PDF
        attached); letters of customers without e-mail are left for printing."""
        self.check_access("write")
        for letter in self.filtered(lambda le: le.state in ("done", "sent")):
            template = letter.level_id.mail_template_id or self.env.ref(
                "crm_billing_sepa.mail_template_dunning_letter"
            )
            if not letter.partner_id.email:
                continue
            letter.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            letter._write_state({"state": "sent"})
        return True
