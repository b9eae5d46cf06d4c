"""Lifecycle of our addons on a database with data: uninstall each addon (leaf first) through
Odoo's own module uninstall, then install each again on its own (dependencies first).

Run by `scripts/suite.py test` inside `odoo-bin shell` after the RPC tests, on the database
that the tests filled; the upgrade (`odoo-bin -u`) runs before, as its own process. Problems
are logged at ERROR level (the log check of `make test` fails on them) and printed as
`LIFECYCLE-FAIL: ...`.
"""

import logging
import time

_logger = logging.getLogger("crm_suite.lifecycle")


def _with_env(dbname, function):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415 - runs inside odoo-bin shell
    from odoo.modules.registry import Registry  # noqa: PLC0415

    with Registry(dbname).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}))


def _fail(message, *args):
    _logger.error(message, *args)
    print("LIFECYCLE-FAIL: " + (message % args), flush=True)


def _state(dbname, name):
    return _with_env(
        dbname, lambda env: env["ir.module.module"].search([("name", "=", name)]).state
    )


def _leftovers(dbname, name):
    """What the module still owns after its uninstall, by model. Technical records (models,
    fields, views, menus, actions, rights, rules, crons: `ir.*`) must all be gone; business
    records that other data still references (a demo customer with posted invoices, a
    chronicle type that logged entries use) are kept by Odoo on purpose."""

    def query(env):
        env.cr.execute(
            "SELECT model, count(*) FROM ir_model_data WHERE module = %s GROUP BY model", [name]
        )
        return dict(env.cr.fetchall())

    left = _with_env(dbname, query)
    technical = {m: n for m, n in left.items() if m.startswith(("ir.", "res.groups"))}
    kept = {m: n for m, n in left.items() if m not in technical}
    return technical, kept


def _module_do(dbname, name, method):
    def call(env):
        module = env["ir.module.module"].search([("name", "=", name)])
        # Odoo's button takes this lock with NOWAIT and gives up at once if anyone holds a
        # conflicting one, which PostgreSQL's autovacuum does for a moment after the many
        # updates of ir_module_module that each module operation makes. An administrator would
        # click again; we wait for the lock in the same transaction instead (autovacuum yields
        # to a waiting lock), so the button's own NOWAIT finds it already held.
        env.cr.execute("SET LOCAL lock_timeout = '60s'")
        env.cr.execute("LOCK ir_module_module IN EXCLUSIVE MODE")
        getattr(module, method)()

    _with_env(dbname, call)


def run(dbname, addons):
    """addons: in dependency order (crm_core first)."""
    timings = []
    for name in reversed(addons):
        start = time.time()
        _module_do(dbname, name, "button_immediate_uninstall")
        timings.append((f"uninstall {name}", time.time() - start))
        state = _state(dbname, name)
        if state != "uninstalled":
            _fail("%s is %s after its uninstall", name, state)
        technical, kept = _leftovers(dbname, name)
        if technical:
            _fail("%s left technical records behind after its uninstall: %s", name, technical)
        if kept:
            print(f"LIFECYCLE-KEPT: {name}: still referenced, kept by Odoo: {kept}", flush=True)
    for name in addons:
        start = time.time()
        _module_do(dbname, name, "button_immediate_install")
        timings.append((f"install {name}", time.time() - start))
        state = _state(dbname, name)
        if state != "installed":
            _fail("%s is %s after its install", name, state)
    for step, seconds in timings:
        print(f"LIFECYCLE-STEP: {step}: {seconds:.1f} s", flush=True)
    print("LIFECYCLE-DONE", flush=True)
