def post_init_hook(env):
    """Give every existing company its debtor and creditor number ranges and classes, and
    index the identifiers of the existing partners."""
    companies = env["res.company"].search([])
    companies._crm_ensure_sequences()
    companies._crm_ensure_classes()
    # the normalised identifiers (phone numbers...) of the partners that exist already
    env["crm.partner.identifier"]._rebuild_all()
