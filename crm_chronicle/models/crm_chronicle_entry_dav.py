from odoo import fields, models


class CrmChronicleEntry(models.Model):
    """What the CalDAV calendar (issue 21) needs of an appointment."""

    _inherit = "crm.chronicle.entry"

    dav_removed = fields.Boolean(
        "Removed on a Device",
        readonly=True,
        copy=False,
        help="The responsible user deleted this appointment in a calendar app: it stays in "
        "the chronicle but no longer shows in their CalDAV calendar.",
    )
