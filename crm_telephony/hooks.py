def post_init_hook(env):
    """Index the phone numbers of all existing partners."""
    env["crm.partner.identifier"]._rebuild_all()
