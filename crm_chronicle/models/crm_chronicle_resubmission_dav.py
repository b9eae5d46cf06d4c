from odoo import fields, models


class CrmChronicleResubmission(models.Model):
    """What the CalDAV calendar (issue 21) needs of a resubmission."""

    _inherit = "crm.chronicle.resubmission"

    dav_removed = fields.Boolean(
        "Removed on a Device",
        readonly=True,
        copy=False,
        help="The user deleted this todo in a calendar app: the resubmission was closed and "
        "no longer shows in their CalDAV calendar.",
    )
