from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        info["crm_telephony_can_dial"] = bool(
            user._is_internal() and user.sudo().crm_telephony_box_id
        )
        return info
