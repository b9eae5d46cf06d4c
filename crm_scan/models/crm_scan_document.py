import base64
import datetime
import logging
import os
import shutil
import time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, html_escape

from ..tools import matching, ocr, recognition

_logger = logging.getLogger(__name__)

STATES = [
    ("queued", "Queued"),
    ("processing", "Processing"),
    ("needs_review", "Needs Review"),
    ("done", "Filed"),
    ("failed", "Failed"),
]
SOURCES = [("upload", "Upload"), ("email", "E-mail"), ("folder", "Hot Folder")]
FILE_KINDS = [
    ("pdf", "PDF"),
    ("png", "PNG"),
    ("jpeg", "JPEG"),
    ("tiff", "TIFF"),
    ("other", "Other"),
]
DEFAULT_LANGUAGES = "deu+ces+eng"
DEFAULT_THRESHOLD = 0.8
DEFAULT_PAGES_PER_STEP = 10
MAX_NAME_LINES = 60
SUGGESTIONS = 5
MANDATE_MODEL = "crm.sepa.mandate"


class CrmScanDocument(models.Model):
    """A scanned paper document: the original file, its OCR text and searchable PDF, what
    was recognised on it and the customer it is filed to."""

    _name = "crm.scan.document"
    _description = "Scanned Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    # newest first by id: the primary key index serves "latest 80 matching" without sorting
    # all matches (a frequent word in full-text search)
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    source = fields.Selection(SOURCES, required=True, default="upload", readonly=True)
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
    searchable_attachment_id = fields.Many2one(
        "ir.attachment", "Searchable PDF", readonly=True, ondelete="set null"
    )
    searchable_file = fields.Binary(related="searchable_attachment_id.datas", string="PDF")
    searchable_filename = fields.Char(related="searchable_attachment_id.name", string="PDF Name")
    file_kind = fields.Selection(FILE_KINDS, readonly=True)
    page_count = fields.Integer(readonly=True)
    pages_done = fields.Integer(readonly=True)
    ocr_text = fields.Text("OCR Text", readonly=True)
    state = fields.Selection(
        STATES, required=True, default="queued", index=True, tracking=True, readonly=True
    )
    failure_reason = fields.Char(readonly=True, tracking=True)
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

    def init(self):
        # full-text search over the OCR text: a stored tsvector column that PostgreSQL
        # computes on every write of ocr_text ('simple' keeps German and Czech words as
        # they are, lower-cased), with a GIN index. Stored, so that a search on a frequent
        # word does not recompute the tsvector of every matching row.
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
        cr.execute("DROP INDEX IF EXISTS crm_scan_document_ocr_text_fts")
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

    # ------------------------------------------------------------------ computes
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
        for doc in self:
            data = doc.recognized or {}
            rows = []
            for key, label in labels.items():
                values = data.get(key) or []
                if key == "amounts":
                    values = [f"{amount:,.2f} {cur or ''}".strip() for amount, cur in values]
                if values:
                    rows.append(
                        f"<tr><th>{html_escape(label)}</th>"
                        f"<td>{html_escape(', '.join(str(v) for v in values[:12]))}</td></tr>"
                    )
            doc.recognized_html = (
                f"<table class='table table-sm'>{''.join(rows)}</table>" if rows else False
            )

    def _recognized_labels(self):
        return {
            "numbers_labelled": self.env._("Debtor/creditor numbers"),
            "ibans": self.env._("IBANs"),
            "vats": self.env._("VAT ids"),
            "registrations": self.env._("Register numbers"),
            "emails": self.env._("E-mails"),
            "phones": self.env._("Phones"),
            "invoices": self.env._("Invoice references"),
            "mandates": self.env._("Mandate references"),
            "dates": self.env._("Dates"),
            "amounts": self.env._("Amounts"),
        }

    # ------------------------------------------------------------------ settings
    @api.model
    def _get_param(self, key, default):
        return self.env["ir.config_parameter"].sudo().get_param(f"crm_scan.{key}") or default

    @api.model
    def _get_threshold(self):
        try:
            return float(self._get_param("confidence_threshold", DEFAULT_THRESHOLD))
        except ValueError:
            return DEFAULT_THRESHOLD

    @api.model
    def _get_languages(self):
        return self._get_param("languages", DEFAULT_LANGUAGES).strip() or DEFAULT_LANGUAGES

    @api.model
    def _get_pages_per_step(self):
        try:
            return max(1, int(self._get_param("pages_per_step", DEFAULT_PAGES_PER_STEP)))
        except ValueError:
            return DEFAULT_PAGES_PER_STEP

    # ------------------------------------------------------------------ intake
    @api.model
    def _create_from_files(self, files, source="upload", company=False):
        """Create one document per file and queue it for OCR.

        :param files: list of (file name, bytes)
        :return: the new documents; a file of an unsupported type gives a failed document
            (the file is kept)
        """
        company = company or self.env.company
        Attachment = self.env["ir.attachment"]
        docs = self.browse()
        for filename, data in files:
            if not data:
                raise UserError(
                    self.env._("The file %(name)s is empty: nothing to scan.", name=filename)
                )
            kind = ocr.detect_kind(data)
            doc = self.create(
                {
                    "name": os.path.splitext(filename)[0] or filename,
                    "source": source,
                    "company_id": company.id,
                    "file_kind": kind or "other",
                    "attachment_id": Attachment.create(
                        {
                            "name": filename,
                            "raw": data,
                            "mimetype": ocr.MIMETYPES.get(kind, "application/octet-stream"),
                        }
                    ).id,
                }
            )
            doc.attachment_id.write({"res_model": self._name, "res_id": doc.id})
            if not kind:
                doc._fail("unsupported")
            docs |= doc
        if docs.filtered(lambda d: d.state == "queued"):
            self.env.ref("crm_scan.ir_cron_crm_scan_process")._trigger()
        return docs

    @api.model
    def action_upload_files(self, files):
        """Upload from the web client (files dropped on the list): ``files`` is a list of
        [file name, base64 content]. Returns the action showing the new documents."""
        if not files:
            raise UserError(self.env._("Upload scanned documents: no file was given."))
        decoded = []
        for name, content in files:
            try:
                decoded.append((name, base64.b64decode(content or "", validate=True)))
            except (ValueError, TypeError) as exc:
                raise UserError(
                    self.env._("The file %(name)s could not be read.", name=name)
                ) from exc
        docs = self._create_from_files(decoded, "upload")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_scan.crm_scan_document_action")
        if len(docs) == 1:
            action.update(res_id=docs.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", docs.ids)]
        return action

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Scan-to-e-mail: each attachment of the message becomes a document. Returns the
        first one (the mail gateway posts the message on it)."""
        files = [(att.fname, att.content) for att in msg_dict.get("attachments") or []]
        files = [
            (name, content.encode() if isinstance(content, str) else content)
            for name, content in files
            if content
        ]
        company = self.env.company
        if custom_values and custom_values.get("company_id"):
            company = self.env["res.company"].browse(custom_values["company_id"])
        if not files:
            subject = msg_dict.get("subject") or "e-mail"
            docs = self._create_from_files(
                [(f"{subject}.txt", (msg_dict.get("body") or subject).encode())], "email", company
            )
            docs._fail("no_attachment")
            return docs
        docs = self._create_from_files(files, "email", company)
        subject = msg_dict.get("subject")
        for doc in docs:
            doc.message_post(
                body=self.env._(
                    "Received by e-mail from %(sender)s: %(subject)s",
                    sender=msg_dict.get("email_from") or "?",
                    subject=subject or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return docs[0]

    # ------------------------------------------------------------------ failures
    def _failure_messages(self):
        return {
            "unsupported": self.env._(
                "Unsupported file type: only PDF, PNG, JPEG and TIFF files can be read."
            ),
            "corrupt": self.env._("The file is damaged and cannot be read."),
            "encrypted": self.env._("The PDF is protected by a password and cannot be read."),
            "empty": self.env._("No text was found: the pages are empty or unreadable."),
            "language": self.env._("Tesseract lacks the OCR language(s)"),
            "tesseract": self.env._("Tesseract failed"),
            "timeout": self.env._("OCR took too long"),
            "no_attachment": self.env._("The e-mail had no attachment to scan."),
            "error": self.env._("Processing failed"),
        }

    def _fail(self, code, detail=""):
        message = self._failure_messages().get(code, code)
        if detail and code in ("language", "tesseract", "timeout", "error"):
            message = f"{message}: {detail}"
        self.write({"state": "failed", "failure_reason": message[:500]})

    # ------------------------------------------------------------------ OCR
    @api.model
    def _cron_process(self, limit=None):
        """Run OCR, recognition and filing on queued documents: one step per document
        (up to ``pages_per_step`` pages), committing after each, until time runs out.
        A long file is done in several steps; an interrupted run goes on where it
        stopped."""
        cron = self.env["ir.cron"]
        done = 0
        while limit is None or done < limit:
            doc = self._next_to_process()
            if not doc:
                break
            doc._process_step()
            done += 1
            remaining = self.search_count([("state", "in", ("queued", "processing"))])
            if not cron._commit_progress(1, remaining=remaining):
                break
        return done

    @api.model
    def _next_to_process(self):
        candidates = self.sudo().search(
            [("state", "in", ("queued", "processing"))], order="id", limit=20
        )
        return candidates.try_lock_for_update(limit=1)

    def _process_step(self):
        """OCR the next pages of this document; when all are done, recognise and file.
        Any failure marks the document failed with the reason; it never raises."""
        self.ensure_one()
        lang = self._get_languages()
        try:
            with self.env.cr.savepoint():
                missing = ocr.missing_languages(lang)
                if missing:
                    raise ocr.OcrError("language", "+".join(missing))
                data = self.attachment_id.raw
                kind = self.file_kind if self.file_kind != "other" else None
                if not self.page_count:
                    kind = ocr.detect_kind(data)
                    self.write({"file_kind": kind or "other", "page_count": 0})
                    self.page_count = ocr.page_count(data, kind)
                first = self.pages_done + 1
                last = min(self.page_count, first + self._get_pages_per_step() - 1)
                pages = ocr.ocr_pages(data, kind, first, last, lang=lang)
                self._store_pages(pages, last)
                if last >= self.page_count:
                    if not (self.ocr_text or "").strip():
                        raise ocr.OcrError("empty")
                    self._recognize()
                    self._auto_file()
        except ocr.OcrError as exc:
            _logger.info("scanned document %s failed: %s", self.id, exc)
            self._fail(exc.code, exc.detail)
        except Exception as exc:  # noqa: BLE001 - the batch must go on, the reason is shown
            _logger.exception("scanned document %s: processing failed", self.id)
            self._fail("error", str(exc)[:300])

    def _store_pages(self, pages, last):
        text = "\f".join(t.strip() for t, _pdf in pages)
        parts = [self.searchable_attachment_id.raw] if self.searchable_attachment_id else []
        pdf = ocr.merge_pdfs(parts + [p for _t, p in pages])
        vals = {
            "ocr_text": f"{self.ocr_text}\f{text}" if self.ocr_text else text,
            "pages_done": last,
            "state": "processing",
        }
        if self.searchable_attachment_id:
            self.searchable_attachment_id.raw = pdf
        else:
            vals["searchable_attachment_id"] = (
                self.env["ir.attachment"]
                .create(
                    {
                        "name": f"{self.name} (OCR).pdf",
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                )
                .id
            )
        self.write(vals)

    # ------------------------------------------------------------------ recognition
    def _recognize(self):
        """Recognise identifiers in the OCR text, rank partners, choose the type."""
        self.ensure_one()
        text = self.ocr_text or ""
        found = recognition.extract(text)
        items, moves, mandates = self._collect_evidence(text, found)
        ranked = matching.rank(items)
        partners = self.env["res.partner"].browse([r["partner_id"] for r in ranked])
        names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        self.suggestion_ids.unlink()
        suggestions = [
            {
                "document_id": self.id,
                "partner_id": r["partner_id"],
                "score": r["score"],
                "sequence": index,
                "evidence": [{k: e[k] for k in ("kind", "value", "weight")} for e in r["evidence"]],
            }
            for index, r in enumerate(ranked[:SUGGESTIONS])
        ]
        self.env["crm.scan.suggestion"].create(suggestions)
        vals = {
            "recognized": {
                k: ([d.isoformat() for d in v] if k == "dates" else v)
                for k, v in found.items()
                if k != "numbers"
            },
            "score": matching.confidence(ranked),
            "document_date": found["dates"][0] if found["dates"] else False,
            "amount": max((a for a, _c in found["amounts"]), default=0.0),
            "mandate_ref": found["mandates"][0] if found["mandates"] else False,
        }
        if ranked:
            top = ranked[0]["partner_id"]
            vals["partner_id"] = top
            vals["move_id"] = moves.get(top, False)
            vals["mandate_record"] = (
                f"{MANDATE_MODEL},{mandates[top]}" if top in mandates else False
            )
            _logger.debug("document %s: best partner %s", self.id, names.get(top))
        if not self.type_manual:
            vals["document_type_id"] = self.env["crm.scan.document.type"]._classify(text).id
        self.write(vals)

    def _candidate_domain(self):
        """Partners this document may be filed to: of its company or shared, not one of
        our own companies."""
        own = self.env["res.company"].sudo().search([]).partner_id
        return Domain("company_id", "in", [False, self.company_id.id]) & Domain(
            "id", "not in", own.ids
        )

    def _collect_evidence(self, text, found):
        """Look every recognised value up (one query per kind) and return the evidence
        list for matching.rank(), {partner_id: invoice id} and {partner_id: mandate id}."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        allowed = self._candidate_domain()
        items = []
        moves = {}
        mandates = {}

        def add(partners, kind, value, similarity=1.0):
            for partner in partners:
                items.append(
                    matching.evidence(partner.commercial_partner_id.id, kind, value, similarity)
                )

        numbers = found["numbers_labelled"] + found["numbers"]
        if numbers:
            for number in (
                self.env["crm.partner.number"]
                .sudo()
                .search([("name", "in", numbers), ("company_id", "=", self.company_id.id)])
            ):
                kind = "number_labelled" if number.name in found["numbers_labelled"] else "number"
                add(number.partner_id, kind, number.name)
        if found["ibans"]:
            banks = (
                self.env["res.partner.bank"]
                .sudo()
                .search([("sanitized_acc_number", "in", found["ibans"])])
            )
            for bank in banks:
                add(bank.partner_id, "iban", bank.acc_number)
        variants = found["registrations"] + [r.replace(" ", "") for r in found["registrations"]]
        for kind, field, values in (
            ("vat", "vat", found["vats"]),
            ("registration", "company_registry", variants),
            ("email", "email_normalized", found["emails"]),
            ("phone", "phone_sanitized", found["phones"]),
        ):
            if values:
                for partner in Partner.search(Domain(field, "in", values) & allowed):
                    add(partner, kind, partner[field])
        for kind, records, links in (
            ("invoice", self._find_invoices(found["invoices"]), moves),
            ("mandate", self._find_mandates(found["mandates"]), mandates),
        ):
            for record in records:
                add(record.partner_id, kind, record.name)
                links.setdefault(record.partner_id.commercial_partner_id.id, record.id)
        # fuzzy name: trigram similarity of each text line with partner names
        for partner_id, line, similarity in self._name_candidates(text, allowed):
            items.append(matching.evidence(partner_id, "name", line, similarity))
        # address of the candidates found so far
        candidates = Partner.browse({i["partner_id"] for i in items}).exists()
        norm_text = recognition.normalize(text)
        for partner in candidates:
            sim = matching.address_similarity(norm_text, partner.street, partner.zip, partner.city)
            if sim >= 0.4:
                value = ", ".join(filter(None, [partner.street, partner.zip, partner.city]))
                items.append(matching.evidence(partner.id, "address", value, sim))
        own = set(self.env["res.company"].sudo().search([]).partner_id.ids)
        return [i for i in items if i["partner_id"] not in own], moves, mandates

    def _find_invoices(self, refs):
        """Invoices of this document's company named by the references on the page."""
        if not refs:
            return self.env["account.move"]
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "!=", "entry"),
                    "|",
                    ("name", "in", refs),
                    ("ref", "in", refs),
                ],
                limit=20,
            )
        )

    def _find_mandates(self, refs):
        """SEPA mandates of this document's company with a reference on the page (empty
        when SEPA billing is not installed)."""
        if not refs or MANDATE_MODEL not in self.env:
            return []
        return (
            self.env[MANDATE_MODEL]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("name", "in", refs)], limit=20)
        )

    def _name_candidates(self, text, allowed):
        """(commercial partner id, line, similarity) for lines of the text that look like
        a partner's name: pg_trgm similarity, served by the trigram index on the name."""
        lines = []
        for line in (text or "").splitlines():
            line = " ".join(line.split())
            if 4 <= len(line) <= 80 and sum(c.isalpha() for c in line) >= 4 and line not in lines:
                lines.append(line)
            if len(lines) >= MAX_NAME_LINES:
                break
        if not lines:
            return []
        query = (
            self.env["res.partner"]
            .sudo()
            ._search(
                allowed & Domain("is_company", "=", True)
                | allowed & Domain("parent_id", "=", False)
            )
        )
        self.env["res.partner"].flush_model(["name", "commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, l.line, max(p.sim)
                  FROM unnest(%(lines)s::text[]) AS l(line)
                 CROSS JOIN LATERAL (
                        SELECT res_partner.commercial_partner_id,
                               similarity(res_partner.name, l.line) AS sim
                          FROM res_partner
                         WHERE res_partner.name %% l.line
                           AND res_partner.id IN %(ids)s
                         ORDER BY sim DESC
                         LIMIT 5
                       ) p
                 WHERE p.sim >= 0.45
                 GROUP BY p.commercial_partner_id, l.line
                """,
                lines=lines,
                ids=query.subselect(),
            )
        )
        return [(pid, line, float(sim)) for pid, line, sim in rows]

    # ------------------------------------------------------------------ filing
    def _auto_file(self):
        threshold = self._get_threshold()
        for doc in self:
            if doc.partner_id and doc.score >= threshold:
                doc._file(doc.partner_id, auto=True)
            else:
                doc.state = "needs_review"

    def _file(self, partner, auto=False):
        """Attach the document to the partner (and its invoice) and log it in the
        partner's chronicle."""
        self.ensure_one()
        if not partner:
            raise ValidationError(
                self.env._("Choose the customer of scanned document %(doc)s.", doc=self.name)
            )
        partner = partner.commercial_partner_id
        if self.move_id and self.move_id.commercial_partner_id != partner:
            self.move_id = False
        mandate = self.sudo().mandate_record
        if mandate and mandate.partner_id.commercial_partner_id != partner:
            self.mandate_record = mandate = False
        source_attachment = self.searchable_attachment_id or self.attachment_id
        copy = source_attachment.sudo().copy(
            {"res_model": "res.partner", "res_id": partner.id, "name": source_attachment.name}
        )
        if self.move_id:
            source_attachment.sudo().copy({"res_model": "account.move", "res_id": self.move_id.id})
        if mandate:
            source_attachment.sudo().copy({"res_model": mandate._name, "res_id": mandate.id})
            mandate.message_post(
                body=self.env._("Scanned document %(doc)s filed to this mandate.", doc=self.name),
                subtype_xmlid="mail.mt_note",
            )
        user = self.create_uid if auto and self.create_uid.share is False else self.env.user
        days = int(self._get_param("resubmission_days", 0) or 0)
        type_name = self.document_type_id.name or self.env._("Document")
        entry = self.env["crm.chronicle.entry"].crm_log(
            partner,
            "scan",
            self.env._("Scanned %(type)s: %(name)s", type=type_name, name=self.name),
            body=self._chronicle_body(),
            source=self,
            user=user,
            attachment_ids=copy,
            resubmission_date=(
                fields.Date.context_today(self) + datetime.timedelta(days=days)
                if days > 0
                else False
            ),
        )
        self.write(
            {
                "partner_id": partner.id,
                "state": "done",
                "chronicle_entry_id": entry.id,
                "filed_date": fields.Datetime.now(),
                "filed_user_id": self.env.user.id if not auto else False,
                "failure_reason": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Filed to %(partner)s (%(how)s, confidence %(score)s%%).",
                partner=partner.display_name,
                how=self.env._("automatically") if auto else self.env._("by hand"),
                score=round(self.score * 100),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _chronicle_body(self):
        parts = [f"<p>{html_escape(self.document_type_id.name or '')}</p>"]
        if self.evidence_html:
            parts.append(self.evidence_html)
        return "".join(parts)

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        """Review: file to the chosen customer."""
        for doc in self:
            if doc.state not in ("needs_review", "done"):
                raise UserError(
                    self.env._(
                        "Scanned document %(doc)s is %(state)s: only documents waiting for "
                        "review can be filed.",
                        doc=doc.name,
                        state=dict(STATES)[doc.state],
                    )
                )
            if doc.state == "done":
                continue
            doc._file(doc.partner_id)
        return True

    def action_retry(self):
        old_pdfs = self.searchable_attachment_id
        for doc in self:
            if doc.state not in ("failed", "needs_review"):
                raise UserError(
                    self.env._(
                        "Scanned document %(doc)s: only failed or unassigned documents can "
                        "be processed again.",
                        doc=doc.name,
                    )
                )
        self.write(
            {
                "state": "queued",
                "failure_reason": False,
                "page_count": 0,
                "pages_done": 0,
                "ocr_text": False,
                "searchable_attachment_id": False,
            }
        )
        old_pdfs.sudo().unlink()
        self.env.ref("crm_scan.ir_cron_crm_scan_process")._trigger()
        return True

    def action_process_now(self):
        """Process these documents right away (small files; big ones go via the cron)."""
        for doc in self.filtered(lambda d: d.state in ("queued", "processing")):
            while doc.state in ("queued", "processing"):
                doc.sudo()._process_step()
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def write(self, vals):
        # a type chosen by a user overrides the keywords from then on
        if "document_type_id" in vals and "type_manual" not in vals and not self.env.su:
            vals = dict(vals, type_manual=True)
        return super().write(vals)

    # ------------------------------------------------------------------ hot folder
    @api.model
    def _cron_hot_folder(self, min_age=10):
        """Scan-to-folder: import the files of the hot folder. Each file is first moved
        to the archive folder and read from there; a file that cannot be taken in goes
        to the error folder. Nothing is deleted. Files younger than ``min_age`` seconds
        may still be being written by the scanner and wait for the next run."""
        folder = self._get_param("hot_folder", "")
        if not folder or not os.path.isdir(folder):
            return 0
        archive = self._get_param("archive_folder", "") or os.path.join(folder, "archive")
        errors = self._get_param("error_folder", "") or os.path.join(folder, "error")
        os.makedirs(archive, exist_ok=True)
        os.makedirs(errors, exist_ok=True)
        now = time.time()
        names = sorted(
            name
            for name in os.listdir(folder)
            if not name.startswith(".")
            and not name.endswith((".part", ".tmp"))
            and os.path.isfile(os.path.join(folder, name))
            and now - os.path.getmtime(os.path.join(folder, name)) >= min_age
        )
        cron = self.env["ir.cron"]
        count = 0
        for index, name in enumerate(names):
            archived = _move_unique(os.path.join(folder, name), archive)
            try:
                with self.env.cr.savepoint(), open(archived, "rb") as handle:
                    docs = self._create_from_files([(name, handle.read())], "folder")
                if docs.state == "failed":
                    _move_unique(archived, errors)
            except (OSError, UserError, ValidationError) as exc:
                _logger.info("hot folder: %s not taken in: %s", name, exc)
                _move_unique(archived, errors)
            count += 1
            cron._commit_progress(1, remaining=len(names) - index - 1)
        return count


def _move_unique(path, folder):
    """Move a file into folder without overwriting anything; return the new path."""
    base, ext = os.path.splitext(os.path.basename(path))
    target = os.path.join(folder, base + ext)
    counter = 1
    while os.path.exists(target):
        target = os.path.join(folder, f"{base}-{counter}{ext}")
        counter += 1
    shutil.move(path, target)
    return target
