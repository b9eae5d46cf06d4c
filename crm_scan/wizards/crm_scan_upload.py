from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools.boundary import public

from ..models.crm_scan_document import checked_records


class CrmScanUpload(models.TransientModel):
    """Upload several scanned files at once (PDF, PNG, JPEG, TIFF). The web client stores
    the chosen files as attachments of this wizard, as received (see ir_attachment.py)."""

    _name = "crm.scan.upload"
    _description = "Upload Scanned Documents"

    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    process_now = fields.Boolean(
        help="Read the files right away instead of in the background (small files)."
    )

    @public()
    def action_upload(self):
        checked_records(self, one=True)
        if not self.attachment_ids:
            raise UserError(self.env._("Upload scanned documents: choose at least one file."))
        files = [(att.name, att.raw or b"") for att in self.attachment_ids]
        docs = self.env["crm.scan.document"]._create_from_files(files, "upload", self.company_id)
        # the files the dialog stored for itself (not others' attachments named here)
        self.attachment_ids.filtered(lambda a: a.res_model == self._name).unlink()
        if self.process_now:
            docs.action_process_now()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_scan.crm_scan_document_action")
        if len(docs) == 1:
            action.update(res_id=docs.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", docs.ids)]
        return action
