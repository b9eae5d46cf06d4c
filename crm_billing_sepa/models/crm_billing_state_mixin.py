from odoo import api, models

from odoo.addons.crm_core.tools.boundary import ArgumentError


class CrmBillingStateMixin(models.AbstractModel):
    """Workflow fields that change only through the record's actions.

    Mandates, batches, payments, dunning runs and letters, services: their state (and
    what goes with it, `_action_fields`) is never written directly, by any user and
    over any channel (forms, XML-RPC, JSON-2, imports): write() and create() refuse it
    with an error naming the record, the field and the actions to use (an ArgumentError:
    the caller's mistake, logged at INFO, answered as a validation error). The actions
    check what they must (a signature date, a draft, ...) and then write these fields with
    `_write_state()`, which checks the user's write access itself. Code running as
    superuser (crons, upgrades, tests' set-up) is not refused."""

    _name = "crm.billing.state.mixin"
    _description = "Workflow State Changed by Actions Only"

    # the fields only the actions write; the default of each may be given on create
    _action_fields = ("state",)

    @api.model
    def _guarded_fields(self):
        """The fields only the actions write (by default `_action_fields`)."""
        return self._action_fields

    def _state_actions(self):
        """The actions that change the state, as the user sees them (for the error)."""
        return ""

    def _refuse_guarded_fields(self, fnames, record_name):
        # who may not write the records at all hears that first
        self.check_access("create" if not self else "write")
        labels = ", ".join(self._fields[name]._description_string(self.env) for name in fnames)
        raise ArgumentError(
            self.env._(
                "%(model)s %(record)s: %(fields)s changes only through its actions "
                "(%(actions)s), not by writing the field.",
                model=self.env["ir.model"]._get(self._name).name,
                record=record_name,
                fields=labels,
                actions=self._state_actions(),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            guarded = self._guarded_fields()
            defaults = self.default_get(list(guarded))
            for vals in vals_list:
                given = [
                    name for name in guarded if vals.get(name) and vals[name] != defaults.get(name)
                ]
                if given:
                    self._refuse_guarded_fields(given, vals.get("name") or "/")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            given = [name for name in self._guarded_fields() if name in vals]
            if given:
                self._refuse_guarded_fields(given, self[:1].display_name or "/")
        return super().write(vals)

    def _write_state(self, vals):
        """Write workflow fields for an action that checked what the state change needs:
        the user must be allowed to write these records (access rights and record rules);
        the guard of write() is passed as superuser."""
        self.check_access("write")
        return self.sudo().write(vals)
