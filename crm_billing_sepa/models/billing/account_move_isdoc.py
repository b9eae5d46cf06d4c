from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_isdoc_document(self):
        raise NotImplementedError
