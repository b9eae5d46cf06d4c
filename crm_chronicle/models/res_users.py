import hashlib
import hmac
import secrets

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_feed_token_hash = fields.Char(
        "Calendar Feed Token Hash",
        groups="base.group_system",
        copy=False,
        help="SHA-256 of the secret in the user's calendar feed URL; empty: no feed.",
    )
    crm_feed_active = fields.Boolean(
        "Calendar Feed Active", compute="_compute_crm_feed_active", compute_sudo=True
    )

    @api.depends("crm_feed_token_hash")
    @api.depends_context("uid")
    def _compute_crm_feed_active(self):
        """Whether the user has a feed: for the user and administrators (read as superuser
        from the hash only they may read)."""
        reader = self.env.user
        admin = reader.has_group("base.group_system")
        for user in self:
            user.crm_feed_active = bool(user.crm_feed_token_hash) and (admin or user == reader)

    def _crm_feed_check_self(self):
        self.ensure_one()
        if self != self.env.user and not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only %(user)s can change their calendar feed.", user=self.name)
            )

    def _crm_feed_rotate(self):
        """A new secret feed token (256 random bits) for this user, replacing the old one;
        returns the feed URL, which holds the only copy of the token."""
        self._crm_feed_check_self()
        token = secrets.token_urlsafe(32)
        self.sudo().crm_feed_token_hash = hashlib.sha256(token.encode()).hexdigest()
        return f"{self.get_base_url()}/crm_chronicle/feed/{self.id}/{token}.ics"

    def _crm_feed_revoke(self):
        self._crm_feed_check_self()
        self.sudo().crm_feed_token_hash = False

    @api.model
    def _crm_feed_token_matches_none(self, token):
        """The work of a token check, for unknown users (always False)."""
        given = hashlib.sha256((token or "").encode()).hexdigest()
        hmac.compare_digest(given, "0" * 64)
        return False

    def _crm_feed_token_matches(self, token):
        """Constant-time check of a feed token against the stored hash."""
        self.ensure_one()
        stored = self.sudo().crm_feed_token_hash
        given = hashlib.sha256((token or "").encode()).hexdigest()
        # compare even without a stored hash, so that both paths take the same time
        return hmac.compare_digest(given, stored or "0" * 64) and bool(stored)

    @api.model
    def _get_activity_groups(self):
        """Due resubmissions in the activity menu and its counter, counted straight from
        crm.chronicle.resubmission (no mail.activity duplicates them)."""
        groups = super()._get_activity_groups()
        Resubmission = self.env["crm.chronicle.resubmission"]
        if not Resubmission.has_access("read"):
            return groups
        overdue, today, planned = Resubmission._systray_counts()
        if not (overdue or today or planned):
            return groups
        groups.append(
            {
                "id": self.env["ir.model"]._get_id("crm.chronicle.resubmission"),
                "name": self.env._("Resubmissions"),
                "model": "crm.chronicle.resubmission",
                "type": "activity",
                "icon": modules.module.get_module_icon("crm_chronicle"),
                "domain": [],
                "total_count": overdue + today,
                "today_count": today,
                "overdue_count": overdue,
                "planned_count": planned,
                "view_type": "list",
            }
        )
        return groups
