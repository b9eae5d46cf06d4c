from .tools import uninstall


def post_init_hook(env):
    """Give every existing company its debtor and creditor number ranges and classes, and
    index the identifiers of the existing partners."""
    companies = env["res.company"].search([])
    companies._crm_ensure_sequences()
    companies._crm_ensure_classes()
    # the normalised identifiers (phone numbers...) of the partners that exist already
    env["crm.partner.identifier"]._rebuild_all()


def uninstall_hook(env):
    """Customers and contacts of crm_core's demo data that have history elsewhere (posted
    invoices...) stay when crm_core is uninstalled: release them from the module first, so
    that the uninstall keeps them instead of trying to delete them. So do the demo invoices
    (posted: kept as the books' history). The storage parameter fillfactor of res_partner,
    which crm_core 19.0.1.0.0 set (readme, "ABC analysis and res_partner's storage"), goes
    back to PostgreSQL's default."""
    env.flush_all()
    # the CardDAV/CalDAV change log goes: its triggers on tables that stay must go first
    env["crm.dav.change"]._drop_log_triggers()
    # contact persons' links go with their table; Odoo deletes the module's data (the
    # contact roles they reference ON DELETE RESTRICT) before it drops the tables
    env.cr.execute("DELETE FROM crm_partner_link")
    # the table of crm.turn is no model's table (models/crm_turn.py): Odoo does not drop it
    env.cr.execute("DROP TABLE IF EXISTS crm_turn")
    uninstall.release_referenced(env.cr, "crm_core", "res.partner", "res_partner")
    env.cr.execute("DELETE FROM ir_model_data WHERE module = 'crm_core' AND model = 'account.move'")
    env["ir.model.data"].invalidate_model()
    env.cr.execute("ALTER TABLE res_partner RESET (fillfactor)")
