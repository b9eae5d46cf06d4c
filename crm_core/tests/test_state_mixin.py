"""crm.state.mixin, the one state guard of the suite's models: every model that inherits it
(in whichever addon is installed) refuses a guarded field given to create() and, on an
existing record, to write(); records only an action makes are not created at all; the
actions' own way (`_write_state`) passes."""

from odoo import models
from odoo.tests import TransactionCase, tagged

from ..tools import state
from ..tools.state import StateError

# the models of the suite that guard their states (when their addon is installed)
GUARDED_MODELS = {
    "crm.route": "crm_routing",
    "crm.route.stop": "crm_routing",
    "crm.telephony.box": "crm_telephony",
    "crm.phone.call": "crm_telephony",
    "crm.scan.document": "crm_scan",
    "crm.sepa.mandate": "crm_billing_sepa",
    "crm.sepa.batch": "crm_billing_sepa",
    "crm.sepa.batch.line": "crm_billing_sepa",
    "crm.service": "crm_billing_sepa",
    "crm.dunning.run": "crm_billing_sepa",
    "crm.dunning.letter": "crm_billing_sepa",
    "crm.datev.export": "crm_billing_sepa",
    "crm.pohoda.export": "crm_billing_sepa",
}
# what a model's own create() checks before the guard's (a mandate needs its bank account)
REQUIRED_FIRST = {"crm.sepa.mandate": {"bank_account_id": 1, "name": "STATE-MIXIN-TEST"}}


def other_value(env, field, current):
    """A value of `field` as create() or write() take it, different from `current`."""
    if field.type == "selection":
        return next(value for value in field.get_values(env) if value != current)
    if field.type == "many2one":
        return 2 if current == 1 else 1
    if field.type in ("one2many", "many2many"):
        return [(6, 0, [])]
    if field.type == "boolean":
        return not current
    if field.type in ("integer", "float", "monetary"):
        return (current or 0) + 1
    if field.type == "date":
        return "2001-02-03"
    if field.type == "datetime":
        return "2001-02-03 04:05:06"
    if field.type == "binary":
        return "eA=="
    if field.type == "json":
        return {"x": 1}
    return "x"


@tagged("post_install", "-at_install")
class TestStateMixin(TransactionCase):
    def guarded_models(self):
        installed = {
            model: addon
            for model, addon in GUARDED_MODELS.items()
            if self.env["ir.module.module"]._get(addon).state == "installed"
        }
        mixin = self.env.registry["crm.state.mixin"]
        inheriting = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        }
        return installed, inheriting

    def test_every_state_model_inherits_the_mixin(self):
        installed, inheriting = self.guarded_models()
        self.assertFalse(set(installed) - inheriting, "models that lost their state guard")

    def test_guarded_fields_refused_on_create_and_write(self):
        _installed, inheriting = self.guarded_models()
        self.assertTrue(inheriting)
        for name in sorted(inheriting):
            Model = self.env[name]
            for field_name in Model._guarded_fields():
                field = Model._fields[field_name]
                default = field.default(Model) if field.default else False
                default = default.id if isinstance(default, models.BaseModel) else default
                vals = {
                    **REQUIRED_FIRST.get(name, {}),
                    field_name: other_value(self.env, field, default),
                }
                with self.subTest(model=name, field=field_name):
                    with self.assertRaises(StateError), self.env.cr.savepoint():
                        Model.create(vals)
                    record = Model.search([], limit=1)
                    if not record:
                        continue
                    current = record[field_name]
                    if isinstance(current, models.BaseModel):
                        current = current.id if field.type == "many2one" else current.ids
                    with self.assertRaises(StateError), self.env.cr.savepoint():
                        record.write({field_name: other_value(self.env, field, current)})

    def test_records_made_by_actions_only(self):
        _installed, inheriting = self.guarded_models()
        for name in sorted(inheriting):
            Model = self.env[name]
            if Model._made_by_actions:
                with self.subTest(model=name), self.assertRaises(StateError):
                    Model.create({})

    def test_the_actions_write(self):
        """What the actions use passes the guard (the same write, allowed)."""
        if "crm.route" not in self.env:
            self.skipTest("crm_routing is not installed")
        route = self.env["crm.route"].search([("state", "=", "planned")], limit=1)
        if not route:
            self.skipTest("no planned route in the demo data")
        with self.assertRaises(StateError), self.env.cr.savepoint():
            route.write({"state": "done"})
        route._write_state({"state": "done"})
        self.assertEqual(route.state, "done")

    def test_commands_of_a_guarded_x2many_are_refused(self):
        """Commands for a guarded one2many/many2many field are refused, also on a record
        with several lines (they were compared like a many2one's id: a server error)."""
        parent = self.env["res.partner"].create(
            {"name": "Mutter GmbH", "is_company": True, "child_ids": [(0, 0, {"name": "A"})]}
        )
        parent.child_ids += self.env["res.partner"].create({"name": "B"})
        with self.assertRaises(StateError):
            state.check_write(parent, {"child_ids": [(6, 0, [])]}, ("child_ids",))
        # nothing to change on no records
        state.check_write(parent.browse(), {"child_ids": [(6, 0, [])]}, ("child_ids",))
