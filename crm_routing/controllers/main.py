from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

MAX_ID = 2**31 - 1  # PostgreSQL integer ids


class CrmRoutingController(http.Controller):
    @http.route("/crm_routing/gpx/<int:route_id>", type="http", auth="user", methods=["GET"])
    def route_gpx(self, route_id):
        """The route as a GPX 1.1 file; 404 for a route that does not exist or that the
        user may not read (its existence is not revealed)."""
        route = request.env["crm.route"].browse(route_id if 0 < route_id <= MAX_ID else [])
        if not route.exists() or not route.has_access("read"):
            raise NotFound()
        data = route._gpx_data()
        filename = f"{route.name} {route.date}.gpx".replace("/", "-")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/gpx+xml; charset=utf-8"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
