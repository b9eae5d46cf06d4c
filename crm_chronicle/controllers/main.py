from odoo import http
from odoo.http import request

EXPORTABLE = ("crm.chronicle.entry", "crm.chronicle.resubmission")


def _ics_response(body, filename):
    return request.make_response(
        body,
        headers=[
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", f'attachment; filename="{filename}"'),
            ("Cache-Control", "private, max-age=300"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )


class ChronicleCalendar(http.Controller):
    @http.route(
        "/crm_chronicle/feed/<int:user_id>/<string:token>.ics",
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        csrf=False,
        readonly=True,
    )
    def feed(self, user_id, token, **kwargs):
        """A user's appointments and resubmissions for calendar clients. The URL's token is
        the only credential: wrong, revoked or unknown gets a 404 with no data."""
        user = request.env["res.users"].sudo().browse(user_id).exists()
        if not user:
            # same work as for a real user, so that timing does not tell ids apart
            request.env["res.users"].sudo().browse()._crm_feed_token_matches_none(token)
            raise request.not_found()
        if not user._crm_feed_token_matches(token) or not user.active or user.share:
            raise request.not_found()
        body = request.env["crm.chronicle.ical"].sudo().feed(user)
        return _ics_response(body, "crm-chronicle.ics")

    @http.route("/crm_chronicle/export.ics", type="http", auth="user", methods=["GET"])
    def export(self, model, ids, **kwargs):
        if model not in EXPORTABLE:
            raise request.not_found()
        try:
            record_ids = [int(i) for i in ids.split(",") if i]
        except ValueError as error:
            raise request.not_found() from error
        body = request.env["crm.chronicle.ical"].export(model, record_ids)
        return _ics_response(body, "crm-chronicle-export.ics")
