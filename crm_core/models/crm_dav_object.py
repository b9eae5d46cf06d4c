from odoo import api, fields, models
from odoo.tools import SQL


class CrmDavObject(models.Model):
    """The name (href) and UID a CardDAV/CalDAV client gave a contact or appointment it
    created (issue 21). Records created in Odoo have none: their href and UID follow from
    their id. Kept so that the client finds its object where and as it stored it."""

    _name = "crm.dav.object"
    _description = "CardDAV/CalDAV Object"
    _log_access = False

    kind = fields.Char(required=True, readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    href = fields.Char(required=True, readonly=True)
    uid = fields.Char("UID", required=True, readonly=True)

    _kind_res_uniq = models.Constraint("UNIQUE(kind, res_id)", "One name per record.")
    _kind_href_uniq = models.Constraint("UNIQUE(kind, href)", "One record per name.")

    @api.model
    def _names(self, kind, ids):
        """{record id: (href, uid)} of the records among `ids` a client named."""
        if not ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT res_id, href, uid FROM crm_dav_object WHERE kind = %s AND res_id = ANY(%s)",
                kind,
                list(ids),
            )
        )
        return {res_id: (href, uid) for res_id, href, uid in self.env.cr.fetchall()}

    @api.model
    def _find(self, kinds, href):
        """(kind, record id) named `href` by a client, or None."""
        self.env.cr.execute(
            SQL(
                "SELECT kind, res_id FROM crm_dav_object WHERE kind IN %s AND href = %s",
                tuple(kinds),
                href,
            )
        )
        row = self.env.cr.fetchone()
        return tuple(row) if row else None

    @api.model
    def _remember(self, kind, res_id, href, uid):
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_dav_object (kind, res_id, href, uid)
                   VALUES (%s, %s, %s, %s)
                   ON CONFLICT (kind, res_id) DO UPDATE SET href = EXCLUDED.href,
                                                            uid = EXCLUDED.uid""",
                kind,
                res_id,
                href,
                uid,
            )
        )
