import hashlib
import logging
import os
import shutil
import time
import zlib

from odoo import api, models
from odoo.exceptions import AccessError

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools import state as state_guard
from odoo.addons.crm_core.tools.boundary import Base64, Kind, ListOf, Str, public

from ..tools import filetype
from .crm_scan_document import PROCESSING_FIELDS

_logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # what one file of an upload may have (base64 decoded)
MAX_UPLOAD_FILES = 100


class UploadedFile(Kind):
    """One file of an upload: a pair [file name, content in base64]. An empty content is
    accepted (the zero-byte file becomes a failed document), broken base64 is not."""

    name_kind = Str(max_len=255)
    content_kind = Base64(max_bytes=MAX_UPLOAD_BYTES, allow_empty=True)

    def describe(self, env):
        return env._("a pair [file name, content in base64]")

    def clean(self, env, where, name, value):
        if not isinstance(value, list | tuple) or len(value) != 2:
            self.fail(env, where, name, value, self.describe(env))
        filename = self.name_kind.clean(env, where, f"{name}[0]", value[0])
        content = value[1]
        if content == "" or content == b"":
            return filename, b""
        return filename, self.content_kind.clean(env, where, f"{name}[1]", content)


class CrmScanDocument(models.Model):
    """Taking files in: upload (dialog and drop), scan-to-e-mail and the hot folder. Every
    file becomes a document and its original is stored byte for byte (no image
    post-processing), with its SHA-256; a file that cannot be read (empty, too large, not
    a scan) becomes a failed document with the reason, its original kept all the same."""

    _inherit = "crm.scan.document"

    # ------------------------------------------------------------------ one document per file
    @api.model
    def _create_from_files(self, files, source="upload", company=False):
        """Create one document per file and queue it for OCR.

        :param files: list of (file name, bytes)
        :return: the new documents (in the caller's environment); a file that cannot be
            read gives a failed document with the reason (the file is kept)
        """
        company = company or self.env.company
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot upload scanned documents into the company %(company)s.",
                    company=company.name,
                )
            )
        max_bytes = self._get_limits()["max_mb"] * 1024 * 1024
        # the original goes into the filestore as received: no resizing of large images,
        # no decoding of anything (see ir_attachment.py)
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.create(
            [
                {
                    "name": filename or "scan",
                    "raw": data or b"",
                    "mimetype": filetype.MIMETYPES.get(
                        filetype.detect_kind(data), "application/octet-stream"
                    ),
                    "res_model": self._name,
                    "company_id": company.id,
                }
                for filename, data in files
            ]
        )
        vals_list = []
        for (filename, data), attachment in zip(files, attachments, strict=True):
            data = data or b""
            kind = filetype.detect_kind(data)
            vals = {
                "name": os.path.splitext(filename or "")[0] or filename or "scan",
                "source": source,
                "company_id": company.id,
                "file_kind": kind or "other",
                "attachment_id": attachment.id,
                "original_checksum": hashlib.sha256(data).hexdigest(),
                "original_size": len(data),
            }
            problem = None
            if not data:
                problem = ("empty_file", {})
            elif len(data) > max_bytes:
                problem = (
                    "too_large",
                    {"size": round(len(data) / 2**20, 1), "max": round(max_bytes / 2**20)},
                )
            elif not kind:
                problem = ("unsupported", {"what": filetype.identify(data)})
            if problem:
                vals.update(state="failed", reason_code=problem[0], reason_args=problem[1])
            vals_list.append(vals)
        with state_guard.changing(self, *PROCESSING_FIELDS):
            docs = self.sudo().create(vals_list)
        for doc in docs:
            doc.attachment_id.res_id = doc.id
        if docs.filtered(lambda d: d.state == "queued"):
            self.env.ref("crm_scan.ir_cron_crm_scan_process").sudo()._trigger()
        return docs.with_env(self.env)

    # ------------------------------------------------------------------ upload
    @api.model
    @public(files=ListOf(UploadedFile(), max_items=MAX_UPLOAD_FILES))
    def action_upload_files(self, files):
        """Upload from the web client (files dropped on the list) and from integrations:
        ``files`` is a list of [file name, content in base64]. Returns the action showing
        the new documents."""
        self.check_access("create")
        docs = self._create_from_files(files, "upload")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_scan.crm_scan_document_action")
        if len(docs) == 1:
            action.update(res_id=docs.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", docs.ids)]
        return action

    # ------------------------------------------------------------------ scan-to-e-mail
    @api.model
    @api.private
    def message_new(self, msg_dict, custom_values=None):
        """Scan-to-e-mail (the mail gateway only; not callable over RPC): each attachment
        of the message becomes a document, an empty one too. Returns the first one (the
        mail gateway posts the message on it). The same e-mail delivered to two servers at
        once becomes documents once: one takes it, the other runs again and finds the
        message known (Odoo's Message-Id check)."""
        if msg_dict.get("message_id"):
            key = zlib.crc32(msg_dict["message_id"].encode()) - 2**31
            concurrency.exclusive(self.env, "crm_scan.mail", key)
        files = []
        for attachment in msg_dict.get("attachments") or []:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                # a text part, decoded by the mail parser: back to its own bytes
                info = attachment[2] if len(attachment) > 2 and attachment[2] else {}
                content = content.encode(info.get("encoding") or "utf-8", "replace")
            files.append((name or "attachment", content or b""))
        company = self.env.company
        if custom_values and custom_values.get("company_id"):
            company = self.env["res.company"].browse(custom_values["company_id"])
        if not files:
            subject = msg_dict.get("subject") or "e-mail"
            body = (msg_dict.get("body") or subject).encode()
            docs = self._create_from_files([(f"{subject[:200]}.txt", body)], "email", company)
            docs._write_processing(
                {"state": "failed", "reason_code": "no_attachment", "reason_args": {}}
            )
            return docs
        docs = self._create_from_files(files, "email", company)
        for doc in docs:
            doc.message_post(
                body=self.env._(
                    "Received by e-mail from %(sender)s: %(subject)s",
                    sender=msg_dict.get("email_from") or "?",
                    subject=msg_dict.get("subject") or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return docs[0]

    # ------------------------------------------------------------------ hot folder
    @api.model
    def _cron_hot_folder(self, min_age=10):
        """Scan-to-folder: import the files of the hot folder. Each file is first moved
        to the archive folder and read from there; a file that cannot be taken in goes
        to the error folder. Nothing is deleted. Files younger than ``min_age`` seconds
        may still be being written by the scanner and wait for the next run. A file
        larger than the limit is not loaded: it stays in the error folder and its
        document says where."""
        folder = self._get_param("hot_folder", "")
        if not folder or not os.path.isdir(folder):
            return 0
        archive = self._get_param("archive_folder", "") or os.path.join(folder, "archive")
        errors = self._get_param("error_folder", "") or os.path.join(folder, "error")
        os.makedirs(archive, exist_ok=True)
        os.makedirs(errors, exist_ok=True)
        max_mb = self._get_limits()["max_mb"]
        now = time.time()
        names = []
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            try:
                if (
                    not name.startswith(".")
                    and not name.endswith((".part", ".tmp"))
                    and os.path.isfile(path)
                    and now - os.path.getmtime(path) >= min_age
                ):
                    names.append(name)
            except OSError:  # gone meanwhile (another node took it)
                continue
        cron = self.env["ir.cron"]
        count = 0
        for index, name in enumerate(names):
            try:
                archived = _move_unique(os.path.join(folder, name), archive)
            except OSError:
                continue  # taken by another node meanwhile
            try:
                with self.env.cr.savepoint():
                    self._take_in_file(name, archived, errors, max_mb)
            except Exception:  # noqa: BLE001 - one file never stops the others
                _logger.exception("hot folder: %s could not be taken in", name)
                _move_unique(archived, errors)
            count += 1
            cron._commit_progress(1, remaining=len(names) - index - 1)
        return count

    def _take_in_file(self, name, path, errors, max_mb):
        size = os.path.getsize(path)
        if size > max_mb * 2**20:
            kept = _move_unique(path, errors)
            docs = self._create_from_files([(name, b"")], "folder")
            docs._write_processing(
                {
                    "original_checksum": False,
                    "original_size": size,
                    "reason_code": "too_large_kept",
                    "reason_args": {"size": round(size / 2**20, 1), "max": max_mb, "path": kept},
                }
            )
            return docs
        with open(path, "rb") as handle:
            docs = self._create_from_files([(name, handle.read())], "folder")
        if docs.state == "failed":
            _move_unique(path, errors)
        return docs


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
