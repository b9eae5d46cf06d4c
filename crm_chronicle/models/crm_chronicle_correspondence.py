import hashlib
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_core.tools.boundary import ArgumentError, one_record

KINDS = [
    ("entry", "Chronicle Entry"),
    ("invoice", "Invoice / Credit Note"),
    ("email", "E-mail"),
    ("attachment", "Attachment"),
    ("project", "Project"),
    ("task", "Task"),
]

# The columns every contribution of `_correspondence_sources` selects, by name (any order),
# with the type the view gives them.
SOURCE_COLUMNS = {
    "source_id": "bigint",
    "kind": "varchar",
    "date": "timestamp",
    "name": "varchar",
    "partner_id": "integer",
    "user_id": "integer",
    "company_id": "integer",
    "res_model": "varchar",
    "res_id": "integer",
    "doc_model": "varchar",
    "doc_id": "integer",
}
# a row's id: source_id * KIND_SPAN + the kind's code (see _correspondence_kind_codes)
KIND_SPAN = 1 << 16
# row ids beyond PostgreSQL's bigint name no row
MAX_ROW_ID = 1 << 63


class CrmChronicleCorrespondence(models.Model):
    """Every document about a customer in one chronological list (a read-only SQL view).

    crm_chronicle lists chronicle entries, invoices and credit notes, e-mails and attachments;
    every other addon adds its own documents through one hook, ``_correspondence_sources``
    (a SELECT per kind of document, see there), without touching this SQL.

    Each row carries its company (a record rule keeps the user's companies) and the document
    whose read right it follows (``doc_model``, ``doc_id``): the entry, the invoice, the
    record an e-mail belongs to, the partner or entry an attachment hangs on. Searches,
    groupings, reads and exports of a user only reach rows of documents that user may read
    (``_search`` and ``_check_access``): no invoice without rights on invoices, no e-mail of
    a record the user may not open."""

    _name = "crm.chronicle.correspondence"
    _description = "Customer Correspondence"
    _auto = False
    # newest first; documents of the same moment in the order of the business flow (a
    # delivery after its order, an invoice after its delivery), see `_correspondence_flow`
    _order = "date desc, flow_sequence desc, id desc"
    _rec_name = "name"
    # the ORM flushes these before reading the view; an addon contributing rows adds its own
    # models and fields in its `_inherit` (Odoo merges the `_depends` of every class)
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
        "crm.project.partner": ["project_id", "partner_id"],
        "project.project": ["name", "date_start", "user_id", "company_id"],
        "project.task": ["name", "partner_id", "company_id", "create_uid"],
        "res.users": ["company_id"],
    }

    # other addons add their kinds: fields.Selection(selection_add=[("x", "X")])
    kind = fields.Selection(KINDS, readonly=True)
    source_id = fields.Integer("Source Record", readonly=True)
    date = fields.Datetime(readonly=True)
    flow_sequence = fields.Integer("Flow Step", readonly=True)
    name = fields.Char("Subject", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    doc_model = fields.Char("Access Model", readonly=True)
    doc_id = fields.Many2oneReference("Access Record", model_field="doc_model", readonly=True)
    can_print = fields.Boolean(compute="_compute_can_print_send")
    can_send = fields.Boolean(compute="_compute_can_print_send")

    # ------------------------------------------------------------------------------------------
    # The hook: what each addon contributes
    # ------------------------------------------------------------------------------------------
    @api.model
    def _correspondence_sources(self):
        """The documents of the correspondence: a list of ``SQL`` SELECTs, one or more per
        kind. An addon adds its own documents by overriding this method, extending
        ``kind`` with ``selection_add`` and ``_depends`` with the fields its SELECT reads::

            class CrmChronicleCorrespondence(models.Model):
                _inherit = "crm.chronicle.correspondence"
                _depends = {"crm.route": ["date", "name", "partner_id", "company_id"]}

                kind = fields.Selection(selection_add=[("route", "Route")])

                def _correspondence_sources(self):
                    return super()._correspondence_sources() + [SQL(
                        "SELECT r.id AS source_id, 'route' AS kind, r.date::timestamp AS date,"
                        " ... FROM crm_route r WHERE ...")]

        Each SELECT names these columns (by alias, in any order; the view casts them):

        - ``source_id``: the id of the row's own record, unique within its kind (a row's id
          is ``source_id * 65536`` plus a code derived from the kind's key, so it is stable
          whatever addons are installed);
        - ``kind``: a key of the ``kind`` selection;
        - ``date``, ``name``: when, and the subject shown;
        - ``partner_id``: the commercial partner (the customer the row is listed under);
        - ``user_id`` (or NULL), ``company_id``: who is responsible, and the company the row
          belongs to (the record rule keeps the user's companies);
        - ``res_model``, ``res_id``: the record the row opens, prints and sends;
        - ``doc_model``, ``doc_id``: the record whose read right the row follows (a user who
          may not read it does not see the row), usually the same as res_model/res_id.

        A SELECT must be cheap when the view is filtered by partner: the filter is pushed
        into each SELECT, so index the column behind ``partner_id``. If the addon also logs
        its documents as chronicle entries, it adds their model to
        ``_correspondence_logged_models`` so that its own row stands for the entry."""
        logged = sorted(self._correspondence_logged_models())
        return [
            SQL(
                """
                SELECT e.id AS source_id, 'entry' AS kind, e.date, e.name,
                       e.commercial_partner_id AS partner_id, e.user_id, e.company_id,
                       'crm.chronicle.entry' AS res_model, e.id AS res_id,
                       'crm.chronicle.entry' AS doc_model, e.id AS doc_id
                  FROM crm_chronicle_entry e
                 WHERE e.private IS NOT TRUE
                   AND (e.source_model IS NULL OR e.source_model NOT IN %s)
                """,
                tuple(logged),
            ),
            SQL(
                """
                SELECT m.id AS source_id, 'invoice' AS kind, %s AS date, m.name,
                       m.commercial_partner_id AS partner_id, m.invoice_user_id AS user_id,
                       m.company_id, 'account.move' AS res_model, m.id AS res_id,
                       'account.move' AS doc_model, m.id AS doc_id
                  FROM account_move m
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
                """,
                self._correspondence_moment(
                    SQL("COALESCE(m.invoice_date, m.date)"), SQL("m.create_date")
                ),
            ),
            SQL(
                """
                SELECT msg.id AS source_id, 'email' AS kind, msg.date,
                       COALESCE(NULLIF(msg.subject, ''),
                                left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)) AS name,
                       p.commercial_partner_id AS partner_id, NULL AS user_id,
                       COALESCE(msg.record_company_id, p.company_id, u.company_id) AS company_id,
                       msg.model AS res_model, msg.res_id, msg.model AS doc_model,
                       msg.res_id AS doc_id
                  FROM mail_message msg
                  JOIN res_partner p ON p.id = msg.author_id
                  LEFT JOIN res_users u ON u.id = msg.create_uid
                 WHERE msg.message_type = 'email' AND p.partner_share
                   AND msg.model IS NOT NULL AND msg.res_id IS NOT NULL
                """
            ),
            SQL(
                """
                SELECT msg.id AS source_id, 'email' AS kind, msg.date,
                       COALESCE(NULLIF(msg.subject, ''),
                                left(regexp_replace(msg.body, '<[^>]*>', '', 'g'), 80)) AS name,
                       p.commercial_partner_id AS partner_id, NULL AS user_id,
                       COALESCE(msg.record_company_id, p.company_id, u.company_id) AS company_id,
                       msg.model AS res_model, msg.res_id, msg.model AS doc_model,
                       msg.res_id AS doc_id
                  FROM mail_message msg
                  JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = msg.id
                  JOIN res_partner p ON p.id = rel.res_partner_id AND p.partner_share
                  JOIN mail_message_subtype st
                    ON st.id = msg.subtype_id AND st.internal IS NOT TRUE
                  LEFT JOIN res_users u ON u.id = msg.create_uid
                 WHERE msg.message_type IN ('comment', 'email_outgoing')
                   AND msg.model IS NOT NULL AND msg.res_id IS NOT NULL
                   -- once, under the first customer among its recipients (no DISTINCT: the
                   -- filter on the customer reaches the recipients' index)
                   AND NOT EXISTS (
                       SELECT 1
                         FROM mail_message_res_partner_rel rel2
                         JOIN res_partner p2 ON p2.id = rel2.res_partner_id AND p2.partner_share
                        WHERE rel2.mail_message_id = msg.id
                          AND (p2.commercial_partner_id, p2.id)
                              < (p.commercial_partner_id, p.id))
                """
            ),
            SQL(
                """
                SELECT a.id AS source_id, 'attachment' AS kind, a.create_date AS date, a.name,
                       p.commercial_partner_id AS partner_id, a.create_uid AS user_id,
                       COALESCE(a.company_id, p.company_id, u.company_id) AS company_id,
                       'ir.attachment' AS res_model, a.id AS res_id,
                       'res.partner' AS doc_model, p.id AS doc_id
                  FROM ir_attachment a
                  JOIN res_partner p ON a.res_model = 'res.partner' AND p.id = a.res_id
                  LEFT JOIN res_users u ON u.id = a.create_uid
                 WHERE a.res_field IS NULL
                """
            ),
            SQL(
                """
                SELECT a.id AS source_id, 'attachment' AS kind, a.create_date AS date, a.name,
                       e.commercial_partner_id AS partner_id, a.create_uid AS user_id,
                       e.company_id, 'ir.attachment' AS res_model, a.id AS res_id,
                       'crm.chronicle.entry' AS doc_model, e.id AS doc_id
                  FROM ir_attachment a
                  JOIN crm_chronicle_entry_attachment_rel r ON r.attachment_id = a.id
                  JOIN crm_chronicle_entry e ON e.id = r.entry_id AND e.private IS NOT TRUE
                 WHERE e.source_model IS NULL OR e.source_model NOT IN %s
                """,
                tuple(logged),
            ),
            SQL(
                """
                SELECT DISTINCT ON (pr.id, p.commercial_partner_id)
                       pp.id AS source_id, 'project' AS kind,
                       %s AS date,
                       %s AS name, p.commercial_partner_id AS partner_id,
                       pr.user_id, COALESCE(pr.company_id, p.company_id, u.company_id)
                           AS company_id,
                       'project.project' AS res_model, pr.id AS res_id,
                       'project.project' AS doc_model, pr.id AS doc_id
                  FROM crm_project_partner pp
                  JOIN project_project pr ON pr.id = pp.project_id
                  JOIN res_partner p ON p.id = pp.partner_id
                  LEFT JOIN res_users u ON u.id = pr.create_uid
                 ORDER BY pr.id, p.commercial_partner_id, pp.id
                """,
                self._correspondence_moment(SQL("pr.date_start"), SQL("pr.create_date")),
                self._correspondence_translated(SQL("pr.name")),
            ),
            SQL(
                """
                SELECT t.id AS source_id, 'task' AS kind, t.create_date AS date, t.name,
                       p.commercial_partner_id AS partner_id, t.create_uid AS user_id,
                       COALESCE(t.company_id, p.company_id, u.company_id) AS company_id,
                       'project.task' AS res_model, t.id AS res_id,
                       'project.task' AS doc_model, t.id AS doc_id
                  FROM project_task t
                  JOIN res_partner p ON p.id = t.partner_id
                  LEFT JOIN res_users u ON u.id = t.create_uid
                """
            ),
        ]

    @api.model
    def _correspondence_translated(self, column):
        """A translated column (jsonb) of a contribution in the user's language, for
        ``name``: ``self._correspondence_translated(SQL("pr.name"))``."""
        return SQL("COALESCE(%s->>%s, %s->>'en_US')", column, self.env.lang or "en_US", column)

    @api.model
    def _correspondence_moment(self, day, created):
        """The point in time of a document that bears a date only (``day``, an SQL date
        expression; ``created``, its creation timestamp): the time it was created when
        that was on its day (in the user's time zone), else the start of its day; a
        document without a date is placed at its creation. So documents of one day
        follow each other as they were made (an invoice after the order of the same
        morning) instead of all sitting at midnight. For ``date`` in a contribution::

            self._correspondence_moment(SQL("l.date"), SQL("l.create_date"))
        """
        start = SQL(
            "((%s)::timestamp AT TIME ZONE %s AT TIME ZONE 'UTC')",
            day,
            self.env.tz.zone or "UTC",
        )
        return SQL(
            "CASE WHEN (%(day)s) IS NULL THEN %(created)s"
            " WHEN %(created)s >= %(start)s AND %(created)s < %(start)s + interval '1 day'"
            " THEN %(created)s ELSE %(start)s END",
            day=day,
            created=created,
            start=start,
        )

    @api.model
    def _correspondence_flow(self):
        """{kind: step}: where a kind of document comes in the business flow (quotation,
        order, delivery, invoice, dunning letter). Rows of the same moment are listed in
        this order (a higher step is later; kinds not named have step 0). An addon adds
        its kinds (``super()`` and ``update``)."""
        return {"invoice": 40}

    @api.model
    def _correspondence_logged_models(self):
        """The models whose chronicle entries (``source_model``) the correspondence leaves
        out because the document's own row stands for them, with its own access: an addon
        that contributes a kind and also logs it in the chronicle adds its model here."""
        return {"account.move", "mail.message"}

    @api.model
    def _correspondence_kind_codes(self):
        """{kind: code}: the part of a row's id that tells its kind, derived from the kind's
        key alone, so that ids do not change when an addon is installed or removed."""
        codes = {}
        for kind in self._fields["kind"].get_values(self.env):
            code = int(hashlib.sha256(kind.encode()).hexdigest()[:8], 16) % KIND_SPAN
            if code in codes.values():
                raise UserError(
                    self.env._(
                        "The correspondence kinds %(kinds)s have the same id code: rename one.",
                        kinds=", ".join(sorted(k for k, c in codes.items() if c == code) + [kind]),
                    )
                )
            codes[kind] = code
        return codes

    @api.model
    def _correspondence_row_id(self, kind, source_id):
        """The id of the row of `kind` whose own record is `source_id`."""
        return source_id * KIND_SPAN + self._correspondence_kind_codes()[kind]

    @property
    def _table_query(self):
        codes = self._correspondence_kind_codes()
        kind_code = SQL(
            "CASE s.kind %s END",
            SQL(" ").join(SQL("WHEN %s THEN %s", kind, code) for kind, code in codes.items()),
        )
        flow = {kind: step for kind, step in self._correspondence_flow().items() if step}
        flow_sequence = (
            SQL(
                "CASE s.kind %s ELSE 0 END",
                SQL(" ").join(SQL("WHEN %s THEN %s", kind, step) for kind, step in flow.items()),
            )
            if flow
            else SQL("0")
        )
        columns = SQL(", ").join(
            SQL("s.%s::%s AS %s", SQL.identifier(col), SQL(typ), SQL.identifier(col))
            for col, typ in SOURCE_COLUMNS.items()
        )
        return SQL(" UNION ALL ").join(
            SQL(
                "SELECT s.source_id::bigint * %s + %s AS id, %s AS flow_sequence, %s FROM (%s) s",
                KIND_SPAN,
                kind_code,
                flow_sequence,
                columns,
                source,
            )
            for source in self._correspondence_sources()
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
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        """The list's first page and its count ask for the document models of the same
        rows: the second time they are taken from the first (within this call only)."""
        memo_key = "crm_chronicle_correspondence_doc_models"
        self.env.cr.cache[memo_key] = {}
        try:
            return super().web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            )
        finally:
            self.env.cr.cache.pop(memo_key, None)

    @api.model
    def _readable_documents_sql(self, query):
        """The condition on the rows of `query` that keeps those whose document (doc_model,
        doc_id) the user may read: for each document model among them, the document
        exists among those the user may read (that model's access rights and record
        rules), looked up by its id (the rows of one customer are few, the documents of a
        model many)."""
        alias = query.table
        found_sql = SQL(
            "SELECT DISTINCT %s FROM %s WHERE %s",
            SQL.identifier(alias, "doc_model"),
            query.from_clause,
            query.where_clause or SQL("TRUE"),
        )
        memo = self.env.cr.cache.get("crm_chronicle_correspondence_doc_models")
        key = (found_sql.code, tuple(map(str, found_sql.params)))
        if memo is not None and key in memo:
            models_found = memo[key]
        else:
            models_found = [model for (model,) in self.env.execute_query(found_sql)]
            if memo is not None:
                memo[key] = models_found
        conditions = []
        for model in models_found:
            if model not in self.env or not self.env[model].has_access("read"):
                continue
            readable = self.env[model].with_context(active_test=False)._search([])
            if readable.is_empty():
                continue
            readable.add_where(
                SQL(
                    "%s = %s",
                    SQL.identifier(readable.table, "id"),
                    SQL.identifier(alias, "doc_id"),
                )
            )
            conditions.append(
                SQL(
                    "(%s = %s AND EXISTS %s)",
                    SQL.identifier(alias, "doc_model"),
                    model,
                    readable.subselect(SQL("1")),
                )
            )
        return SQL("(%s)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")

    def _rows_domain(self):
        """The domain of these rows by kind and source record: unlike one on ``id`` (an
        expression of the view), it reaches each source table through its primary key."""
        kinds = {code: kind for kind, code in self._correspondence_kind_codes().items()}
        by_kind = defaultdict(list)
        for row_id in self._ids:
            if isinstance(row_id, int) and 0 < row_id < MAX_ROW_ID and row_id % KIND_SPAN in kinds:
                by_kind[kinds[row_id % KIND_SPAN]].append(row_id // KIND_SPAN)
        return Domain.OR(
            Domain("kind", "=", kind) & Domain("source_id", "in", source_ids)
            for kind, source_ids in by_kind.items()
        )

    @api.model
    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        """Fetch every column of the rows found at once (reading one more later would
        read the view by id again), and remember them as readable: they passed the
        check of their documents in `_search`, which `_check_access` need not repeat for
        this user in this transaction (the list's first page is found, then read)."""
        if field_names is not None:
            stored = [name for name, field in self._fields.items() if field.store]
            field_names = [*field_names, *stored]
        records = super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        if not self.env.su:
            self._readable_memo().update(records._ids)
        return records

    def _readable_memo(self):
        """The ids found readable by `_search` in this transaction, per user and companies."""
        memo = self.env.cr.cache.setdefault("crm_chronicle_correspondence_readable", {})
        return memo.setdefault((self.env.uid, tuple(self.env.companies.ids)), set())

    def _check_access(self, operation):
        """Rows read by id (read, export) follow their document's read right too."""
        result = super()._check_access(operation)
        if not self or self.env.su:
            return result
        checked = self - result[0] if result else self
        if operation == "read":
            memo = self._readable_memo()
            checked = checked.filtered(lambda row: row.id not in memo)
            if not checked:
                return result
        visible = checked.browse(checked._search(checked._rows_domain()).get_result_ids())
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
    # Opening, printing and sending a row's document
    # ------------------------------------------------------------------------------------------
    @api.model
    def _correspondence_document_actions(self):
        """{document model: {"print": method, "send": method}}: how the list's buttons
        print and send a row's document again, with the document's own actions (methods
        without arguments on the document). An addon adds its models (``super()`` and
        ``update``). Without a "print" method a row prints with the first report of its
        model's print menu; "send" is only offered where given, ``"composer"`` meaning
        the e-mail composer on the document (with its model's first e-mail template)."""
        return {"account.move": {"send": "action_invoice_sent"}}

    @api.model
    def _correspondence_reports(self, res_models):
        """{model: report}: the first report of each model's print menu the user may use."""
        reports = (
            self.env["ir.actions.report"]
            .sudo()
            .search(
                [("model", "in", list(res_models)), ("binding_model_id", "!=", False)],
                order="id",
            )
        )
        user_groups = self.env.user.all_group_ids
        result = {}
        for report in reports:
            if report.model not in result and (
                not report.group_ids or report.group_ids & user_groups
            ):
                result[report.model] = report.with_env(self.env)
        return result

    def _correspondence_can_send(self, res_model):
        actions = self._correspondence_document_actions().get(res_model, {})
        return bool(actions.get("send")) and res_model in self.env

    @api.depends("res_model")
    def _compute_can_print_send(self):
        res_models = {row.res_model for row in self if row.res_model in self.env}
        actions = self._correspondence_document_actions()
        printable = {m for m in res_models if actions.get(m, {}).get("print")}
        printable |= set(self._correspondence_reports(res_models - printable))
        sendable = {m for m in res_models if self._correspondence_can_send(m)}
        for row in self:
            row.can_print = row.res_model in printable
            row.can_send = row.res_model in sendable

    def _check_row(self):
        """The one row a button is called on (over RPC any ids may come): an
        ArgumentError (a 4xx-style error, logged at INFO) for anything but the id of one
        row the user may read; looked up by its source record (cheap). A row of another
        company or of a document the user may not read is refused like a missing one
        (the answer does not tell whether it exists)."""
        ids = self._ids
        if (
            len(ids) != 1
            or not isinstance(ids[0], int)
            or isinstance(ids[0], bool)
            or not 0 < ids[0] < MAX_ROW_ID
        ):
            raise ArgumentError(
                self.env._(
                    "Open, print and send work on one row of the correspondence, not on %(ids)s.",
                    ids=repr(list(ids))[:60],
                )
            )
        if not self.search(self._rows_domain(), limit=1):
            raise ArgumentError(
                self.env._(
                    "Row %(id)s of the correspondence does not exist or you may not read "
                    "it (its document may have been deleted).",
                    id=ids[0],
                )
            )

    def _document(self):
        """The row's document, which the user must be allowed to read."""
        self._check_row()
        record = (
            self.env[self.res_model].browse(self.res_id).exists()
            if self.res_model in self.env
            else None
        )
        if not record:
            raise UserError(
                self.env._("The document of %(row)s no longer exists.", row=self.display_name)
            )
        record.check_access("read")
        return record

    @one_record
    def action_open(self):
        record = self._document()
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

    @one_record
    def action_print(self):
        """Print the row's document again: its own print action, else its report."""
        record = self._document()
        method = self._correspondence_document_actions().get(record._name, {}).get("print")
        if method:
            return getattr(record, method)()
        report = self._correspondence_reports({record._name}).get(record._name)
        if not report:
            raise UserError(
                self.env._("%(document)s has nothing to print.", document=record.display_name)
            )
        return report.report_action(record)

    @one_record
    def action_send(self):
        """Send the row's document again: its own send action, else the e-mail composer
        on the document (with its model's first e-mail template)."""
        record = self._document()
        method = self._correspondence_document_actions().get(record._name, {}).get("send")
        if method and method != "composer":
            return getattr(record, method)()
        if not method:
            raise UserError(
                self.env._("%(document)s cannot be sent.", document=record.display_name)
            )
        template = self.env["mail.template"].sudo().search([("model", "=", record._name)], limit=1)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send %(document)s", document=record.display_name),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": record._name,
                "default_res_ids": record.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id,
                "default_partner_ids": self.partner_id.ids,
            },
        }
