from odoo import api, models

from odoo.addons.crm_core.tools import state as state_guard


class CrmBillingStateMixin(models.AbstractModel):
    """Workflow fields that change only through the record's actions, for the models of
    this addon, on crm_core's one state guard (crm_core/tools/state.py).

    Mandates, batches, payments, dunning runs and letters, services: their state (and
    what goes with it, `_action_fields`) is never written directly, by any user and over any
    channel (forms, XML-RPC, JSON-2, imports): write() and create() refuse it with a
    StateError naming the record, the field and the actions to use (logged at INFO: the
    caller's mistake). The actions check what they must (a signature date, a draft, ...)
    and then write these fields with `_write_state()`, with the user's own access rights.
    Records only an action makes (`_made_by_actions`: batches and their payments) cannot be
    created directly at all."""

    _name = "crm.billing.state.mixin"
    _description = "Workflow State Changed by Actions Only"

    # the fields only the actions write; a new record may have their defaults
    _action_fields = ("state",)
    # records that only an action creates
    _made_by_actions = False

    @api.model
    def _guarded_fields(self):
        """The fields only the actions write (by default `_action_fields`)."""
        return self._action_fields

    def _state_actions(self):
        """The actions that change the state, as the user sees them (for the error)."""
        return ""

    @api.model_create_multi
    def create(self, vals_list):
        if self._made_by_actions:
            state_guard.check_new(self, vals_list, self._state_actions())
        state_guard.check_create(self, vals_list, self._guarded_fields(), self._state_actions())
        return super().create(vals_list)

    def write(self, vals):
        state_guard.check_write(self, vals, self._guarded_fields(), self._state_actions())
        return super().write(vals)

    def _write_state(self, vals):
        """Write workflow fields for an action that checked what the state change needs
        (with the user's access rights and record rules)."""
        with state_guard.changing(self, *vals):
            return self.write(vals)

    @api.model
    def _create_by_action(self, vals_list):
        """Create records that only an action makes, for that action."""
        with state_guard.changing(self, "state", *self._guarded_fields()):
            return self.create(vals_list)
