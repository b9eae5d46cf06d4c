from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import public
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

from .crm_scan_document import checked_records

# the cockpit button "Scans": the documents whose customer is the partner or one of its
# contact persons (model, partner field)
SCANS = ("crm.scan.document", "partner_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_scan_document_ids = fields.One2many(
        "crm.scan.document", "partner_id", "Scanned Documents", groups="crm_core.group_user"
    )
    crm_scan_document_count = fields.Integer(
        "Scans", compute="_compute_crm_cockpit", groups="crm_core.group_user"
    )

    # matching scans by name uses pg_trgm similarity on the name (res_partner.name % line):
    # a trigram index of its own, next to base's b-tree index of the same column (a field
    # index="trigram" would be named like base's index and never be created)
    _crm_scan_name_trgm = models.Index("USING gin (name gin_trgm_ops)")

    def _crm_cockpit_groups(self):
        # the documents of the customer and of its contact persons, counted for each of
        # them (crm_core's cockpit: the count and the list it opens are the same records)
        return {
            **super()._crm_cockpit_groups(),
            "crm_scan.scans": CockpitGroup(CockpitButton(*SCANS)),
        }

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        scans = groups["crm_scan.scans"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_scan_document_count = scans.get(key, [0])[0]

    @public()
    def action_crm_scan_documents(self):
        checked_records(self, one=True)
        return self._crm_cockpit_action(
            *SCANS,
            action="crm_scan.crm_scan_document_action",
            context={"default_partner_id": self.commercial_partner_id.id},
        )

    def _crm_personal_data(self, files):
        """The scanned documents filed to the customer, with their original files (GDPR
        export, crm_core)."""
        data = super()._crm_personal_data(files)
        scans = self._crm_personal_data_search(
            "crm.scan.document", [("partner_id", "child_of", self.id)], "id"
        )
        data["crm_scan.documents"] = self._crm_personal_data_rows(scans)
        for scan in scans:
            original = scan.attachment_id
            if original:
                files[f"files/scans/{scan.id}_{original.name}"] = original.raw or b""
        return data
