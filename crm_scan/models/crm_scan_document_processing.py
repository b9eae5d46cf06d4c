import base64
import hashlib
import logging

from odoo import api, models

from odoo.addons.crm_core.tools import concurrency

from ..tools import ocr

_logger = logging.getLogger(__name__)

MAX_LAYOUT_PAGES = 5  # the layout of the first pages is kept for recognition


class CrmScanDocument(models.Model):
    """Reading documents: OCR page by page in steps, from the original (checked against
    its checksum first), into the text, the searchable PDF, the preview and the layout.
    Any problem marks the document failed with the reason and never stops the queue; a
    page that cannot be read is named on the document, which then is never filed
    automatically."""

    _inherit = "crm.scan.document"

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
        """The next queued document no other worker or server is processing (one that
        another one processed since this transaction began counts as taken)."""
        candidates = self.sudo().search(
            [("state", "in", ("queued", "processing"))], order="id", limit=20
        )
        return concurrency.try_lock(candidates, limit=1)

    def _fail(self, code, detail="", **args):
        """Mark the documents failed with the reason ``code`` (see ``_reason_text``)."""
        if code == "oversized":
            args.setdefault("max", round(self._get_limits()["max_pixels"] / 10**6))
        args = {k: v for k, v in args.items() if isinstance(v, int | float | str)}
        if detail:
            args["detail"] = str(detail)[:300]
        self._write_processing({"state": "failed", "reason_code": code, "reason_args": args})

    def _process_step(self):
        """OCR the next pages of this document; when all are done, recognise and file.
        Any failure marks the document failed with the reason; it never raises."""
        self.ensure_one()
        # an e-invoice is read from its XML, not by OCR (outside the savepoint below:
        # Odoo's document import commits)
        if not self.pages_done and self._import_einvoice():
            return
        lang = self._get_languages()
        limits = self._get_limits()
        try:
            with self.env.cr.savepoint():
                missing = ocr.missing_languages(lang)
                if missing:
                    raise ocr.OcrError("language", "+".join(missing))
                data = self.attachment_id.raw or b""
                if hashlib.sha256(data).hexdigest() != self.original_checksum:
                    raise ocr.OcrError("changed")
                kind = self.file_kind if self.file_kind != "other" else None
                if not self.page_count:
                    count = ocr.inspect(data, kind, limits["max_pixels"], limits["max_pages"])
                    self._write_processing({"page_count": count, "state": "processing"})
                first = self.pages_done + 1
                last = min(self.page_count, first + self._get_pages_per_step() - 1)
                pages = ocr.ocr_pages(
                    data,
                    kind,
                    first,
                    last,
                    lang=lang,
                    max_pixels=limits["max_pixels"],
                    preview=not self.preview,
                )
                self._store_pages(pages, last)
                if last >= self.page_count:
                    self._finish()
        except ocr.OcrError as exc:
            _logger.info("scanned document %s failed: %s", self.id, exc)
            self._fail(exc.code, exc.detail, **exc.args_)
        except Exception as exc:  # noqa: BLE001 - the batch must go on, the reason is shown
            _logger.exception("scanned document %s: processing failed", self.id)
            self._fail("error", str(exc)[:300])

    def _store_pages(self, pages, last):
        """Append what was read of these pages: text, searchable PDF, layout, preview, and
        the numbers of the pages that could not be read."""
        text = "\f".join(p["text"].strip() for p in pages)
        vals = {
            "ocr_text": f"{self.ocr_text}\f{text}" if self.ocr_text else text,
            "pages_done": last,
            "state": "processing",
        }
        unread = [str(p["page"]) for p in pages if p["error"]]
        if unread:
            vals["unread_pages"] = ", ".join(filter(None, [self.unread_pages, *unread]))
            for page in pages:
                if page["error"]:
                    _logger.info(
                        "scanned document %s: page %s unread: %s",
                        self.id,
                        page["page"],
                        page["error"],
                    )
        layout = [
            {"page": p["page"], "size": list(p["size"]), "words": p["words"]}
            for p in pages
            if not p["error"] and p["page"] <= MAX_LAYOUT_PAGES
        ]
        if layout:
            vals["layout"] = (self.layout or []) + layout
        preview = next((p["preview"] for p in pages if p["preview"]), None)
        if preview:
            vals["preview"] = base64.b64encode(preview)
        parts = [p["pdf"] for p in pages if p["pdf"]]
        if parts:
            previous = [self.searchable_attachment_id.raw] if self.searchable_attachment_id else []
            pdf = ocr.merge_pdfs(previous + parts)
            if self.searchable_attachment_id:
                self.searchable_attachment_id.sudo().raw = pdf
            else:
                vals["searchable_attachment_id"] = (
                    self.env["ir.attachment"]
                    .sudo()
                    .create(
                        {
                            "name": f"{self.name} (OCR).pdf",
                            "raw": pdf,
                            "mimetype": "application/pdf",
                            "res_model": self._name,
                            "res_id": self.id,
                            "company_id": self.company_id.id,
                        }
                    )
                    .id
                )
        self._write_processing(vals)

    def _finish(self):
        """All pages read: recognise what is on them and file, or say why not."""
        unread = [p for p in (self.unread_pages or "").split(", ") if p]
        if len(unread) >= self.page_count:
            raise ocr.OcrError("corrupt", f"no page could be read ({self.unread_pages})")
        if not (self.ocr_text or "").strip():
            raise ocr.OcrError("empty")
        self._recognize()
        self._auto_file()
