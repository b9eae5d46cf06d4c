"""The install matrix (README, `make test`): our six addons need none of Odoo's Sales,
Inventory and Purchase. In the first database of `make test` these apps are not installed:
then neither are the bridges, and the customer record shows and saves without them. Where
the apps are installed (the second database), the bridges installed themselves."""

from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase

BRIDGES = {"sale": "crm_sale", "stock": "crm_stock", "purchase": "crm_purchase"}
OUR_ADDONS = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_telephony",
    "crm_scan",
]


@tagged("post_install", "-at_install")
class TestOptionalApps(TransactionCase):
    def states(self, names):
        modules = self.env["ir.module.module"].search([("name", "in", names)])
        return {module.name: module.state for module in modules}

    def test_bridges_follow_the_apps(self):
        apps = self.states(list(BRIDGES))
        bridges = self.states(list(BRIDGES.values()))
        self.assertEqual(set(bridges), set(BRIDGES.values()), "the bridges are in the addons path")
        for app, bridge in BRIDGES.items():
            installed = apps.get(app) == "installed"
            self.assertEqual(
                bridges[bridge] == "installed",
                installed,
                f"{bridge} must be installed exactly when {app} is",
            )

    def test_our_addons_never_depend_on_the_apps(self):
        dependencies = self.env["ir.module.module.dependency"].search(
            [("module_id.name", "in", OUR_ADDONS)]
        )
        self.assertFalse(
            set(dependencies.mapped("name")) & {"sale", "stock", "purchase", *BRIDGES.values()}
        )

    def test_customer_record_without_the_apps(self):
        if self.states(["sale"]).get("sale") == "installed":
            return  # the second database: the bridges' own tests cover the record there
        self.assertNotIn("sale.order", self.env)
        self.assertNotIn("crm_quotation_count", self.env["res.partner"]._fields)
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("action_crm_new_quotation", "crm_delivery_count", "crm_purchase_order_count"):
            self.assertNotIn(name, arch)
        # nothing of the apps is required to create a customer on the form
        with Form(self.env["res.partner"]) as customer:
            customer.name = "Ohne Verkauf GmbH"
        self.assertTrue(customer.record.id)
        required = [
            name
            for name, field in self.env["res.partner"]._fields.items()
            if field.required and field._module in ("sale", "stock", "purchase")
        ]
        self.assertEqual(required, [])
