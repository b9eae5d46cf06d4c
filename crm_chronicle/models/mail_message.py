from odoo import api, models

from odoo.addons.crm_core.tools import sanitize

from .crm_chronicle_entry_log import SUBJECT_MAX

CHRONICLE_MODELS = ("crm.chronicle.entry", "crm.chronicle.resubmission")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        if not self.env.context.get("crm_chronicle_no_mail_log"):
            messages._crm_chronicle_log_emails()
        return messages

    def _crm_chronicle_log_emails(self):
        """E-mails received from or sent to customers become chronicle entries linked to the
        message, in the company of the document they belong to: incoming e-mails ("email")
        by their external author, posted messages (not notes) by their external
        recipients."""
        candidates = self.filtered(
            lambda m: m.model not in CHRONICLE_MODELS
            and (
                m.message_type == "email"
                or (m.message_type in ("comment", "email_outgoing") and m.partner_ids)
            )
        )
        if not candidates:
            return
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        root = self.env.ref("base.user_root")
        entries = []
        for message in candidates.sudo():
            incoming = message.message_type == "email"
            if incoming:
                partners = message.author_id.filtered("partner_share")
            elif message.subtype_id.id == comment:
                partners = message.partner_ids.filtered("partner_share")
            else:
                continue
            author_user = message.author_id.user_ids.filtered(lambda u: not u.share)[:1]
            subject = message.subject or message.record_name or self.env._("(no subject)")
            subject = sanitize.text(
                self.env._("E-mail received: %(subject)s", subject=subject)
                if incoming
                else self.env._("E-mail sent: %(subject)s", subject=subject)
            )[:SUBJECT_MAX]
            entries.extend(
                {
                    "partner": partner,
                    "type_code": "email",
                    "subject": subject,
                    "body": message.body,
                    "source": message,
                    "date": message.date,
                    "user": author_user or partner.user_id or root,
                    "attachment_ids": message.attachment_ids,
                    "company": message.record_company_id,
                }
                for partner in partners
            )
        self.env["crm.chronicle.entry"].sudo()._log_entries(entries, "mail.message")
