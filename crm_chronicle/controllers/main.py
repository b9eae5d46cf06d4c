import re

from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

EXPORTABLE = ("crm.chronicle.entry", "crm.chronicle.resubmission")
# at most this many records per export (a list's selection)
EXPORT_MAX = 10_000
_IDS = re.compile(r"[1-9][0-9]{0,9}(,[1-9][0-9]{0,9})*")


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
        users = request.env["res.users"].sudo()
        user = users.browse(user_id).exists() if user_id < 2**31 else users
        if not user:
            # same work as for a real user, so that timing does not tell ids apart
            request.env["res.users"].sudo().browse()._crm_feed_token_matches_none(token)
            raise request.not_found()
        if not user._crm_feed_token_matches(token) or not user.active or user.share:
            raise request.not_found()
        body = request.env["crm.chronicle.ical"].sudo()._feed(user)
        return _ics_response(body, "crm-chronicle.ics")

    @http.route("/crm_chronicle/export.ics", type="http", auth="user", methods=["GET"])
    def export(self, model=None, ids=None, **kwargs):
        """The selected appointments or resubmissions as .ics: `model` is
        crm.chronicle.entry or crm.chronicle.resubmission, `ids` their ids separated by
        commas (at most 10,000), all readable by the user. A missing or wrong parameter is
        a 400, a record the user may not read a 403."""
        if model not in EXPORTABLE:
            raise BadRequest(
                request.env._(
                    "The parameter model must be one of %(models)s.", models=", ".join(EXPORTABLE)
                )
            )
        if not isinstance(ids, str) or not _IDS.fullmatch(ids):
            raise BadRequest(
                request.env._("The parameter ids must be record ids separated by commas.")
            )
        record_ids = [int(i) for i in ids.split(",")]
        if len(record_ids) > EXPORT_MAX or max(record_ids) >= 2**31:
            raise BadRequest(
                request.env._(
                    "The parameter ids names more than %(max)s records or an id out of range.",
                    max=EXPORT_MAX,
                )
            )
        try:
            body = request.env["crm.chronicle.ical"]._export(model, record_ids)
        except AccessError:
            raise Forbidden(
                request.env._("You may not read all of the records to export.")
            ) from None
        return _ics_response(body, "crm-chronicle-export.ics")
