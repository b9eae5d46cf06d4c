from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """The entries go with the chronicle: delete them (and their resubmissions) before Odoo
    deletes the module's data, so that no entry still holds the chronicle types that the
    uninstall removes."""
    entries = env["crm.chronicle.entry"].with_context(
        active_test=False, **{MODULE_UNINSTALL_FLAG: True}
    )
    entries.search([]).unlink()
