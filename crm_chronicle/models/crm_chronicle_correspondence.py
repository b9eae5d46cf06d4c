from odoo import api, fields, models
from odoo.tools import SQL

KINDS = [
    ("entry", "Chronicle Entry"),
    ("invoice", "Invoice / Credit Note"),
    ("email", "E-mail"),
    ("attachment", "Attachment"),
]


class CrmChronicleCorrespondence(models.Model):
    """Every document about a customer in one chronological list: chronicle entries,
    invoices and credit notes, e-mails and attachments (a read-only SQL view).

    Each row carries its company (a record rule keeps the user's companies) and the document
    whose read right it follows (``doc_model``, ``doc_id``): the entry, the invoice, the
    record an e-mail belongs to, the partner or entry an attachment hangs on. Searches,
    groupings, reads and exports of a user only reach rows of documents that user may read
    (``_search`` and ``_check_access``): no invoice without rights on invoices, no e-mail of
    a record the user may not open."""

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
            "source_model",
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
            "record_company_id",
            "create_uid",
        ],
        "ir.attachment": ["name", "res_model", "res_id", "res_field", "company_id", "create_uid"],
        "res.partner": ["commercial_partner_id", "partner_share", "company_id"],
        "res.users": ["company_id"],
    }

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Datetime(readonly=True)
    name = fields.Char("Subject", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    doc_model = fields.Char("Access Model", readonly=True)
    doc_id = fields.Many2oneReference("Access Record", model_field="doc_model", readonly=True)

    @property
    def _table_query(self):
        # ids: the source id times 4 plus the kind's rank, unique and stable. Entries that
        # log an invoice or an e-mail are left out: the invoice's and the e-mail's own row
        # stand for them, with their own access.
        return SQL(
            """
            SELECT e.id * 4 AS id, 'entry' AS kind, e.date, e.name,
                   e.commercial_partner_id AS partner_id, e.user_id, e.company_id,
                   'crm.chronicle.entry' AS res_model, e.id AS res_id,
                   'crm.chronicle.entry' AS doc_model, e.id AS doc_id
              FROM crm_chronicle_entry e
             WHERE e.private IS NOT TRUE
               AND e.source_model IS DISTINCT FROM 'account.move'
               AND e.source_model IS DISTINCT FROM 'mail.message'
            UNION ALL
            SELECT m.id * 4 + 1, 'invoice', COALESCE(m.invoice_date, m.date)::timestamp,
                   m.name, m.commercial_partner_id, m.invoice_user_id, m.company_id,
                   'account.move', m.id, 'account.move', m.id
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
            UNION ALL
            SELECT msg.id * 4 + 2, 'email', msg.date,
                   COALESCE(NULLIF(msg.subject, ''),
                            left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)),
                   p.commercial_partner_id, NULL,
                   COALESCE(msg.record_company_id, p.company_id, u.company_id),
                   msg.model, msg.res_id, msg.model, msg.res_id
              FROM mail_message msg
              JOIN res_partner p ON p.id = msg.author_id
              LEFT JOIN res_users u ON u.id = msg.create_uid
             WHERE msg.message_type = 'email' AND p.partner_share
               AND msg.model IS NOT NULL AND msg.res_id IS NOT NULL
            UNION ALL
            SELECT DISTINCT ON (msg.id) msg.id * 4 + 2, 'email', msg.date,
                   COALESCE(NULLIF(msg.subject, ''),
                            left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)),
                   p.commercial_partner_id, NULL,
                   COALESCE(msg.record_company_id, p.company_id, u.company_id),
                   msg.model, msg.res_id, msg.model, msg.res_id
              FROM mail_message msg
              JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = msg.id
              JOIN res_partner p ON p.id = rel.res_partner_id
              JOIN mail_message_subtype st ON st.id = msg.subtype_id AND st.internal IS NOT TRUE
              LEFT JOIN res_users u ON u.id = msg.create_uid
             WHERE msg.message_type IN ('comment', 'email_outgoing') AND p.partner_share
               AND msg.model IS NOT NULL AND msg.res_id IS NOT NULL
            UNION ALL
            SELECT a.id * 4 + 3, 'attachment', a.create_date, a.name, p.commercial_partner_id,
                   a.create_uid, COALESCE(a.company_id, p.company_id, u.company_id),
                   'ir.attachment', a.id, 'res.partner', p.id
              FROM ir_attachment a
              JOIN res_partner p ON a.res_model = 'res.partner' AND p.id = a.res_id
              LEFT JOIN res_users u ON u.id = a.create_uid
             WHERE a.res_field IS NULL
            UNION ALL
            SELECT a.id * 4 + 3, 'attachment', a.create_date, a.name, e.commercial_partner_id,
                   a.create_uid, e.company_id, 'ir.attachment', a.id, 'crm.chronicle.entry', e.id
              FROM ir_attachment a
              JOIN crm_chronicle_entry_attachment_rel r ON r.attachment_id = a.id
              JOIN crm_chronicle_entry e ON e.id = r.entry_id AND e.private IS NOT TRUE
            """
        )

    # ------------------------------------------------------------------------------------------
    # Access: rows of documents the user may read
    # ------------------------------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        query = super()._search(domain, offset, limit, order, **kwargs)
        if not (self.env.su or kwargs.get("bypass_access")) and not query.is_empty():
            query.add_where(self._readable_documents_sql(query))
        return query

    @api.model
    def _readable_documents_sql(self, query):
        """The condition on the rows of `query` that keeps those whose document (doc_model,
        doc_id) the user may read: one subquery of each document model among them, with
        that model's access rights and record rules."""
        alias = query.table
        models_found = self.env.execute_query(
            SQL(
                "SELECT DISTINCT %s FROM %s WHERE %s",
                SQL.identifier(alias, "doc_model"),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
            )
        )
        conditions = []
        for (model,) in models_found:
            if model not in self.env or not self.env[model].has_access("read"):
                continue
            readable = self.env[model].with_context(active_test=False)._search([])
            conditions.append(
                SQL(
                    "(%s = %s AND %s IN %s)",
                    SQL.identifier(alias, "doc_model"),
                    model,
                    SQL.identifier(alias, "doc_id"),
                    readable.subselect(),
                )
            )
        return SQL("(%s)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")

    def _check_access(self, operation):
        """Rows read by id (read, export) follow their document's read right too."""
        result = super()._check_access(operation)
        if not self or self.env.su:
            return result
        checked = self - result[0] if result else self
        visible = checked.browse(checked._search([("id", "in", checked.ids)]).get_result_ids())
        forbidden = checked - visible
        if forbidden:
            if result:
                return (result[0] + forbidden, result[1])
            return (
                forbidden,
                lambda: self.env["ir.rule"]._make_access_error(operation, forbidden),
            )
        return result

    # ------------------------------------------------------------------------------------------
    # Opening a row
    # ------------------------------------------------------------------------------------------
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
