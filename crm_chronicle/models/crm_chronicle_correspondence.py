from odoo import fields, models
from odoo.tools import SQL

KINDS = [
    ("entry", "Chronicle Entry"),
    ("invoice", "Invoice / Credit Note"),
    ("email", "E-mail"),
    ("attachment", "Attachment"),
]


class CrmChronicleCorrespondence(models.Model):
    """Every document about a customer in one chronological list: chronicle entries,
    invoices and credit notes, e-mails and attachments (a read-only SQL view)."""

    _name = "crm.chronicle.correspondence"
    _description = "Customer Correspondence"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    # the ORM flushes these before reading the view
    _depends = {
        "crm.chronicle.entry": [
            "date",
            "name",
            "commercial_partner_id",
            "user_id",
            "company_id",
            "private",
            "attachment_ids",
        ],
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "date",
            "name",
            "commercial_partner_id",
            "invoice_user_id",
            "company_id",
        ],
        "mail.message": [
            "message_type",
            "date",
            "subject",
            "body",
            "author_id",
            "partner_ids",
            "subtype_id",
            "model",
            "res_id",
        ],
        "ir.attachment": ["name", "res_model", "res_id", "res_field", "company_id"],
        "res.partner": ["commercial_partner_id", "partner_share"],
    }

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Datetime(readonly=True)
    name = fields.Char("Subject", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)

    @property
    def _table_query(self):
        # ids: the source id times 4 plus the kind's rank, unique and stable
        return SQL(
            """
            SELECT e.id * 4 AS id, 'entry' AS kind, e.date, e.name,
                   e.commercial_partner_id AS partner_id, e.user_id, e.company_id,
                   'crm.chronicle.entry' AS res_model, e.id AS res_id
              FROM crm_chronicle_entry e
             WHERE e.private IS NOT TRUE
            UNION ALL
            SELECT m.id * 4 + 1, 'invoice', COALESCE(m.invoice_date, m.date)::timestamp,
                   m.name, m.commercial_partner_id, m.invoice_user_id, m.company_id,
                   'account.move', m.id
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
            UNION ALL
            SELECT msg.id * 4 + 2, 'email', msg.date,
                   COALESCE(NULLIF(msg.subject, ''),
                            left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)),
                   p.commercial_partner_id, NULL, NULL, msg.model, msg.res_id
              FROM mail_message msg
              JOIN res_partner p ON p.id = msg.author_id
             WHERE msg.message_type = 'email' AND p.partner_share
            UNION ALL
            SELECT DISTINCT ON (msg.id) msg.id * 4 + 2, 'email', msg.date,
                   COALESCE(NULLIF(msg.subject, ''),
                            left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)),
                   p.commercial_partner_id, NULL, NULL, msg.model, msg.res_id
              FROM mail_message msg
              JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = msg.id
              JOIN res_partner p ON p.id = rel.res_partner_id
              JOIN mail_message_subtype st ON st.id = msg.subtype_id AND st.internal IS NOT TRUE
             WHERE msg.message_type IN ('comment', 'email_outgoing') AND p.partner_share
            UNION ALL
            SELECT a.id * 4 + 3, 'attachment', a.create_date, a.name, p.commercial_partner_id,
                   a.create_uid, a.company_id, 'ir.attachment', a.id
              FROM ir_attachment a
              JOIN res_partner p ON a.res_model = 'res.partner' AND p.id = a.res_id
             WHERE a.res_field IS NULL
            UNION ALL
            SELECT a.id * 4 + 3, 'attachment', a.create_date, a.name, e.commercial_partner_id,
                   a.create_uid, e.company_id, 'ir.attachment', a.id
              FROM ir_attachment a
              JOIN crm_chronicle_entry_attachment_rel r ON r.attachment_id = a.id
              JOIN crm_chronicle_entry e ON e.id = r.entry_id AND e.private IS NOT TRUE
            """
        )

    def action_open(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            return False
        record.check_access("read")
        if record._name == "ir.attachment":
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{record.id}?download=true",
                "target": "download",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }
