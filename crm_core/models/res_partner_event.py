"""res.partner: the customer's event log (crm.partner.event) - what a create, write or
unlink of a customer, contact person or address changed, logged on the customer in one
batch per ORM call."""

from odoo import api, fields, models

from ..tools.boundary import one_record
from ..tools.cockpit import CockpitButton, CockpitGroup

EVENTS = CockpitButton(
    "crm.partner.event", "partner_id", action="crm_core.crm_partner_event_action"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # fields the event log leaves out: counters and values the suite or Odoo computes and
    # writes by itself (ranks follow invoices, the ABC revenue and coordinates come from
    # runs, signup and presence data are technical)
    _crm_event_skip_fields = frozenset(
        {
            "customer_rank",
            "supplier_rank",
            "crm_class_manual",
            "crm_abc_revenue",
            "partner_latitude",
            "partner_longitude",
            "date_localization",
            "signup_token",
            "signup_type",
            "signup_expiration",
            "calendar_last_notif_ack",
            "partner_gid",
            "im_status",
            "ocn_token",
            "peppol_verification_state",
        }
    )

    # a field Odoo stores behind the one on the form: logged with the label of that one
    _crm_event_label_of = {"specific_property_product_pricelist": "property_product_pricelist"}

    crm_event_count = fields.Integer("Event Count", compute="_compute_crm_cockpit")

    @api.model
    def _crm_event_skip_field_names(self):
        """The fields the event log leaves out; addons add theirs (super() plus theirs):
        technical states and values a program keeps, not the customer's data."""
        return set(self._crm_event_skip_fields)

    # ------------------------------------------------------------------------------------------
    # Logging
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        Event = self.env["crm.partner.event"]
        Event._log(Event._presence(partners, "created"))
        return partners

    def write(self, vals):
        Event = self.env["crm.partner.event"]
        names = set(vals)
        if self.env.context.get("crm_abc"):
            # the ABC analysis logs its class changes itself (_crm_on_class_changes), on
            # both of its paths
            names -= {"crm_class_id"}
        fields_ = Event._loggable_fields(self, names) if self else []
        if not fields_:
            return super().write(vals)
        before = Event._snapshot(self, fields_)
        customers = Event._customers_of(self)
        result = super().write(vals)
        if {"parent_id", "is_company"} & names:
            # a contact person moved to another company: logged on both
            customers = {
                partner.id: customers.get(partner.id, partner) | partner.commercial_partner_id
                for partner in self.sudo()
            }
        Event._log(Event._changes(self, fields_, before, customers))
        return result

    def unlink(self):
        Event = self.env["crm.partner.event"]
        # contact persons and addresses whose customer stays (the events of a deleted
        # customer go with it)
        parts = self.sudo().filtered(
            lambda p: p.commercial_partner_id != p and p.commercial_partner_id.id not in self.ids
        )
        vals_list = Event._presence(parts, "removed")
        result = super().unlink()
        Event._log(vals_list)
        return result

    @api.model
    def _crm_on_class_changes(self, company, changes, by_hand):
        """Class changes of the ABC analysis (both its paths) as events; a class set by hand
        is logged by write."""
        result = super()._crm_on_class_changes(company, changes, by_hand)
        if changes and not by_hand:
            self.env["crm.partner.event"]._log_class_changes(company, changes)
        return result

    # ------------------------------------------------------------------------------------------
    # The cockpit button
    # ------------------------------------------------------------------------------------------
    def _crm_cockpit_groups(self):
        groups = super()._crm_cockpit_groups()
        groups["crm_core.events"] = CockpitGroup(EVENTS, path="partner_id")
        return groups

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        events = groups.get("crm_core.events", {})
        for partner in self:
            key = partner.commercial_partner_id._origin.id
            partner.crm_event_count = events.get((key,), [0])[0]

    @one_record
    def action_crm_open_events(self):
        action = self._crm_cockpit_action(EVENTS, context={"create": False})
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action
