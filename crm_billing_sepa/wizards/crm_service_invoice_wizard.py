from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.crm_core.tools.boundary import one_record


class CrmServiceInvoiceWizard(models.TransientModel):
    """Invoice the open services of one customer, a selection of customers or selected
    services, for a period."""

    _name = "crm.service.invoice.wizard"
    _description = "Invoice Services"

    date_from = fields.Date("From")
    date_to = fields.Date("Until", default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('parent_id', '=', False)]",
        help="Leave empty to invoice the open services of all customers.",
    )
    service_ids = fields.Many2many("crm.service", string="Services")
    group_by = fields.Selection(
        [("partner", "One invoice per customer"), ("project", "One invoice per project")],
        "Invoices",
        required=True,
        default="partner",
    )
    line_mode = fields.Selection(
        [("service", "One line per service"), ("product", "Summed per product")],
        "Lines",
        required=True,
        default="service",
    )
    invoice_date = fields.Date(help="Leave empty to date the invoices when they are posted.")
    service_count = fields.Integer("Open Services", compute="_compute_preview")
    amount = fields.Monetary("Amount", compute="_compute_preview", currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)

    def _domain(self):
        Service = self.env["crm.service"]
        domain = Service._invoice_domain(self.date_from, self.date_to, self.partner_ids.ids)
        if self.service_ids:
            domain &= Domain("id", "in", self.service_ids.ids)
        return domain

    @api.depends("date_from", "date_to", "partner_ids", "service_ids")
    def _compute_preview(self):
        for wizard in self:
            [(count, amount)] = self.env["crm.service"]._read_group(
                wizard._domain(), [], ["__count", "amount:sum"]
            )
            wizard.service_count = count
            wizard.amount = amount

    @one_record
    def action_invoice(self):
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(
                self.env._(
                    "Invoice services: the period starts (%(start)s) after it ends (%(end)s).",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        services = self.env["crm.service"].search(self._domain())
        if not services:
            raise UserError(self.env._("There are no open services to invoice in this period."))
        invoice_ids = services.invoice_services(
            group_by=self.group_by, line_mode=self.line_mode, invoice_date=self.invoice_date
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoice_ids) == 1:
            action.update(
                res_id=invoice_ids[0],
                view_mode="form",
                views=[(self.env.ref("account.view_move_form").id, "form")],
            )
        else:
            action["domain"] = [("id", "in", invoice_ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action
