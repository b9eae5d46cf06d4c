from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    # ------------------------------------------------------------------------------------------
    # Activating a language with the translations of everything installed
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_activate_with_translations(self, codes):
        """Activate the languages `codes` and load into them the translations of every
        installed module, Odoo's own and ours, as Odoo's language installer (Settings >
        Languages > Add) does: the screens are not half English. The demo data activates
        German and Czech this way."""
        for code in codes:
            self._activate_lang(code)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        modules._update_translations(list(codes))
