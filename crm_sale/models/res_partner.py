"""res.partner: the customer's quotations and sales orders on the cockpit, a quotation
started from the record with the customer's definitions, and the payment alerts (dunning
block, returned direct debits) that sales sees."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

PAYMENT_ALERT_PARAM = "crm_sale.payment_alert"

# the customer's quotations and orders, not cancelled: one grouped query by state
SALE_DOCUMENTS = CockpitButton("sale.order", "partner_id", (("state", "!=", "cancel"),))
QUOTATIONS = CockpitButton(
    "sale.order",
    "partner_id",
    (("state", "in", ("draft", "sent")),),
    "sale.action_quotations_with_onboarding",
)
ORDERS = CockpitButton("sale.order", "partner_id", (("state", "=", "sale"),), "sale.action_orders")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # part of the cockpit's one grouped query (crm_core's `_crm_cockpit_groups`)
    crm_quotation_count = fields.Integer("Quotation Count", compute="_compute_crm_cockpit")
    crm_sale_order_count = fields.Integer("Sales Order Count", compute="_compute_crm_cockpit")

    def _crm_cockpit_groups(self):
        return {
            **super()._crm_cockpit_groups(),
            "crm_sale.orders": CockpitGroup(SALE_DOCUMENTS, ("state",)),
        }

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        totals = {}
        for (commercial, state), (count,) in groups["crm_sale.orders"].items():
            kind = "order" if state == "sale" else "quotation"
            counts = totals.setdefault(commercial, {"order": 0, "quotation": 0})
            counts[kind] += count
        for partner in self:
            counts = totals.get(partner.commercial_partner_id._origin.id, {})
            partner.crm_quotation_count = counts.get("quotation", 0)
            partner.crm_sale_order_count = counts.get("order", 0)

    @one_record
    def action_crm_open_quotations(self):
        return self._crm_cockpit_action(
            QUOTATIONS, context={"default_partner_id": self.commercial_partner_id.id}
        )

    @one_record
    def action_crm_open_sale_orders(self):
        return self._crm_cockpit_action(ORDERS, context={"create": False})

    # ------------------------------------------------------------------------------------------
    # A quotation started from the record
    # ------------------------------------------------------------------------------------------
    def _crm_sale_order_defaults(self):
        """The values of a new quotation for this customer: the customer, its invoice and
        delivery addresses (crm_core's default address of each type), its price group
        (pricelist), payment terms, fiscal position and salesperson. Empty values are left
        to Odoo's own defaults. The quotation prints in the customer's language (Odoo takes
        the language of the order's customer)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        addresses = customer._crm_address_get_multi(["invoice", "delivery"])[customer.id]
        values = {
            "partner_id": customer.id,
            "partner_invoice_id": addresses["invoice"],
            "partner_shipping_id": addresses["delivery"],
            "pricelist_id": customer._crm_sale_pricelist().id,
            "payment_term_id": customer.property_payment_term_id.id,
            "fiscal_position_id": customer.property_account_position_id.id,
            "user_id": customer.user_id.id,
        }
        return {key: value for key, value in values.items() if value}

    def _crm_sale_pricelists(self):
        """{partner id: pricelist} of quotations to these partners' customers in the
        current company: the customer's price group (Odoo's pricelist of the partner),
        unless the customer has a sales currency (crm_core) and the price group is in
        another one - then the first pricelist in the sales currency (by sequence), so
        that quotation, order and invoice are in the currency of the customer's
        definitions. Partners whose price group fits, or without a pricelist in the sales
        currency, are left out. One search for any number of partners."""
        company = self.env.company
        wanted = {}
        for partner in self:
            customer = partner.commercial_partner_id
            currency = customer.crm_sale_currency_id
            pricelist = customer.property_product_pricelist
            # without a pricelist (Odoo's pricelists are off) the order takes the currency
            if currency and pricelist and pricelist.currency_id != currency:
                wanted[partner._origin.id or partner.id] = currency
        result = {}
        if wanted:
            found = {}
            for pricelist in self.env["product.pricelist"].search(
                [
                    ("currency_id", "in", [c.id for c in wanted.values()]),
                    ("company_id", "in", (company.id, False)),
                ],
                order="sequence, id",
            ):
                found.setdefault(pricelist.currency_id, pricelist)
            for key, currency in wanted.items():
                if currency in found:
                    result[key] = found[currency]
        return result

    def _crm_sale_pricelist(self):
        """The pricelist of a new quotation for this customer (an empty one without
        pricelists); a UserError when its sales currency has no pricelist."""
        self.ensure_one()
        customer = self.commercial_partner_id
        pricelist = customer.property_product_pricelist
        currency = customer.crm_sale_currency_id
        if not currency or not pricelist or pricelist.currency_id == currency:
            return pricelist
        found = customer._crm_sale_pricelists().get(customer.id)
        if not found:
            raise UserError(
                self.env._(
                    "%(customer)s buys in %(currency)s (Sales Currency), but its price group "
                    "%(pricelist)s is in %(pricelist_currency)s and no pricelist is in "
                    "%(currency)s. Create a pricelist in %(currency)s or change the "
                    "customer's sales currency or price group.",
                    customer=customer.display_name,
                    currency=currency.name,
                    pricelist=pricelist.display_name,
                    pricelist_currency=pricelist.currency_id.name,
                )
            )
        return found

    @one_record
    def action_crm_new_quotation(self):
        self._crm_check_button_ids("action_crm_new_quotation")
        self.env["sale.order"].check_access("create")
        self._crm_sale_check_payment_alerts()
        return self._crm_new_document(
            "sale.order", "sale.view_order_form", self._crm_sale_order_defaults()
        )

    # ------------------------------------------------------------------------------------------
    # Payment alerts: dunning block and returned direct debits (crm_billing_sepa, when
    # installed: looked up in the registry, no dependency)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_sale_payment_policy(self):
        policy = self.env["ir.config_parameter"].sudo().get_param(PAYMENT_ALERT_PARAM, "warn")
        return policy if policy in ("warn", "block") else "warn"

    def _crm_sale_payment_alerts(self):
        """{commercial partner id: [reasons]} of the customers of these partners that are on
        dunning block or have a returned direct debit whose invoice is still open (in the
        user's companies). At most two queries for any number of partners; read as superuser:
        a salesperson sees the fact, not the accounting records behind it."""
        commercials = self.commercial_partner_id._origin.sudo()
        alerts = {}
        if not commercials:
            return alerts
        if "crm_dunning_block" in self._fields:
            for customer in commercials.filtered("crm_dunning_block"):
                alerts.setdefault(customer.id, []).append(
                    self.env._("%(customer)s is on dunning block.", customer=customer.name)
                )
        if "crm.sepa.batch.line" in self.env:
            returned = (
                self.env["crm.sepa.batch.line"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id.commercial_partner_id", "in", commercials.ids),
                        ("state", "=", "returned"),
                        ("company_id", "in", self.env.companies.ids),
                        ("move_id.payment_state", "in", ("not_paid", "partial")),
                    ],
                    ["partner_id.commercial_partner_id"],
                    ["__count"],
                )
            )
            for customer, count in returned:
                alerts.setdefault(customer.id, []).append(
                    self.env._(
                        "%(customer)s has %(count)s returned direct debit(s) not paid yet.",
                        customer=customer.name,
                        count=count,
                    )
                )
        return alerts

    def _crm_sale_check_payment_alerts(self):
        """With the setting Block: refuse a quotation or order for a customer with a
        payment alert (a UserError naming the customer and the reason)."""
        if self._crm_sale_payment_policy() != "block":
            return
        alerts = self._crm_sale_payment_alerts()
        if alerts:
            reasons = " ".join(reason for found in alerts.values() for reason in found)
            raise UserError(
                self.env._(
                    "No quotation or sales order for this customer: %(reasons)s "
                    "(Settings, CRM Suite: Payment Alerts in Sales is set to Block.)",
                    reasons=reasons,
                )
            )
