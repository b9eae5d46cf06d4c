import base64

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import ocr

# the models whose files are stored as received: the scanned documents (their originals
# and the files of the e-mails that brought them) and the upload dialog's files
AS_RECEIVED = ("crm.scan.document", "crm.scan.upload")
# what makes an attachment the file it is, and what links it to its document
CONTENT_FIELDS = frozenset(
    {"raw", "datas", "db_datas", "store_fname", "checksum", "file_size", "type", "url", "name"}
)
LINK_FIELDS = frozenset({"res_model", "res_id", "res_field"})


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _postprocess_contents(self, values):
        # Odoo shrinks images larger than 1920 px when they are stored (and decodes them
        # to find out, a decompression bomb included): a scan is stored as received. An
        # image that cannot be decoded safely is stored as a plain file, so that no
        # preview (/web/image, the chatter's attachments) ever decodes it.
        if values.get("res_model") not in AS_RECEIVED:
            return super()._postprocess_contents(values)
        if (values.get("mimetype") or "").startswith("image/"):
            raw = values.get("raw")
            if raw is None and values.get("datas"):
                raw = base64.b64decode(values["datas"])
            if raw and not ocr.image_is_safe(raw):
                values["mimetype"] = "application/octet-stream"
        return values

    def _crm_scan_originals(self):
        """The attachments of ``self`` that are the original of a scanned document."""
        candidates = self.filtered(lambda a: a.res_model == "crm.scan.document")
        if not candidates:
            return self.browse()
        self.env["crm.scan.document"].flush_model(["attachment_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT attachment_id FROM crm_scan_document WHERE attachment_id IN %s",
                tuple(candidates.ids),
            )
        )
        return self.browse(row[0] for row in rows)

    def _crm_scan_refuse_change(self, originals):
        raise UserError(
            self.env._(
                "%(files)s: the original of a scanned document is kept as it was received; "
                "it cannot be changed or removed.",
                files=", ".join(originals.sudo().mapped("name")),
            )
        )

    def write(self, vals):
        changed = set(vals)
        if changed & (CONTENT_FIELDS | LINK_FIELDS):
            originals = self._crm_scan_originals()
            # the intake links a new original to its document (sudo); nothing else
            if originals and (changed & CONTENT_FIELDS or not self.env.su):
                self._crm_scan_refuse_change(originals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _crm_unlink_except_scan_original(self):
        originals = self._crm_scan_originals()
        if originals:
            self._crm_scan_refuse_change(originals)
