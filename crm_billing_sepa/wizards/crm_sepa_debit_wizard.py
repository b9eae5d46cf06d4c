from odoo import api, fields, models

from odoo.addons.crm_core.tools.boundary import one_record


class CrmSepaDebitWizard(models.TransientModel):
    """Select due invoices and collect them (direct debit) or pay them (credit transfer)."""

    _name = "crm.sepa.debit.wizard"
    _description = "Create SEPA Batches"

    kind = fields.Selection(
        [("debit", "Direct Debits"), ("transfer", "Credit Transfers")],
        required=True,
        default="debit",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    due_date_from = fields.Date("Due From")
    due_date_to = fields.Date("Due Until", default=fields.Date.context_today)
    partner_ids = fields.Many2many("res.partner", string="Customers / Suppliers")
    category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", help="Only customers with these tags."
    )
    class_ids = fields.Many2many(
        "crm.partner.class",
        string="Customer Classes",
        help="Only customers in these classes (ABC analysis) in the company.",
    )
    invoice_ids = fields.Many2many("account.move", string="Invoices")
    state = fields.Selection([("select", "Select"), ("done", "Done")], default="select")
    batch_ids = fields.Many2many("crm.sepa.batch", string="Batches")
    error_ids = fields.One2many("crm.sepa.debit.wizard.error", "wizard_id", "Not Collected")
    candidate_count = fields.Integer(compute="_compute_candidate_count")

    @api.depends(
        "kind",
        "company_id",
        "due_date_from",
        "due_date_to",
        "partner_ids",
        "invoice_ids",
        "category_ids",
        "class_ids",
    )
    def _compute_candidate_count(self):
        Batch = self.env["crm.sepa.batch"]
        for wizard in self:
            if wizard.kind != "debit":
                wizard.candidate_count = 0
                continue
            wizard.candidate_count = (
                self.env["account.move"]
                .with_company(wizard.company_id)
                .search_count(
                    Batch._debit_domain(
                        wizard.company_id,
                        wizard.invoice_ids.ids,
                        wizard.partner_ids.ids,
                        wizard.due_date_from,
                        wizard.due_date_to,
                        wizard.category_ids.ids,
                        wizard.class_ids.ids,
                    )
                )
            )

    @one_record
    def action_create_batches(self):
        self.ensure_one()
        Batch = self.env["crm.sepa.batch"]
        if self.kind == "debit":
            result = Batch.create_debit_batches(
                invoice_ids=self.invoice_ids.ids,
                partner_ids=self.partner_ids.ids,
                due_date_from=self.due_date_from,
                due_date_to=self.due_date_to,
                company_id=self.company_id.id,
                category_ids=self.category_ids.ids,
                class_ids=self.class_ids.ids,
            )
        else:
            result = Batch.create_transfer_batches(
                move_ids=self.invoice_ids.ids,
                partner_ids=self.partner_ids.ids,
                due_date_to=self.due_date_to,
                company_id=self.company_id.id,
            )
        self.write(
            {
                "state": "done",
                "batch_ids": [fields.Command.set(result["batch_ids"])],
                "error_ids": [
                    fields.Command.create({"move_id": err["invoice_id"], "message": err["message"]})
                    for err in result["errors"]
                ],
            }
        )
        if len(result["batch_ids"]) == 1 and not result["errors"]:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.sepa.batch",
                "res_id": result["batch_ids"][0],
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_batches(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SEPA Batches"),
            "res_model": "crm.sepa.batch",
            "view_mode": "list,form",
            "domain": [("id", "in", self.batch_ids.ids)],
        }


class CrmSepaDebitWizardError(models.TransientModel):
    _name = "crm.sepa.debit.wizard.error"
    _description = "SEPA Batch Creation Problem"

    wizard_id = fields.Many2one("crm.sepa.debit.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", "Invoice")
    message = fields.Char(required=True)
