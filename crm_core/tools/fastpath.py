"""The one switch of the suite's fast paths.

A fast path is set-based SQL that writes tables of another module (or re-does work of the
ORM) to be fast at scale: bulk invoice lines, SEPA booking, chronicle entries of other
addons. Each lives in its owning addon's ``tools/fastpath*.py`` behind one documented
entry, steps aside by itself where it cannot be exact, and is compared row by row with the
ORM path in the tests.

``enabled(env)`` is False, and every fast path takes the ordinary ORM path, when

* the environment variable ``CRM_FASTPATH`` is ``0`` (``off``, ``false``, ``no``): for tests
  (``make test`` runs the tests of the addons with fast paths a second time that way) and
  for a server started to compare; or
* the system parameter ``crm_core.fast_path`` is ``0`` (``off``, ``false``, ``no``): an
  administrator turns the fast paths off on a live database (Settings > Technical >
  System Parameters), for instance after an Odoo patch release until the comparison tests
  have run again.
"""

import os

from odoo.modules.module import get_manifest

PARAMETER = "crm_core.fast_path"
VARIABLE = "CRM_FASTPATH"
_OFF = {"0", "off", "false", "no"}


def enabled(env):
    """Whether the fast paths may run in `env` (see the module's docstring)."""
    if os.environ.get(VARIABLE, "").strip().lower() in _OFF:
        return False
    if env.context.get("crm_fast_path") is False:
        return False
    value = env["ir.config_parameter"].sudo().get_param(PARAMETER, "1")
    return str(value).strip().lower() not in _OFF


def knowing_overrides(model, methods, owners, reviewed=()):
    """The overrides of these methods of `model` (as "module: method") by modules that know
    fields of the modules `owners` (they are one of them or depend on one, directly or not)
    and are neither an owner nor `reviewed` (overrides read and found not to react to the
    fields a fast path writes). A fast path that writes those fields without the ORM steps
    aside while there is one: its logic would be skipped. A module without a manifest (code
    that is no installed module) counts as knowing everything."""
    return [
        f"{module}: {method}"
        for cls in type(model).__mro__
        for method in methods
        if method in vars(cls)
        and (module := getattr(cls, "_module", None))
        and module not in owners
        and module not in reviewed
        and depends_on(module, owners)
    ]


def depends_on(module, owners, seen=None):
    """Whether `module` (directly or not) depends on one of the modules `owners`; a name
    without a manifest counts as depending."""
    if module in owners:
        return True
    manifest = get_manifest(module)
    if not manifest:
        return True
    seen = set() if seen is None else seen
    seen.add(module)
    return any(
        depends_on(parent, owners, seen)
        for parent in manifest.get("depends", ())
        if parent not in seen
    )
