"""States that change only through their actions.

A record's state (a route done, a call finished, a mandate active) means its action ran and
checked what it must. Writing the state field directly - over XML-RPC or JSON-2, an
import, a server action - would skip those checks, so a model guards its state fields by
inheriting ``crm.state.mixin`` (models/crm_state_mixin.py), whose create() and write() call
``check_create`` and ``check_write`` of this module::

    GUARDED = ("state",)

    class CrmRoute(models.Model):
        _inherit = ["crm.state.mixin"]
        _action_fields = GUARDED

        def _state_actions(self):
            return self.env._("Mark Done, Reopen")

        def action_done(self):
            ...  # the checks
            self._write_state({"state": "done"})  # within state.changing(self, "state")

``changing`` (or the decorator ``changes`` on an internal method that records what happened,
e.g. an event from a device) allows the write for the records' model in the running thread
only (a context variable, which an RPC caller cannot set, unlike the ORM context);
``check_create`` lets a new record start with the field's default and refuses any other
value; ``check_new`` refuses new records altogether outside ``changing`` (records only an
action makes). Data and demo files, loaded while the registry is not ready yet, may set states.

A refused write raises StateError, a UserError naming the model, the record and the field,
logged at INFO by Odoo's HTTP layer (the caller's mistake, not the server's problem).
"""

import contextlib
import contextvars
import functools
import logging

from odoo import models
from odoo.exceptions import UserError


class StateError(UserError):
    """A state written outside its actions."""

    loglevel = logging.INFO


_ALLOWED = contextvars.ContextVar("crm_state_allowed", default=frozenset())


@contextlib.contextmanager
def changing(records, *field_names):
    """Within the block, writes may set `field_names` of records of `records`' model."""
    allowed = frozenset((records._name, name) for name in field_names)
    token = _ALLOWED.set(_ALLOWED.get() | allowed)
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def changes(*field_names):
    """Decorate a method of a model: while it runs, its model's `field_names` may be
    written (``changing`` for the whole method, after its own checks)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            with changing(self, *field_names):
                return method(self, *args, **kwargs)

        return wrapper

    return decorate


def _refuse(records, field_name, actions, operation):
    # who may not change these records at all hears that, not about states
    records.check_access(operation)
    env = records.env
    field = records._fields[field_name]
    raise StateError(
        env._(
            "%(model)s %(record)s: the field %(field)s changes only through its actions "
            "(%(actions)s), not by writing it.",
            model=env["ir.model"]._get(records._name).name or records._name,
            record=", ".join(records[:3].mapped("display_name")) or env._("(new)"),
            field=field._description_string(env),
            actions=actions or "-",
        )
    )


def _allowed(records):
    """(model, field) pairs that may be written now: those of the running actions, and
    all while the registry loads modules (their data and demo files set states as they
    were; nothing from outside reaches a registry that is not ready)."""
    if not records.pool.ready:
        return _EVERYTHING
    return _ALLOWED.get()


class _Everything:
    def __contains__(self, item):
        return True


_EVERYTHING = _Everything()


def _value(record, name):
    """The field's value as a write would give it (an id for a many2one); read as superuser
    since a guarded field may be one the writer may not read (a mandate's complete IBAN):
    only whether it changes is used, never shown."""
    value = record.sudo()[name]
    return value.id if isinstance(value, models.BaseModel) else value


def _changes(records, name, value):
    """Whether writing `value` into the field `name` changes one of `records`; commands
    of a one2many or many2many field count as a change."""
    if records._fields[name].type in ("one2many", "many2many"):
        return bool(records)
    return any(_value(record, name) != (value or False) for record in records)


def check_write(records, vals, field_names, actions=None):
    """Refuse `vals` setting one of `field_names` outside ``changing`` (see the module).
    Writing the value a record already has is no change and passes, for a user who may
    read the field."""
    allowed = _allowed(records)
    for name in field_names:
        if name in vals and (records._name, name) not in allowed:
            # a field the user may not read is not compared (the answer would tell its value)
            if not records._has_field_access(records._fields[name], "read") or _changes(
                records, name, vals[name]
            ):
                _refuse(records, name, actions, "write")


def check_create(model, vals_list, field_names, actions=None):
    """Refuse new records whose `field_names` are given a value other than the field's
    default outside ``changing``."""
    allowed = _allowed(model)
    for name in field_names:
        if (model._name, name) in allowed:
            continue
        field = model._fields[name]
        default = field.default(model) if field.default else False
        if isinstance(default, models.BaseModel):  # as create() takes it: ids
            default = default.id if field.type == "many2one" else default.ids
        if any(name in vals and vals[name] not in (default, None) for vals in vals_list):
            _refuse(model.browse(), name, actions, "create")


def check_new(model, vals_list, actions=None):
    """Refuse creating records of `model` at all outside ``changing`` of its "state": for
    records that only an action makes (a SEPA batch: the record of a file given to a bank).
    The error names the state field and the actions that make such records."""
    if vals_list and (model._name, "state") not in _allowed(model):
        _refuse(model.browse(), "state", actions, "create")
