from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# the chronicle types of this addon: {xmlid name: code}
CHRONICLE_TYPES = {"crm_chronicle_type_sepa": "sepa", "crm_chronicle_type_dunning": "dunning"}


def pre_init_hook(env):
    """Installed again after an uninstall: the chronicle types that the logged entries kept
    are this addon's again."""
    env["crm.chronicle.type"]._crm_adopt_kept_types("crm_billing_sepa", CHRONICLE_TYPES)


def uninstall_hook(env):
    """Dunning runs and letters go with the addon: delete them first, so that no letter
    still holds the dunning levels that the uninstall removes. The chronicle entries that
    this addon logged stay (history), and so do their types."""
    context = {"active_test": False, MODULE_UNINSTALL_FLAG: True}
    env["crm.dunning.run"].with_context(**context).search([]).unlink()
    env["crm.dunning.letter"].with_context(**context).search([]).unlink()
    env["crm.chronicle.type"]._crm_release_used_types("crm_billing_sepa")
