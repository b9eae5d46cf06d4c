from odoo import api, models

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
        message: incoming e-mails ("email") by their external author, posted messages (not
        notes) by their external recipients."""
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
        Entry = self.env["crm.chronicle.entry"].sudo()
        root = self.env.ref("base.user_root")
        for message in candidates.sudo():
            incoming = message.message_type == "email"
            if incoming:
                partners = message.author_id.filtered("partner_share")
            elif message.subtype_id.id == comment:
                partners = message.partner_ids.filtered("partner_share")
            else:
                continue
            if not partners:
                continue
            author_user = message.author_id.user_ids.filtered(lambda u: not u.share)[:1]
            subject = message.subject or message.record_name or self.env._("(no subject)")
            for partner in partners:
                user = author_user or partner.user_id or root
                Entry.crm_log(
                    partner,
                    "email",
                    self.env._("E-mail received: %(subject)s", subject=subject)
                    if incoming
                    else self.env._("E-mail sent: %(subject)s", subject=subject),
                    body=message.body,
                    source=message,
                    date=message.date,
                    user=user,
                    attachment_ids=message.attachment_ids,
                )
