def post_init_hook(env):
    """Give every existing company its debtor and creditor number ranges and classes."""
    companies = env["res.company"].search([])
    companies._crm_ensure_sequences()
    companies._crm_ensure_classes()
