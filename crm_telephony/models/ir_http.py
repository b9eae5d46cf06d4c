from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        internal = user._is_internal()
        info["crm_telephony_can_dial"] = bool(internal and user.sudo().crm_telephony_box_id)
        # a CRM user without a box sees a muted dial button that says why it cannot dial
        info["crm_telephony_dial_hint"] = bool(
            internal
            and not info["crm_telephony_can_dial"]
            and user.has_group("crm_core.group_user")
        )
        return info
