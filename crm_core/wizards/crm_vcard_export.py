import base64
import re

from odoo import fields, models

from ..tools.boundary import one_record


class CrmVcardExport(models.TransientModel):
    """Holds one exported .vcf file until the browser downloaded it (vacuumed later)."""

    _name = "crm.vcard.export"
    _description = "vCard Export"

    partner_ids = fields.Many2many("res.partner", string="Contacts")
    file = fields.Binary(readonly=True)
    filename = fields.Char(readonly=True)

    def _filename(self):
        if len(self.partner_ids) == 1:
            name = re.sub(r"[^\w.-]+", "_", self.partner_ids.name or "contact").strip("_")
            return f"{name or 'contact'}.vcf"
        return "contacts.vcf"

    @one_record
    def action_download(self):
        """Write the partners' vCards (3.0) into one file and let the browser download it."""
        self.ensure_one()
        self.partner_ids.check_access("read")
        text = self.partner_ids._crm_vcard_text()
        self.write({"file": base64.b64encode(text.encode()), "filename": self._filename()})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}?download=true",
            "target": "download",
        }
