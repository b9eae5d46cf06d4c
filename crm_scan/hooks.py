from odoo.modules.db import has_trigram


def pre_init_hook(env):
    """Enable pg_trgm as Odoo does when it creates a database (odoo.service.db), so that
    the trigram index on partner names exists and name matching can use similarity()."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    env.registry.has_trigram = has_trigram(env.cr)
