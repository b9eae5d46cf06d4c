from odoo import api, models

from ..tools import state as state_guard


class CrmStateMixin(models.AbstractModel):
    """Fields that change only through the record's actions, on the suite's one state
    guard (crm_core/tools/state.py), for every addon's models.

    A route done, a call finished, a mandate active, a document filed: their state (and
    what goes with it, `_action_fields`) is never written directly, by any user and over
    any channel (forms, XML-RPC, JSON-2, imports): write() and create() refuse it with a
    StateError naming the record, the field and the actions to use (`_state_actions`;
    logged at INFO: the caller's mistake). A new record may have the fields' defaults.
    The actions check what they must (a signature date, a planned route, ...) and then
    write these fields with `_write_state()` (or within ``state.changing``/``state.changes``)
    with the user's own access rights. Records only an action makes (`_made_by_actions`:
    SEPA batches and their payments) cannot be created directly at all."""

    _name = "crm.state.mixin"
    _description = "Fields Changed by Actions Only"

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

    # ------------------------------------------------------------------------------------------
    # Refuse direct writes of the guarded fields
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self._made_by_actions:
            state_guard.check_new(self, vals_list, self._state_actions())
        state_guard.check_create(self, vals_list, self._guarded_fields(), self._state_actions())
        return super().create(vals_list)

    def write(self, vals):
        self._check_state_write(vals)
        return super().write(vals)

    def _check_state_write(self, vals):
        """Refuse `vals` writing a guarded field outside the actions (a model with a rule
        of its own, e.g. a field guarded in some states only, extends this)."""
        state_guard.check_write(self, vals, self._guarded_fields(), self._state_actions())

    # ------------------------------------------------------------------------------------------
    # What the actions use
    # ------------------------------------------------------------------------------------------
    def _write_state(self, vals):
        """Write guarded fields for an action that checked what the change needs (with the
        user's access rights and record rules)."""
        with state_guard.changing(self, *vals):
            return self.write(vals)

    @api.model
    def _create_by_action(self, vals_list):
        """Create records that only an action makes, for that action."""
        with state_guard.changing(self, "state", *self._guarded_fields()):
            return self.create(vals_list)
