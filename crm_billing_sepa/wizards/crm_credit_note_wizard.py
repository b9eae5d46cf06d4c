from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from odoo.addons.crm_core.tools.boundary import one_record


class CrmCreditNoteWizard(models.TransientModel):
    """A credit note from the customer record: a free one with the customer's definitions,
    or the full or partial credit of one of its posted invoices."""

    _name = "crm.credit.note.wizard"
    _description = "New Credit Note"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, domain="[('parent_id', '=', False)]"
    )
    mode = fields.Selection(
        [
            ("free", "New credit note"),
            ("full", "Full credit of an invoice"),
            ("partial", "Partial credit of an invoice"),
        ],
        required=True,
        default="partial",
    )
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'),"
        " ('state', '=', 'posted')]",
    )
    reason = fields.Char()
    line_ids = fields.One2many("crm.credit.note.wizard.line", "wizard_id", "Lines to credit")

    @api.onchange("move_id", "mode")
    def _onchange_move_id(self):
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "invoice_line_id": line.id,
                    "quantity": 0.0 if self.mode == "partial" else line.quantity,
                    "price_unit": line.price_unit,
                }
            )
            for line in self.move_id.invoice_line_ids.filtered(
                lambda li: li.display_type == "product"
            )
        ]

    def _check(self):
        if self.mode == "free":
            return
        if not self.move_id:
            raise UserError(
                self.env._(
                    "Credit note for %(partner)s: choose the invoice to credit.",
                    partner=self.partner_id.display_name,
                )
            )
        if self.move_id.commercial_partner_id != self.partner_id.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "Invoice %(invoice)s is not an invoice of %(partner)s.",
                    invoice=self.move_id.display_name,
                    partner=self.partner_id.display_name,
                )
            )
        if self.move_id.state != "posted" or self.move_id.move_type != "out_invoice":
            raise ValidationError(
                self.env._(
                    "%(invoice)s is not a posted customer invoice: it cannot be credited.",
                    invoice=self.move_id.display_name,
                )
            )
        if self.mode != "partial":
            return
        for line in self.line_ids:
            original = line.invoice_line_id
            if line.quantity < 0 or line.quantity > original.quantity:
                raise ValidationError(
                    self.env._(
                        "Credit of %(invoice)s, line %(line)s: the quantity must lie between "
                        "0 and %(max)s.",
                        invoice=self.move_id.display_name,
                        line=original.name,
                        max=original.quantity,
                    )
                )
            if line.price_unit < 0 or line.price_unit > original.price_unit:
                raise ValidationError(
                    self.env._(
                        "Credit of %(invoice)s, line %(line)s: the unit price must lie "
                        "between 0 and %(max)s.",
                        invoice=self.move_id.display_name,
                        line=original.name,
                        max=original.price_unit,
                    )
                )
        if not any(line.quantity and line.price_unit for line in self.line_ids):
            raise UserError(
                self.env._(
                    "Partial credit of %(invoice)s: enter a quantity on at least one line.",
                    invoice=self.move_id.display_name,
                )
            )

    @one_record
    def action_create(self):
        self.ensure_one()
        self._check()
        if self.mode == "free":
            return self.partner_id.action_crm_new_refund()
        invoice = self.move_id
        reason = self.reason or ""
        ref = self.env._("Reversal of: %(invoice)s", invoice=invoice.name)
        if reason:
            ref = f"{ref}, {reason}"
        if self.mode == "full":
            refund = invoice._reverse_moves([{"ref": ref, "invoice_origin": invoice.name}])
        else:
            defaults = self.partner_id._crm_service_invoice_defaults()[self.partner_id.id]
            defaults.update(
                move_type="out_refund",
                partner_id=invoice.partner_id.id,
                currency_id=invoice.currency_id.id,
                fiscal_position_id=invoice.fiscal_position_id.id,
                invoice_payment_term_id=invoice.invoice_payment_term_id.id,
                reversed_entry_id=invoice.id,
                company_id=invoice.company_id.id,
                ref=ref,
                invoice_origin=invoice.name,
                invoice_line_ids=[
                    Command.create(
                        {
                            "product_id": line.invoice_line_id.product_id.id,
                            "name": line.invoice_line_id.name,
                            "quantity": line.quantity,
                            "product_uom_id": line.invoice_line_id.product_uom_id.id,
                            "price_unit": line.price_unit,
                            "discount": line.invoice_line_id.discount,
                            "account_id": line.invoice_line_id.account_id.id,
                            "tax_ids": [Command.set(line.invoice_line_id.tax_ids.ids)],
                            "analytic_distribution": line.invoice_line_id.analytic_distribution,
                        }
                    )
                    for line in self.line_ids
                    if line.quantity and line.price_unit
                ],
            )
            defaults = {key: value for key, value in defaults.items() if value is not False}
            refund = self.env["account.move"].create(defaults)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": refund.id,
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
        }
