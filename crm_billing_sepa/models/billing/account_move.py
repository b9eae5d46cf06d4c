from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.crm_core.tools.boundary import one_record


class AccountMove(models.Model):
    """Invoices made from services, and their dunning state."""

    _inherit = "account.move"

    crm_service_invoice = fields.Boolean(
        "From Services", readonly=True, copy=False, help="Created by invoicing services."
    )
    crm_service_ids = fields.One2many("crm.service", "invoice_id", "Services", readonly=True)
    crm_dunning_level_id = fields.Many2one(
        "crm.dunning.level", "Dunning Level", readonly=True, copy=False, index="btree_not_null"
    )
    crm_dunning_date = fields.Date("Last Dunning", readonly=True, copy=False)

    def button_draft(self):
        """A cancelled services invoice whose services were invoiced again must not come
        back: they would be billed twice."""
        cancelled = self.filtered(lambda m: m.crm_service_invoice and m.state == "cancel")
        fee = cancelled and self.env.ref(
            "crm_billing_sepa.product_dunning_fee", raise_if_not_found=False
        )
        for move in cancelled:
            lines = move.invoice_line_ids.filtered(lambda li: li.display_type == "product")
            orphan = lines.filtered(lambda li: not li.crm_service_ids and li.product_id != fee)
            if orphan:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot be reset to draft: its services "
                        "(%(line)s) were invoiced again meanwhile.",
                        invoice=move.display_name,
                        line=orphan[0].name,
                    )
                )
        return super().button_draft()

    @one_record
    def action_crm_services(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Services"),
            "res_model": "crm.service",
            "view_mode": "list,form",
            "domain": [("invoice_id", "=", self.id)],
        }

    # ------------------------------------------------------------------------------------------
    # Dunning
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_dunning_skip_domain(self):
        """Hook: the overdue invoices a dunning run leaves out because they are being paid
        another way (the SEPA part: invoices in a direct debit). A domain on account.move,
        searched as superuser; nothing by default."""
        return Domain.FALSE
