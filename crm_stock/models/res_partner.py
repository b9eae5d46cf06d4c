"""res.partner: the customer's delivery notes on the cockpit."""

from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

# outgoing transfers to the customer (or one of its addresses), not cancelled
DELIVERIES = CockpitButton(
    "stock.picking",
    "partner_id",
    (("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")),
    "stock.action_picking_tree_all",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # part of the cockpit's one grouped query (crm_core's `_crm_cockpit_groups`)
    crm_delivery_count = fields.Integer("Delivery Note Count", compute="_compute_crm_cockpit")

    def _crm_cockpit_groups(self):
        return {**super()._crm_cockpit_groups(), "crm_stock.deliveries": CockpitGroup(DELIVERIES)}

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        deliveries = groups["crm_stock.deliveries"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_delivery_count = deliveries.get(key, [0])[0]

    @one_record
    def action_crm_open_deliveries(self):
        return self._crm_cockpit_action(DELIVERIES, context={"create": False})
