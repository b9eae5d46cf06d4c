from markupsafe import Markup

from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        """The e-mail of an invoice collected by SEPA direct debit carries the
        pre-notification (amount, date, masked IBAN, mandate, creditor id), in the
        e-mail's language, not only the attached PDF."""
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        text = move.with_context(lang=mail_lang or move.partner_id.lang).crm_sepa_prenotification
        if not text:
            return body
        return (body or Markup()) + Markup('<p class="crm_sepa_prenotification">%s</p>') % text
