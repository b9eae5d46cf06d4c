from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

BATCH_STATES = [
    ("generated", "File Generated"),
    ("sent", "Sent and Booked"),
    ("done", "Settled"),
    ("cancelled", "Cancelled"),
]
MANAGER_GROUP = "crm_billing_sepa.group_sepa_manager"


def to_cents(amount):
    """A monetary float (already rounded to cents by Odoo) to integer cents, exactly."""
    return int(Decimal(repr(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)


class CrmSepaBatch(models.Model):
    """A SEPA payment file: direct debits (pain.008) or credit transfers (pain.001), with
    its lines, the validated file and the one journal entry that books it."""

    _name = "crm.sepa.batch"
    _description = "SEPA Batch"
    _inherit = ["mail.thread", "crm.state.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _made_by_actions = True  # by create_debit_batches / create_transfer_batches only

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    kind = fields.Selection(
        [("debit", "Direct Debit"), ("transfer", "Credit Transfer")],
        required=True,
        readonly=True,
        default="debit",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", readonly=True, default=lambda s: s.env.ref("base.EUR")
    )
    scheme = fields.Selection([("CORE", "CORE"), ("B2B", "B2B")], readonly=True)
    version = fields.Char("File Version", readonly=True)
    batch_booking = fields.Boolean(readonly=True)
    state = fields.Selection(
        BATCH_STATES, default="generated", required=True, readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("crm.sepa.batch.line", "batch_id", "Payments", readonly=True)
    line_count = fields.Integer(readonly=True)
    total_cents = fields.Integer(readonly=True, help="Sum of the payments in euro cents.")
    amount_total = fields.Monetary("Total", compute="_compute_amount_total")
    collection_date = fields.Date(
        readonly=True, help="The earliest collection (or execution) date in the file."
    )
    # the file holds every debtor's complete IBAN
    file = fields.Binary(
        readonly=True, attachment=True, copy=False, groups="crm_core.group_bank_account_number"
    )
    filename = fields.Char(readonly=True)
    journal_id = fields.Many2one("account.journal", "Bank Journal", readonly=True)
    move_id = fields.Many2one("account.move", "Booking Entry", readonly=True, copy=False)
    returned_count = fields.Integer(compute="_compute_returned_count")
    skipped_note = fields.Text(
        "Left Out",
        readonly=True,
        copy=False,
        help="Invoices the file could not carry, each with the reason; the others are in the "
        "file. Correct them (e.g. a name in Latin letters) and collect them again.",
    )

    @api.depends("total_cents")
    def _compute_amount_total(self):
        for batch in self:
            batch.amount_total = batch.total_cents / 100

    def _compute_returned_count(self):
        counts = dict(
            self.env["crm.sepa.batch.line"]._read_group(
                [("batch_id", "in", self.ids), ("state", "=", "returned")],
                ["batch_id"],
                ["__count"],
            )
        )
        for batch in self:
            batch.returned_count = counts.get(batch, 0)

    # ------------------------------------------------------------------------------------------
    # Access; a batch is the record of a file given to the bank: only its actions write it
    # ------------------------------------------------------------------------------------------
    @api.model
    def _guarded_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if field.store and name not in models.MAGIC_COLUMNS and not name.startswith("message_")
        ]

    def _state_actions(self):
        return self.env._("Create Batches, Confirm as Sent, Cancel, the bank statement")

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only SEPA managers create, confirm and cancel SEPA batches.")
            )

    # ------------------------------------------------------------------------------------------
    # States: cancel, confirm (books the batch), settled by the bank statement
    # ------------------------------------------------------------------------------------------
    def action_cancel(self):
        """Cancel generated batches that were not sent: their invoices are free again."""
        self._check_manager()
        for batch in self:
            if batch.state != "generated":
                raise UserError(
                    self.env._(
                        "Batch %(name)s was already sent: register returns instead.",
                        name=batch.name,
                    )
                )
        self.line_ids._write_state({"state": "cancelled"})
        self._write_state({"state": "cancelled"})
        return True

    def action_confirm(self):
        """Confirm that the file was sent to the bank (button and RPC): books ONE journal
        entry per batch (receivables of all invoices against the transfer account, one
        transfer line per payment group as the bank books it) and reconciles the invoices."""
        self._check_manager()
        for batch in self:
            if batch.state != "generated":
                raise UserError(
                    self.env._("Batch %(name)s is not waiting to be sent.", name=batch.name)
                )
            batch._book()
        return True

    def _open_transfer_lines(self):
        account = self.company_id._crm_sepa_transfer_account()
        return self.move_id.line_ids.filtered(
            lambda aml: aml.account_id == account and not aml.reconciled
        )

    def _update_settled(self):
        """Settled: the bank statement line of whoever reconciled it (an accountant, who
        need not be a SEPA manager) matched all of the batch's transfer lines."""
        for batch in self.filtered(lambda b: b.state == "sent"):
            if not batch._open_transfer_lines():
                batch.sudo()._write_state({"state": "done"})
