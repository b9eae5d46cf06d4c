from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

# the open billable services of the customer and its contacts
OPEN_SERVICES = CockpitButton("crm.service", "partner_id", (("state", "=", "open"),))


class ResPartner(models.Model):
    """Services, invoicing and dunning on the customer record."""

    _inherit = "res.partner"

    crm_service_ids = fields.One2many("crm.service", "partner_id", "Services")
    crm_service_open_count = fields.Integer("Unbilled Services", compute="_compute_crm_cockpit")
    crm_service_open_amount = fields.Monetary(
        "Unbilled Amount",
        compute="_compute_crm_cockpit",
        currency_field="crm_company_currency_id",
        help="Value of the open billable services (company currency).",
    )
    crm_dunning_block = fields.Boolean(
        "Dunning Block",
        tracking=True,
        help="Never send this customer a dunning letter.",
    )
    crm_dunning_level_id = fields.Many2one(
        "crm.dunning.level", "Dunning Level", readonly=True, copy=False
    )
    crm_dunning_date = fields.Date("Last Dunning", readonly=True, copy=False)

    def _crm_cockpit_groups(self):
        return {
            **super()._crm_cockpit_groups(),
            "crm_billing_sepa.services": CockpitGroup(
                OPEN_SERVICES, aggregates=("__count", "amount:sum")
            ),
        }

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        services = groups["crm_billing_sepa.services"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            count, amount = services.get(key, [0, 0.0])
            partner.crm_service_open_count = count
            partner.crm_service_open_amount = amount

    def _crm_service_invoice_defaults(self):
        """{partner id: invoice values} with the customer's definitions (crm_core's
        defaults of a new invoice: invoice address, payment terms, fiscal position, payment
        method); empty values are left to Odoo's own defaults."""
        defaults = self._crm_documents_defaults("out_invoice")
        # the delivery address Odoo computes for the invoice address (one query for all)
        invoice_partners = self.browse({values["partner_id"] for values in defaults.values()})
        shipping = invoice_partners._crm_address_get_multi(["delivery"])
        result = {}
        for partner_id, values in defaults.items():
            values["partner_shipping_id"] = shipping[values["partner_id"]]["delivery"]
            result[partner_id] = {key: value for key, value in values.items() if value}
        return result

    @one_record
    def action_crm_services(self):
        action = self._crm_cockpit_action(
            "crm.service",
            "partner_id",
            action="crm_billing_sepa.crm_service_action",
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        action["context"]["search_default_filter_open"] = 1
        return action

    def action_crm_invoice_services(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice Services"),
            "res_model": "crm.service.invoice.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    @one_record
    def action_crm_credit_note(self):
        """A credit note for this customer, also as full or partial credit of an invoice."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Credit Note"),
            "res_model": "crm.credit.note.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _crm_personal_data(self, files):
        """The dunning letters of the customer (GDPR export, crm_core)."""
        data = super()._crm_personal_data(files)
        letters = self._crm_personal_data_search(
            "crm.dunning.letter", [("partner_id", "child_of", self.id)], "id"
        )
        data["crm_billing_sepa.dunning_letters"] = self._crm_personal_data_rows(letters)
        return data
