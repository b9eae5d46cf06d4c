from odoo import api, fields, models
from odoo.tools import SQL


class CrmDavObject(models.Model):
    """The name (href) and UID a CardDAV/CalDAV client gave a contact or appointment it
    created, and what it stored that no field holds (issue 21). Records created and never
    extended on a device have none: their href and UID follow from their id. Kept so that
    the client finds its object where and as it stored it."""

    _name = "crm.dav.object"
    _description = "CardDAV/CalDAV Object"
    _log_access = False

    kind = fields.Char(required=True, readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    href = fields.Char(required=True, readonly=True)
    uid = fields.Char("UID", required=True, readonly=True)
    extra = fields.Text(
        readonly=True,
        help="Content lines the client sent that no field holds (a photo, an alarm, a "
        "recurrence rule, its own categories): written back into the object as they came.",
    )

    _kind_res_uniq = models.Constraint("UNIQUE(kind, res_id)", "One name per record.")
    _kind_href_uniq = models.Constraint("UNIQUE(kind, href)", "One record per name.")

    @api.model
    def _names(self, kind, ids):
        """{record id: (href, uid, extra lines)} of the records among `ids` a client named
        or extended."""
        if not ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT res_id, href, uid, extra FROM crm_dav_object"
                " WHERE kind = %s AND res_id = ANY(%s)",
                kind,
                list(ids),
            )
        )
        return {
            res_id: (href, uid, (extra or "").splitlines())
            for res_id, href, uid, extra in self.env.cr.fetchall()
        }

    @api.model
    def _remember(self, kind, res_id, href, uid, extra):
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_dav_object (kind, res_id, href, uid, extra)
                   VALUES (%s, %s, %s, %s, %s)
                   ON CONFLICT (kind, res_id) DO UPDATE SET href = EXCLUDED.href,
                                                            uid = EXCLUDED.uid,
                                                            extra = EXCLUDED.extra""",
                kind,
                res_id,
                href,
                uid,
                "\n".join(extra) or None,
            )
        )

    @api.model
    def _forget(self, kind, res_id):
        self.env.cr.execute(
            SQL("DELETE FROM crm_dav_object WHERE kind = %s AND res_id = %s", kind, res_id)
        )
