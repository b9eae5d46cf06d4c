"""res.partner: the supplier's purchase orders on the cockpit, and a purchase order
started from the record with the supplier's definitions."""

from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

# requests for quotation and purchase orders of the supplier, not cancelled
PURCHASES = CockpitButton(
    "purchase.order", "partner_id", (("state", "!=", "cancel"),), "purchase.purchase_rfq"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # part of the cockpit's one grouped query (crm_core's `_crm_cockpit_groups`)
    crm_purchase_order_count = fields.Integer(
        "Supplier Purchase Orders", compute="_compute_crm_cockpit"
    )

    def _crm_cockpit_groups(self):
        return {**super()._crm_cockpit_groups(), "crm_purchase.orders": CockpitGroup(PURCHASES)}

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        orders = groups["crm_purchase.orders"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_purchase_order_count = orders.get(key, [0])[0]

    @one_record
    def action_crm_open_purchase_orders(self):
        return self._crm_cockpit_action(
            PURCHASES, context={"default_partner_id": self.commercial_partner_id.id}
        )

    def _crm_purchase_order_defaults(self):
        """The values of a new purchase order to this supplier: its payment terms for
        suppliers, fiscal position, purchase currency (crm_core's, else Odoo's supplier
        currency) and buyer. Empty values are left to Odoo's defaults."""
        self.ensure_one()
        supplier = self.commercial_partner_id
        values = {
            "partner_id": supplier.id,
            "payment_term_id": supplier.property_supplier_payment_term_id.id,
            "fiscal_position_id": supplier.property_account_position_id.id,
            "currency_id": supplier._crm_purchase_currency().id,
            "user_id": supplier.buyer_id.id,
        }
        return {key: value for key, value in values.items() if value}

    def _crm_purchase_currency(self):
        """The currency of purchases from this supplier (a record or an empty one)."""
        self.ensure_one()
        return self.crm_purchase_currency_id or self.property_purchase_currency_id

    @one_record
    def action_crm_new_purchase_order(self):
        self._crm_check_button_ids("action_crm_new_purchase_order")
        self.env["purchase.order"].check_access("create")
        return self._crm_new_document(
            "purchase.order", "purchase.purchase_order_form", self._crm_purchase_order_defaults()
        )
