def post_init_hook(env):
    """Give every existing company its debtor and creditor number ranges."""
    env["res.company"].search([])._crm_ensure_sequences()
