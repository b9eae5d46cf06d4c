from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.crm_core.tools.boundary import (
    ArgumentError,
    Base64,
    Bool,
    Date,
    Selection,
    Str,
    public,
)

from ...tools import pain
from .crm_sepa_mandate import SEQUENCE_TYPES

LINE_STATES = [
    ("open", "In File"),
    ("collected", "Sent"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]
# ISO 20022 / EPC reason codes of R-transactions. The second value says what happens to the
# mandate: "revoke" (no valid mandate any more), or None.
RETURN_REASONS = {
    "AC01": ("Incorrect account number", None),
    "AC04": ("Closed account number", "revoke"),
    "AC06": ("Blocked account", None),
    "AC13": ("Debtor account is a consumer account (B2B)", None),
    "AG01": ("Transaction forbidden on this account", None),
    "AG02": ("Invalid bank operation code", None),
    "AM04": ("Insufficient funds", None),
    "AM05": ("Duplicate collection", None),
    "BE05": ("Unrecognised initiating party", None),
    "FF01": ("Invalid file format", None),
    "MD01": ("No valid mandate", "revoke"),
    "MD02": ("Missing or incorrect mandate data", None),
    "MD06": ("Refund requested by the debtor", None),
    "MD07": ("Debtor deceased", "revoke"),
    "MS02": ("Refused by the debtor", None),
    "MS03": ("Reason not specified", None),
    "RC01": ("Incorrect BIC", None),
    "RR01": ("Missing debtor account or identification", None),
    "RR02": ("Missing debtor name or address", None),
    "RR03": ("Missing creditor name or address", None),
    "RR04": ("Regulatory reason", None),
    "SL01": ("Specific service offered by the debtor bank", None),
}


class CrmSepaBatchLine(models.Model):
    """One debit (or transfer) of a batch: one invoice, one mandate, integer cents."""

    _name = "crm.sepa.batch.line"
    _description = "SEPA Payment"
    _inherit = ["crm.state.mixin"]
    _made_by_actions = True  # with their batch only
    _order = "batch_id desc, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        "crm.sepa.batch", required=True, ondelete="cascade", index=True, readonly=True
    )
    kind = fields.Selection(related="batch_id.kind", store=True, precompute=True)
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    move_id = fields.Many2one(
        "account.move", "Invoice", required=True, index=True, readonly=True, ondelete="restrict"
    )
    partner_id = fields.Many2one("res.partner", required=True, index=True, readonly=True)
    mandate_id = fields.Many2one("crm.sepa.mandate", index="btree_not_null", readonly=True)
    iban = fields.Char("IBAN", readonly=True, groups="crm_core.group_bank_account_number")
    bic = fields.Char("BIC", readonly=True)
    amount_cents = fields.Integer(readonly=True, help="The amount in euro cents.")
    currency_id = fields.Many2one(related="batch_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount")
    sequence_type = fields.Selection(SEQUENCE_TYPES, readonly=True)
    collection_date = fields.Date(readonly=True, help="Collection or execution date.")
    end_to_end_id = fields.Char("End-to-End Id", readonly=True, index=True)
    original_iban = fields.Char(
        "Amended From IBAN", readonly=True, groups="crm_core.group_bank_account_number"
    )
    amendment_smnda = fields.Boolean("New Debtor Bank (SMNDA)", readonly=True)
    state = fields.Selection(LINE_STATES, default="open", required=True, readonly=True)
    booking_line_id = fields.Many2one("account.move.line", readonly=True, copy=False)
    return_reason = fields.Selection(
        [(code, f"{code} {text}") for code, (text, _effect) in RETURN_REASONS.items()],
        readonly=True,
    )
    return_date = fields.Date(readonly=True)
    return_move_id = fields.Many2one("account.move", "Return Entry", readonly=True)
    fee_move_id = fields.Many2one("account.move", "Return Fee Invoice", readonly=True)

    _one_open_collection = models.UniqueIndex(
        "(move_id) WHERE state IN ('open', 'collected')",
        "An invoice can be in one open SEPA batch only.",
    )

    # ------------------------------------------------------------------------------------------
    # A payment is a line of a file given to the bank: only the batch's actions write it
    # ------------------------------------------------------------------------------------------
    @api.model
    def _guarded_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if field.store and name not in models.MAGIC_COLUMNS
        ]

    def _state_actions(self):
        return self.env._("Create Batches, Confirm as Sent, Cancel, Register Returns")

    @api.depends("amount_cents")
    def _compute_amount(self):
        for line in self:
            line.amount = line.amount_cents / 100

    @api.depends("end_to_end_id", "partner_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.end_to_end_id} {line.partner_id.name or ''}".strip()

    # ------------------------------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------------------------------
    @public(
        reason=Selection(RETURN_REASONS),
        return_date=Date(required=False),
        charge_fee=Bool(),
        info=Str(max_len=500, required=False),
    )
    def register_return(self, reason, return_date=None, charge_fee=False, info=None):
        """Mark sent debits as returned by the bank (public, RPC).

        reason: ISO 20022 reason code (AC04, AM04, MD06, MS02, ...). The invoice is open
        again (a return entry moves the amount from the transfer account back to the
        customer's receivable), the return fee of the company is invoiced when `charge_fee`,
        the mandate goes back to FRST when its first debit came back (except a refund, MD06,
        of a debit that was collected) and is revoked for codes that end it (MD01, MD07,
        AC04)."""
        self.env["crm.sepa.batch"]._check_manager()
        return_date = return_date or fields.Date.context_today(self)
        for line in self:
            if line.state != "collected" or line.kind != "debit":
                raise UserError(
                    self.env._(
                        "%(line)s: only a sent direct debit can be returned.",
                        line=line.display_name,
                    )
                )
            line._book_return(reason, return_date, charge_fee, info)
        self.batch_id._update_settled()
        return True

    def _book_return(self, reason, return_date, charge_fee, info):
        self.ensure_one()
        company = self.company_id
        transfer_account = company._crm_sepa_transfer_account()
        booking = self.booking_line_id
        amount = self.amount_cents / 100
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.batch_id._general_journal().id,
                "date": return_date,
                "ref": self.env._("Return %(e2e)s (%(code)s)", e2e=self.end_to_end_id, code=reason),
                "line_ids": [
                    Command.create(
                        {
                            "name": f"{self.end_to_end_id} {reason}",
                            "account_id": booking.account_id.id,
                            "partner_id": self.partner_id.id,
                            "debit": amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": f"{self.end_to_end_id} {reason}",
                            "account_id": transfer_account.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        # the invoice is open again: take it off the batch entry, and let the return entry
        # settle the batch entry's line instead
        booking.remove_move_reconcile()
        receivable = entry.line_ids.filtered(lambda aml: aml.account_id == booking.account_id)
        (booking | receivable).reconcile()
        vals = {
            "state": "returned",
            "return_reason": reason,
            "return_date": return_date,
            "return_move_id": entry.id,
        }
        if charge_fee and company.crm_sepa_return_fee:
            vals["fee_move_id"] = self._fee_invoice(reason, return_date).id
        self._write_state(vals)
        self._mandate_after_return(reason)
        body = self.env._(
            "Direct debit %(e2e)s of %(amount)s returned: %(code)s %(text)s",
            e2e=self.end_to_end_id,
            amount=f"{amount:.2f} EUR",
            code=reason,
            text=RETURN_REASONS[reason][0],
        )
        if info:
            body = f"{body} ({info})"
        self.move_id.message_post(body=body)
        self.env["crm.chronicle.entry"].crm_log(
            self.partner_id,
            "sepa",
            self.env._(
                "Direct debit of EUR %(amount)s returned: %(code)s",
                amount=f"{amount:,.2f}",
                code=reason,
            ),
            body=body,
            source=self.move_id,
        )

    def _fee_invoice(self, reason, return_date):
        company = self.company_id
        account = company.crm_sepa_return_fee_account_id
        line = {
            "name": self.env._(
                "Fee for the returned direct debit %(e2e)s (%(code)s)",
                e2e=self.end_to_end_id,
                code=reason,
            ),
            "quantity": 1,
            "price_unit": company.crm_sepa_return_fee,
            "tax_ids": [Command.clear()],
        }
        if account:
            line["account_id"] = account.id
        fee = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": self.partner_id.id,
                "invoice_date": return_date,
                "currency_id": self.currency_id.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        fee.action_post()
        return fee

    def _mandate_after_return(self, reason):
        """SEPA rulebook: when the first debit of a mandate comes back, the next one is a
        first debit again; a refund (MD06) of a collected debit does not change the
        sequence. A returned one-off or final debit reopens its mandate for another try.
        Codes that say the mandate is void revoke it."""
        mandate = self.mandate_id
        if not mandate:
            return
        if RETURN_REASONS[reason][1] == "revoke":
            mandate._write_state(
                {"state": "revoked", "revocation_reason": f"{reason} {RETURN_REASONS[reason][0]}"}
            )
            return
        if reason == "MD06":
            return
        later = self.search_count(
            [
                ("mandate_id", "=", mandate.id),
                ("state", "=", "collected"),
                ("collection_date", ">", self.collection_date),
            ]
        )
        if later:
            return
        if self.sequence_type == "FRST" and mandate.sequence_type == "RCUR":
            mandate.sequence_type = "FRST"
        elif self.sequence_type in ("OOFF", "FNAL") and mandate.state == "closed":
            mandate._write_state({"state": "active", "sequence_type": self.sequence_type})

    @api.model
    @public(content=Base64(max_bytes=pain.MAX_CAMT_BYTES), charge_fee=Bool())
    def import_camt054(self, content, charge_fee=False):
        """Register the returns listed in a camt.054 file (public, RPC; content: the file
        in base64). Debits are found by their end-to-end id and amount. Returns
        {"returned": [line ids], "unmatched": [end-to-end ids], "summary"}. A file that is
        not a camt.053/054 (not XML, a DTD or entities, too large or deep, amounts that
        are none) is refused with the reason, naming the argument `content`."""
        self.env["crm.sepa.batch"]._check_manager()
        try:
            returns = pain.read_camt054_returns(content)
        except pain.SepaFileError as exc:
            raise ArgumentError(
                self.env._(
                    "crm.sepa.batch.line.import_camt054: the argument content is not a "
                    "camt.054 file: %(error)s",
                    error=str(exc),
                )
            ) from exc
        lines = self.search(
            [
                ("end_to_end_id", "in", [r["end_to_end_id"] for r in returns]),
                ("state", "=", "collected"),
                ("kind", "=", "debit"),
            ]
        )
        by_e2e = {(line.end_to_end_id, line.amount_cents): line for line in lines}
        returned = self.browse()
        unmatched = []
        for item in returns:
            line = by_e2e.pop((item["end_to_end_id"], item["amount"]), None)
            if not line or item["reason"] not in RETURN_REASONS:
                unmatched.append(item["end_to_end_id"])
                continue
            line.register_return(
                item["reason"], item["date"], charge_fee=charge_fee, info=item["info"]
            )
            returned |= line
        summary = self.env._(
            "%(n)s debit(s) returned, %(m)s entries not matched%(list)s.",
            n=len(returned),
            m=len(unmatched),
            list=(": " + ", ".join(filter(None, unmatched))) if unmatched else "",
        )
        return {"returned": returned.ids, "unmatched": unmatched, "summary": summary}
