import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, html_escape

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import ArgumentError, check_records, public

STATES = [
    ("queued", "Queued"),
    ("processing", "Processing"),
    ("needs_review", "Needs Review"),
    ("done", "Filed"),
    ("failed", "Failed"),
]
# the kanban's columns (a phone shows the first): what waits for the user first, filed last -
# PostgreSQL sorts the keys alphabetically, which put "Filed" in front
KANBAN_STATE_ORDER = ["needs_review", "failed", "queued", "processing", "done"]
SOURCES = [("upload", "Upload"), ("email", "E-mail"), ("folder", "Hot Folder")]
FILE_KINDS = [
    ("pdf", "PDF"),
    ("png", "PNG"),
    ("jpeg", "JPEG"),
    ("tiff", "TIFF"),
    ("xml", "XML (e-invoice)"),
    ("other", "Other"),
]
MANDATE_MODEL = "crm.sepa.mandate"
DEFAULT_LANGUAGES = "deu+ces+eng"
DEFAULT_THRESHOLD = 0.8
DEFAULT_PAGES_PER_STEP = 10
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_MEGAPIXELS = 80
DEFAULT_MAX_PAGES = 500
# What only the intake and the processing write: a user's create() or write() cannot set
# them (the state changes through the actions, the original never).
PROCESSING_FIELDS = frozenset(
    {
        "state", "source", "company_id", "attachment_id", "original_file", "original_filename",
        "original_checksum", "original_size", "file_kind", "page_count", "pages_done",
        "unread_pages", "ocr_text", "layout", "searchable_attachment_id", "searchable_file",
        "searchable_filename", "preview", "reason_code", "reason_args", "score",
        "suggestion_ids", "recognized", "document_date", "amount", "mandate_ref",
        "mandate_record", "move_id", "chronicle_entry_id", "filed_date", "filed_user_id",
        "type_manual", "failure_reason", "original_verified",
    }
)  # fmt: skip


def checked_records(records, one=False):
    """The records a public method was called on (the ``ids`` of an RPC call), checked
    like its arguments: they exist, and there is exactly one when ``one``."""
    env = records.env
    where = f"{records._name}"
    check_records(records, where, "ids")
    if one and len(records) != 1:
        raise ArgumentError(
            env._(
                "%(where)s: this works on one record, not %(count)s.",
                where=where,
                count=len(records),
            )
        )
    return records


class CrmScanDocument(models.Model):
    """A scanned paper document: the original file as received, its OCR text and
    searchable PDF, what was recognised on it and the customer it is filed to.

    The model is spread over files by concern: this one holds the fields, what is shown
    and the actions that move a document from state to state; ``*_intake.py`` takes files
    in (upload, e-mail, hot folder), ``*_processing.py`` reads them (OCR, page by page),
    ``*_recognition.py`` finds the customer, ``*_filing.py`` files to it."""

    _name = "crm.scan.document"
    _description = "Scanned Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.state.mixin"]
    # newest first by id: the primary key index serves "latest 80 matching" without sorting
    # all matches (a frequent word in full-text search)
    _order = "id desc"
    _check_company_auto = True
    # written by the intake, the processing and the actions only (crm.state.mixin)
    _action_fields = PROCESSING_FIELDS

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    source = fields.Selection(SOURCES, required=True, default="upload", readonly=True)
    state = fields.Selection(
        STATES,
        required=True,
        default="queued",
        index=True,
        tracking=True,
        readonly=True,
        group_expand="_group_expand_states",
    )
    reason_code = fields.Char(readonly=True, copy=False)
    reason_args = fields.Json(readonly=True, copy=False)
    failure_reason = fields.Char(
        "Reason",
        compute="_compute_failure_reason",
        help="Why the document failed or waits for review.",
    )
    # the original, as received: never changed (ir.attachment refuses it, see
    # ir_attachment.py), its SHA-256 kept from the moment it arrived
    attachment_id = fields.Many2one(
        "ir.attachment",
        "Original File",
        required=True,
        readonly=True,
        ondelete="restrict",
        help="The file as it was handed in; never changed.",
    )
    original_file = fields.Binary(related="attachment_id.datas", string="Original")
    original_filename = fields.Char(related="attachment_id.name", string="File Name")
    original_checksum = fields.Char(
        "SHA-256", readonly=True, copy=False, help="Checksum of the file as it was received."
    )
    original_size = fields.Integer("Size (bytes)", readonly=True, copy=False)
    original_verified = fields.Boolean(
        "Original Unchanged",
        compute="_compute_original_verified",
        help="The stored original still has the checksum it had when it arrived.",
    )
    file_kind = fields.Selection(FILE_KINDS, readonly=True)
    # what was derived from the original (other files)
    searchable_attachment_id = fields.Many2one(
        "ir.attachment", "Searchable PDF", readonly=True, ondelete="set null"
    )
    searchable_file = fields.Binary(related="searchable_attachment_id.datas", string="PDF")
    searchable_filename = fields.Char(related="searchable_attachment_id.name", string="PDF Name")
    preview = fields.Image(
        "Preview", readonly=True, copy=False, help="The first page, made smaller."
    )
    page_count = fields.Integer(readonly=True)
    pages_done = fields.Integer(readonly=True)
    unread_pages = fields.Char(
        "Unread Pages", readonly=True, help="Pages that could not be read (numbers)."
    )
    ocr_text = fields.Text("OCR Text", readonly=True)
    layout = fields.Json(
        readonly=True, prefetch=False, copy=False, help="Tesseract's layout of the first pages."
    )
    # what was recognised and where the document is filed
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    move_id = fields.Many2one(
        "account.move", "Invoice", readonly=True, index="btree_not_null", check_company=True
    )
    document_type_id = fields.Many2one(
        "crm.scan.document.type", "Document Type", tracking=True, index=True
    )
    type_manual = fields.Boolean(
        "Type Set by Hand", readonly=True, help="The type was chosen by hand: keep it."
    )
    score = fields.Float("Confidence", readonly=True, digits=(3, 2), aggregator="avg")
    suggestion_ids = fields.One2many("crm.scan.suggestion", "document_id", readonly=True)
    evidence_html = fields.Html(
        "Evidence", compute="_compute_evidence_html", sanitize=False, readonly=True
    )
    recognized = fields.Json(readonly=True)
    recognized_html = fields.Html(
        "Recognised", compute="_compute_recognized_html", sanitize=False, readonly=True
    )
    document_date = fields.Date(readonly=True)
    amount = fields.Float(readonly=True, help="Largest amount found on the document.")
    mandate_ref = fields.Char("Mandate Reference", readonly=True)
    mandate_record = fields.Reference(
        selection="_selection_mandate_model",
        string="Mandate",
        readonly=True,
        help="The SEPA mandate recognised on the document (when SEPA billing is installed).",
    )
    chronicle_entry_id = fields.Many2one("crm.chronicle.entry", readonly=True, copy=False)
    filed_date = fields.Datetime(readonly=True, copy=False)
    filed_user_id = fields.Many2one("res.users", "Filed By", readonly=True, copy=False)
    text_search = fields.Char(
        "Full Text",
        compute="_compute_text_search",
        search="_search_text_search",
        help="Words of the OCR text (PostgreSQL full-text search).",
    )

    @api.model
    def _group_expand_states(self, states, domain):
        """The states that have documents, in KANBAN_STATE_ORDER (no empty columns)."""
        return [state for state in KANBAN_STATE_ORDER if state in states]

    # ------------------------------------------------------------------ database objects

    def init(self):
        # full-text search over the OCR text: a stored tsvector column that PostgreSQL
        # computes on every write of ocr_text ('simple' keeps German and Czech words as
        # they are, lower-cased), with a GIN index. Stored, so that a search on a frequent
        # word does not recompute the tsvector of every matching row. Both are removed by
        # the uninstall hook (hooks.py).
        cr = self.env.cr
        cr.execute(
            """
            SELECT 1 FROM information_schema.columns
             WHERE table_name = 'crm_scan_document' AND column_name = 'ocr_tsv'
            """
        )
        exists = cr.fetchone()
        # a tsvector holds at most 1 MB of distinct words: beyond it (the OCR noise of a
        # huge file) the words of the first 300,000 characters are indexed, the write
        # never fails
        cr.execute(
            """
            CREATE OR REPLACE FUNCTION crm_scan_tsvector(body text) RETURNS tsvector
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            BEGIN
                RETURN to_tsvector('simple', coalesce(body, ''));
            EXCEPTION WHEN program_limit_exceeded THEN
                RETURN to_tsvector('simple', left(body, 300000));
            END
            $$
            """
        )
        if not exists:
            cr.execute(
                """
                ALTER TABLE crm_scan_document ADD COLUMN ocr_tsv tsvector
                GENERATED ALWAYS AS (crm_scan_tsvector(ocr_text)) STORED
                """
            )
        cr.execute(
            "CREATE INDEX IF NOT EXISTS crm_scan_document_ocr_tsv_gin ON crm_scan_document "
            "USING gin (ocr_tsv)"
        )

    @api.model
    def _selection_mandate_model(self):
        # SEPA billing is optional: link to its mandates only when it is installed
        if MANDATE_MODEL in self.env:
            return [(MANDATE_MODEL, self.env._("SEPA Mandate"))]
        return []

    # ------------------------------------------------------------------ what is shown
    def _compute_text_search(self):
        self.text_search = False

    def _search_text_search(self, operator, value):
        if operator not in ("ilike", "=", "in") or not value:
            return NotImplemented
        words = value if isinstance(value, str) else " ".join(str(v) for v in value)
        self.flush_model(["ocr_text"])
        return Domain.custom(
            to_sql=lambda model, alias, query: SQL(
                "%s @@ websearch_to_tsquery('simple', %s)",
                SQL.identifier(alias, "ocr_tsv"),
                words,
            )
        )

    @api.depends("attachment_id", "original_checksum")
    def _compute_original_verified(self):
        for doc in self:
            raw = doc.attachment_id.sudo().raw if doc.attachment_id else None
            doc.original_verified = bool(
                doc.original_checksum
                and raw is not None
                and hashlib.sha256(raw or b"").hexdigest() == doc.original_checksum
            )

    @api.depends("reason_code", "reason_args")
    @api.depends_context("lang")
    def _compute_failure_reason(self):
        for doc in self:
            doc.failure_reason = (
                doc._reason_text(doc.reason_code, doc.reason_args or {})
                if doc.reason_code
                else False
            )

    def _reason_text(self, code, args):
        """The reason for ``code`` in the reader's language, with ``args`` filled in."""
        _ = self.env._
        detail = args.get("detail") or ""
        texts = {
            "empty_file": lambda: _("The file is empty (0 bytes): there is nothing to read."),
            "too_large": lambda: _(
                "The file has %(size)s MB, more than the %(max)s MB a scanned document may "
                "have: it is kept but not read.",
                **args,
            ),
            "too_large_kept": lambda: _(
                "The file has %(size)s MB, more than the %(max)s MB a scanned document may "
                "have: it was left in the error folder as %(path)s.",
                **args,
            ),
            "unsupported": lambda: _(
                "The file is %(what)s, not a scan that can be read: only PDF, PNG, JPEG "
                "and TIFF files are read.",
                what=self._file_type_label(args.get("what")),
            ),
            "corrupt": lambda: _("The file is damaged and cannot be read."),
            "encrypted": lambda: _("The PDF is protected by a password and cannot be read."),
            "oversized": lambda: _(
                "Page %(page)s has %(megapixels)s megapixels, more than the %(max)s "
                "megapixels a scanned page may have: it is not decoded (a decompression "
                "bomb or a poster-size page).",
                **args,
            ),
            "too_many_pages": lambda: _(
                "The file has %(pages)s pages, more than the %(max)s a scanned document may have.",
                **args,
            ),
            "empty": lambda: _("No text was found: the pages are empty or unreadable."),
            "changed": lambda: _(
                "The stored original no longer has the checksum it had when it arrived."
            ),
            "language": lambda: _("Tesseract lacks the OCR language(s) %(detail)s.", **args),
            "tesseract": lambda: _("Tesseract failed: %(detail)s", detail=detail),
            "timeout": lambda: _("OCR took too long: %(detail)s", detail=detail),
            "no_attachment": lambda: _("The e-mail had no attachment to scan."),
            "error": lambda: _("Processing failed: %(detail)s", detail=detail),
            "unread_pages": lambda: _(
                "Pages %(pages)s of %(count)s could not be read: the document is not filed "
                "automatically.",
                **args,
            ),
            "no_partner": lambda: _("No customer was recognised on the document."),
            "einvoice_no_partner": lambda: _(
                "The e-invoice became the draft vendor bill %(bill)s, but its supplier is "
                "not among the partners (by VAT id, Peppol address, name, e-mail, phone or "
                "IBAN): choose it here and on the bill.",
                **args,
            ),
            "einvoice_new_partner": lambda: _(
                "The e-invoice became the draft vendor bill %(bill)s of the new supplier "
                "%(partner)s, made from the e-invoice's data (no partner had its VAT id, "
                "name, e-mail, phone or IBAN): check it, or choose the right one.",
                **args,
            ),
            "low_confidence": lambda: _(
                "The best match, %(partner)s, has a confidence of %(score)s%%; automatic "
                "filing needs %(threshold)s%%.",
                **args,
            ),
            "other_writer": lambda: _(
                "The letter names its writer %(writer)s, not the best match %(partner)s "
                "(confidence %(score)s%%): a look-alike is never filed automatically.",
                **args,
            ),
            "elsewhere": lambda: _(
                "The letter gives another address than %(partner)s has (%(address)s): a "
                "namesake or a move is not filed automatically (confidence %(score)s%%).",
                **args,
            ),
            "runner_up": lambda: _(
                "The letter also matches %(other)s: the best match, %(partner)s, has a "
                "confidence of %(score)s%%; automatic filing needs %(threshold)s%%.",
                **args,
            ),
        }
        try:
            return texts[code]() if code in texts else code
        except (KeyError, TypeError, ValueError):
            return code

    def _file_type_label(self, what):
        _ = self.env._
        return {
            "zip": _("a ZIP archive"),
            "rar": _("a RAR archive"),
            "7z": _("a 7-Zip archive"),
            "gzip": _("a gzip archive"),
            "office": _("an Office document"),
            "gif": _("a GIF image"),
            "bmp": _("a BMP image"),
            "webp": _("a WebP image"),
            "heic": _("a HEIC photo"),
            "rtf": _("an RTF document"),
            "html": _("an HTML page"),
            "text": _("a text file"),
            "xml": _("an XML file that is no e-invoice Odoo can read"),
        }.get(what, _("of an unknown format"))

    @api.depends("suggestion_ids", "partner_id")
    def _compute_evidence_html(self):
        for doc in self:
            suggestion = (
                doc.suggestion_ids.filtered(lambda s, doc=doc: s.partner_id == doc.partner_id)[:1]
                or doc.suggestion_ids[:1]
            )
            doc.evidence_html = suggestion.evidence_html if suggestion else False

    @api.depends("recognized")
    def _compute_recognized_html(self):
        labels = self._recognized_labels()
        roles = {
            "own": self.env._("the writer's"),
            "yours": self.env._("the reader's"),
            "plain": self.env._("no owner said"),
            "pattern": self.env._("unlabelled"),
        }
        directions = {
            "incoming": self.env._("a letter to us: the writer is the party"),
            "outgoing": self.env._("our own document come back: the addressee is the party"),
        }
        for doc in self:
            data = doc.recognized or {}
            rows = []
            if data.get("direction") in directions:
                rows.append((self.env._("Read as"), directions[data["direction"]]))
            for key, label in labels.items():
                values = data.get(key) or []
                if key == "amounts":
                    values = [f"{amount:,.2f} {cur or ''}".strip() for amount, cur in values]
                elif key in ("numbers_labelled", "invoices"):
                    # [value, role]; documents read before roles were kept: value
                    values = [
                        f"{v[0]} ({roles.get(v[1], v[1])})" if isinstance(v, list) else v
                        for v in values
                    ]
                elif key == "ours":
                    values = [v[-1] if isinstance(v, list) else v for v in values]
                if values:
                    rows.append((label, ", ".join(str(v) for v in values[:12])))
            doc.recognized_html = (
                "<table class='table table-sm'>"
                + "".join(
                    f"<tr><th>{html_escape(label)}</th><td>{html_escape(value)}</td></tr>"
                    for label, value in rows
                )
                + "</table>"
                if rows
                else False
            )

    def _recognized_labels(self):
        return {
            "numbers_labelled": self.env._("Debtor/creditor numbers"),
            "ibans": self.env._("IBANs"),
            "vats": self.env._("VAT ids"),
            "registrations": self.env._("Register numbers"),
            "emails": self.env._("E-mails"),
            "domains": self.env._("Web domains"),
            "phones": self.env._("Phones"),
            "invoices": self.env._("Invoice references"),
            "mandates": self.env._("Mandate references"),
            "dates": self.env._("Dates"),
            "amounts": self.env._("Amounts"),
            "ours": self.env._("Ours, not evidence"),
        }

    # ------------------------------------------------------------------ who writes what
    def _state_actions(self):
        return self.env._("Process Now, File to Customer, Process Again")

    @api.model_create_multi
    def create(self, vals_list):
        """Documents are made by the intake only (uploads, e-mail, hot folder; crm.state.mixin
        refuses the processing fields to anybody else): a document made with create() could
        name any attachment as its original and read it. A document made past the guard
        without its original's checksum (data set up in code) gets it from the attachment."""
        docs = super().create(vals_list)
        for doc in docs.filtered(lambda d: d.attachment_id and not d.original_checksum):
            raw = doc.attachment_id.raw or b""
            doc._write_processing(
                {"original_checksum": hashlib.sha256(raw).hexdigest(), "original_size": len(raw)}
            )
        return docs

    def _check_state_write(self, vals):
        """What a user may write: the name, the document type and, while the document
        waits for review, the customer. The rest is written by the intake, the processing
        and the actions (crm_core/tools/state.py), which check what they must."""
        super()._check_state_write(vals)
        if "partner_id" in vals:
            # the customer of a document being read or filed is the processing's
            state_guard.check_write(
                self.filtered(lambda d: d.state != "needs_review"),
                vals,
                ("partner_id",),
                self.env._("File to Customer, while the document waits for review"),
            )

    def write(self, vals):
        if "document_type_id" in vals and "type_manual" not in vals:
            # a type chosen by a user overrides the keywords from then on
            vals = dict(vals, type_manual=True)
            with state_guard.changing(self, "type_manual"):
                return super().write(vals)
        return super().write(vals)

    def _write_processing(self, vals):
        """The writes of the intake, the processing and the actions (PROCESSING_FIELDS and
        the customer they recognise). Callers checked access first
        (``check_access('write')``) or run in the cron."""
        with state_guard.changing(self, *vals):
            return self.sudo().write(vals)

    # ------------------------------------------------------------------ actions
    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    @public()
    def action_confirm(self):
        """Review: file the documents to the customer chosen on them."""
        checked_records(self).check_access("write")
        for doc in self:
            if doc.state == "done":
                continue
            if doc.state != "needs_review":
                raise UserError(
                    self.env._(
                        "Scanned document %(doc)s is %(state)s: only documents waiting for "
                        "review can be filed.",
                        doc=doc.name,
                        state=doc._state_label(),
                    )
                )
            doc._file(doc.partner_id)
        return True

    @public()
    def action_retry(self):
        """Read failed or unfiled documents again from their original."""
        checked_records(self).check_access("write")
        for doc in self:
            if doc.state not in ("failed", "needs_review"):
                raise UserError(
                    self.env._(
                        "Scanned document %(doc)s: only failed or unassigned documents can "
                        "be processed again.",
                        doc=doc.name,
                    )
                )
        old_pdfs = self.searchable_attachment_id
        self._write_processing(
            {
                "state": "queued",
                "reason_code": False,
                "reason_args": False,
                "page_count": 0,
                "pages_done": 0,
                "unread_pages": False,
                "ocr_text": False,
                "layout": False,
                "searchable_attachment_id": False,
                "preview": False,
            }
        )
        old_pdfs.sudo().unlink()
        self.env.ref("crm_scan.ir_cron_crm_scan_process")._trigger()
        return True

    @public()
    def action_process_now(self):
        """Process these documents right away (small files; big ones go via the cron)."""
        checked_records(self).check_access("write")
        queued = self.filtered(lambda d: d.state in ("queued", "processing"))
        # documents another worker or server is processing right now are left to it
        for doc in concurrency.try_lock(queued.sudo()):
            while doc.state in ("queued", "processing"):
                doc.sudo()._process_step()
        return True

    @public()
    def action_open_partner(self):
        checked_records(self, one=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ settings
    @api.model
    def _get_param(self, key, default):
        return self.env["ir.config_parameter"].sudo().get_param(f"crm_scan.{key}") or default

    @api.model
    def _get_number_param(self, key, default, minimum=0, kind=float):
        try:
            return max(minimum, kind(self._get_param(key, default)))
        except (TypeError, ValueError):
            return default

    @api.model
    def _get_threshold(self):
        return min(1.0, self._get_number_param("confidence_threshold", DEFAULT_THRESHOLD))

    @api.model
    def _get_languages(self):
        return self._get_param("languages", DEFAULT_LANGUAGES).strip() or DEFAULT_LANGUAGES

    @api.model
    def _get_pages_per_step(self):
        return self._get_number_param("pages_per_step", DEFAULT_PAGES_PER_STEP, 1, int)

    @api.model
    def _get_limits(self):
        """The limits of what is read: file size (MB), pixels per page, pages per file."""
        return {
            "max_mb": self._get_number_param("max_file_mb", DEFAULT_MAX_FILE_MB, 1),
            "max_pixels": int(
                self._get_number_param("max_megapixels", DEFAULT_MAX_MEGAPIXELS, 1) * 10**6
            ),
            "max_pages": self._get_number_param("max_pages", DEFAULT_MAX_PAGES, 1, int),
        }
