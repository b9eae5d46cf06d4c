"""res.partner: the customer's delivery notes on the cockpit."""

from odoo import api, fields, models

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton

# outgoing transfers to the customer (or one of its addresses), not cancelled
DELIVERIES = CockpitButton(
    "stock.picking",
    "partner_id",
    (("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")),
    "stock.action_picking_tree_all",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_delivery_count = fields.Integer(
        "Delivery Note Count", compute="_compute_crm_delivery_count"
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_crm_delivery_count(self):
        self._crm_cockpit_fill(DELIVERIES, "crm_delivery_count")

    @one_record
    def action_crm_open_deliveries(self):
        return self._crm_cockpit_action(DELIVERIES, context={"create": False})
