from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import format_amount

from odoo.addons.crm_core.tools.boundary import some_records
from odoo.addons.crm_core.tools.state import StateError

from ...tools import fastpath_rows

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
    _inherit = ["mail.thread", "crm.state.mixin"]
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
    # what only the run's confirmation, sending and invoicing write (crm.state.mixin)
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
        # the level and date on the customers and the invoices, all at once
        # (tools/fastpath_rows.write; untracked: the letter is the record of it)
        partner_values, move_values = {}, {}
        for letter in letters:
            stamp = {"crm_dunning_level_id": letter.level_id.id, "crm_dunning_date": letter.date}
            partner_values[letter.partner_id] = stamp
            for line in letter.line_ids:
                move_values[line.move_id] = {
                    "crm_dunning_level_id": (line.level_id or letter.level_id).id,
                    "crm_dunning_date": letter.date,
                }
        fastpath_rows.write(partner_values, orm_context={"tracking_disable": True})
        # a stamp of the program, not a change by hand (as Odoo's posting writes invoices)
        fastpath_rows.write(
            move_values,
            orm_context={"tracking_disable": True, "skip_is_manually_modified": True},
        )
        with_fee = letters.filtered(lambda le: le.fee_amount or le.interest_amount)
        if fee_mode == "invoice":
            with_fee._create_fee_invoices()
        elif fee_mode == "lines":
            with_fee._write_state({"fee_state": "to_invoice"})
        letters._write_state({"state": "done"})
        letters._log_chronicle()

    def _log_chronicle(self):
        """One chronicle entry per letter, logged at once (crm_chronicle's crm_log_batch),
        each linked to its letter."""
        Entry = self.env["crm.chronicle.entry"].with_context(
            tracking_disable=True, mail_create_nosubscribe=True, mail_create_nolog=True
        )
        links = {}
        for company in self.company_id:
            letters = self.filtered(lambda le, c=company: le.company_id == c)
            entries = Entry.with_company(company).crm_log_batch(
                [
                    {
                        "partner": letter.partner_id,
                        "type_code": "dunning",
                        "subject": letter._chronicle_subject(),
                        "source": f"{letter._name},{letter.id}",
                    }
                    for letter in letters
                ]
            )
            links.update(
                (letter, {"chronicle_entry_id": entry.id})
                for letter, entry in zip(letters, entries, strict=True)
            )
        fastpath_rows.write(links, orm_context={"tracking_disable": True}, method="_write_state")

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

    @some_records
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
