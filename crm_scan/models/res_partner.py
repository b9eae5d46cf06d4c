from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import public

from .crm_scan_document import checked_records


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_scan_document_ids = fields.One2many(
        "crm.scan.document", "partner_id", "Scanned Documents", groups="crm_core.group_user"
    )
    crm_scan_document_count = fields.Integer(
        "Scans", compute="_compute_crm_scan_document_count", groups="crm_core.group_user"
    )

    # matching scans by name uses pg_trgm similarity on the name (res_partner.name % line):
    # a trigram index of its own, next to base's b-tree index of the same column (a field
    # index="trigram" would be named like base's index and never be created)
    _crm_scan_name_trgm = models.Index("USING gin (name gin_trgm_ops)")

    def _compute_crm_scan_document_count(self):
        counts = dict(
            self.env["crm.scan.document"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_scan_document_count = counts.get(partner, 0)

    @public()
    def action_crm_scan_documents(self):
        checked_records(self, one=True)
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_scan.crm_scan_document_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
